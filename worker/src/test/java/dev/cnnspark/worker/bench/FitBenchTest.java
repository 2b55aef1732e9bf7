package dev.cnnspark.worker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Presets;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.train.FitOptions;
import dev.cnnspark.worker.train.History;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The epoch benchmark prints one line per epoch, and timing epochs one {@code fit} call at a time changes nothing:
 * its losses are those of one two-epoch {@code fit} with the same seed. No time is asserted.
 */
class FitBenchTest {

  @Test
  void oneLinePerEpochWithTheTrajectoryOfAPlainFit() throws Exception {
    Dataset train = LocalBench.synthetic(384);
    Dataset test = LocalBench.synthetic(100);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JavaBackend backend = new JavaBackend(1)) {
      new FitBench(new BenchmarkReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
          .run(backend, "java", "tiny_cnn", train, test, 128, 2);
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(2, lines.length, String.join("\n", lines));

    History plain;
    try (Sequential m = Presets.named("tiny_cnn"); JavaBackend backend = new JavaBackend(1)) {
      TrainBench.compile(m);
      m.useBackend(backend);
      plain = m.fit(train, new FitOptions().batchSize(128).epochs(2).seed(1234).verbose(0));
    }
    for (int i = 0; i < 2; i++) {
      JsonNode n = new ObjectMapper().readTree(lines[i]);
      assertEquals("fit", n.get("bench").asText());
      assertEquals(i + 1, n.get("epoch").asInt());
      // train_seconds is rounded to the millisecond, samples_per_s computed from the unrounded time
      double seconds = n.get("train_seconds").asDouble();
      double rate = n.get("samples_per_s").asDouble();
      assertTrue(seconds >= 0.001 && rate > 0, lines[i]);
      assertTrue(rate <= 384 / (seconds - 0.0005) + 0.1 && rate >= 384 / (seconds + 0.0005) - 0.1, lines[i]);
      assertEquals(plain.get("loss").get(i), n.get("loss").asDouble(), 0.0, "epoch " + (i + 1) + " loss");
      double acc = n.get("test_accuracy").asDouble();
      assertTrue(acc >= 0 && acc <= 1, lines[i]);
    }
  }
}
