package dev.cnnspark.worker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Round trip and every kind of damage. */
class StateFileTest {

  private static byte[] sample() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new StateFile().putJson("meta", "{\"a\":1}").putFloats("params", new float[] {1.5f, -2f, Float.MIN_VALUE})
        .write(out);
    return out.toByteArray();
  }

  @Test
  void roundTrip() throws IOException {
    StateFile f = StateFile.read(new ByteArrayInputStream(sample()), "x");
    assertEquals("{\"a\":1}", f.json("meta"));
    assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE}, f.floats("params"));
    CorruptStateFileException e = assertThrows(CorruptStateFileException.class, () -> f.floats("opt1"));
    assertTrue(e.getMessage().contains("section 'opt1' missing"), e.getMessage());
  }

  @Test
  void everyFlippedByteIsDetected() throws IOException {
    byte[] good = sample();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x40;
      assertThrows(CorruptStateFileException.class, () -> StateFile.read(new ByteArrayInputStream(bad), "f"),
          "flipped byte " + i);
    }
  }

  @Test
  void truncationIsDetected() throws IOException {
    byte[] good = sample();
    for (int len = 0; len < good.length; len += 7) {
      byte[] cut = java.util.Arrays.copyOf(good, len);
      CorruptStateFileException e = assertThrows(CorruptStateFileException.class,
          () -> StateFile.read(new ByteArrayInputStream(cut), "ckpt-3"));
      assertTrue(e.getMessage().startsWith("ckpt-3: "), e.getMessage());
    }
  }
}
