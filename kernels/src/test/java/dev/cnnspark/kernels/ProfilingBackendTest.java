package dev.cnnspark.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.cpu.JavaBackend;
import org.junit.jupiter.api.Test;

class ProfilingBackendTest {

  @Test
  void countsOpsPassesResultsThroughAndLeavesNonOpsOut() {
    ProfilingBackend prof = new ProfilingBackend(new JavaBackend(1));
    try (Backend b = prof.backend()) {
      b.allocate(new ArenaSizes(4, 0, 0, 1, 8, 1, 1));
      b.fill(Arena.WORK, 0, 8, 2f);
      b.copy(Arena.WORK, 0, Arena.WORK, 4, 2);
      b.fill(Arena.WORK, 6, 2, 5f);
      b.upload(Arena.WORK);
      assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2, 5, 5}, b.host(Arena.WORK));
      assertEquals(BackendKind.JAVA, b.kind());

      assertEquals(2, prof.stats().get("fill").calls);
      assertEquals(1, prof.stats().get("copy").calls);
      assertEquals(1, prof.stats().get("upload WORK").calls);
      assertEquals(0, prof.stats().get("upload WORK").bytes, "the Java path moves no bytes");
      assertEquals(0, prof.stats().get("fill").launches, "and launches no kernels");
      assertFalse(prof.stats().containsKey("host"));
      assertFalse(prof.stats().containsKey("allocate"));
      assertTrue(prof.table().contains("fill"));

      prof.reset();
      assertTrue(prof.stats().isEmpty());
    }
  }

  @Test
  void rethrowsTheDelegatesOwnException() {
    ProfilingBackend prof = new ProfilingBackend(new JavaBackend(1));
    try (Backend b = prof.backend()) {
      b.allocate(new ArenaSizes(4, 0, 0, 1, 8, 1, 1));
      assertThrows(ArrayIndexOutOfBoundsException.class, () -> b.fill(Arena.WORK, 0, 9, 1f));
    }
  }
}
