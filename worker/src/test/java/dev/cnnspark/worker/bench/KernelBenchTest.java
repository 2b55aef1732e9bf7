package dev.cnnspark.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JMH kernel harness runs a case through JMH in this JVM and prints one JSON line per case with the op, shape,
 * time and GFLOP/s consistent with the case's FLOP count. No time is asserted, only that one was measured.
 */
class KernelBenchTest {

  @Test
  void printsOneLinePerCaseFromJmh() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> cases = List.of("tiny.conv.forward", "tiny.conv.backwardFilter");
    new KernelBench(new BenchmarkReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)),
        new KernelBench.Settings(0, 0, 1, 50, cases)).run("java", "test device", 1);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(2, lines.length, String.join("\n", lines));
    for (int i = 0; i < lines.length; i++) {
      JsonNode n = new ObjectMapper().readTree(lines[i]);
      KernelCase c = KernelCase.named(cases.get(i));
      assertEquals("kernel", n.get("bench").asText());
      assertEquals(c.name(), n.get("case").asText());
      assertEquals(c.op(), n.get("op").asText());
      assertEquals("128x28x28x1 k3x3 -> 8", n.get("shape").asText());
      double ms = n.get("ms").asDouble();
      assertTrue(ms > 0, lines[i]);
      assertEquals(c.flop() / ms / 1e6, n.get("gflops").asDouble(), 0.05 + 0.01 * n.get("gflops").asDouble(),
          lines[i]);
      assertTrue(n.get("harness").asText().startsWith("jmh "), lines[i]);
    }
  }

  @Test
  void unknownCaseOrSettingIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KernelBench.Settings(0, 0, 1, 50, List.of("conv9.forward")));
    assertTrue(e.getMessage().contains("conv9.forward") && e.getMessage().contains("conv2.forward"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new KernelBench.Settings(1, 0, 0, 50, List.of()));
    assertTrue(e.getMessage().contains("iterations"), e.getMessage());
  }
}
