package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code averaging_frequency: auto} in a local job: the run times its workers' minibatches, prints the k the cost
 * model chose with its reasons, records k in its checkpoints, and a resumed run cuts its epochs with that k, not a
 * new measurement; a run with that k given outright ends on the same bits (the timing changes nothing).
 */
class AutoFrequencyTest {
  private static final Pattern CHOSEN = Pattern.compile("averaging_frequency auto: k = (\\d+): (.*)");

  private static JobSpec spec(Path dir, int epochs, String k) {
    return JobSpec.parse(TestJobs.spec(dir.resolve("checkpoints"), epochs).replace("  averaging_frequency: 5\n",
        "  averaging_frequency: " + k + "\n"), "auto", Map.of()).validate();
  }

  @Test
  void autoChoosesKSaysWhyAndKeepsItOnResume(@TempDir Path tmp) throws Exception {
    TestJobs.Run first = TestJobs.train(spec(tmp.resolve("auto"), 1, "auto"));
    Matcher m = CHOSEN.matcher(first.log());
    assertTrue(m.find(), first.log());
    int k = Integer.parseInt(m.group(1));
    assertTrue(k >= 1 && k <= 30 / 12 + 1, "30 minibatches an epoch bound k to 2: " + m.group());
    assertTrue(m.group(2).contains("measured") && m.group(2).contains("cost model predicts"), m.group());
    CheckpointStore store = new CheckpointStore(tmp.resolve("auto/checkpoints").toUri(), new Configuration(), 10);
    int recorded = Json.MAPPER.readTree(store.read(store.checkpoints().get(0)).specJson()).path("training")
        .path("averaging_frequency").asInt();
    assertEquals(k, recorded, "the checkpoint records the chosen k");

    TestJobs.Run resumed = TestJobs.train(spec(tmp.resolve("auto"), 2, "auto"));
    assertTrue(resumed.log().contains("averaging_frequency auto: k = " + k + ", as chosen when this run started"),
        resumed.log());
    TestJobs.Run fixed = TestJobs.train(spec(tmp.resolve("fixed"), 2, Integer.toString(k)));
    org.junit.jupiter.api.Assertions.assertArrayEquals(fixed.outcome().state().params(),
        resumed.outcome().state().params());
  }
}
