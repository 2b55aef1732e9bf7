package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spec.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The averaging remedies in the Spark job (local[2], two workers, 6 rounds an epoch): block momentum changes the
 * result and a run resumed after its first epoch ends on the uninterrupted run's bits (the running block update is
 * in the checkpoint); a reset optimizer state ends with empty slots; linear learning-rate scaling ramps the rate
 * from 1x to 2x over the warm-up epoch, round by round.
 */
class AveragingDistributedTest {

  private static DistributedTraining.Outcome run(Path dir, int epochs, String averaging) throws Exception {
    return TestJobs.train(JobSpec.parse(TestJobs.spec(dir.resolve("checkpoints"), epochs).replace(
        "  backend: java\n", "  backend: java\n  averaging: " + averaging + "\n"), "avg", Map.of()).validate())
        .outcome();
  }

  @Test
  void blockMomentumResumesToTheSameBits(@TempDir Path tmp) throws Exception {
    String bmuf = "{block_momentum: 0.5}";
    DistributedTraining.Outcome plain = run(tmp.resolve("plain"), 2, "{block_momentum: 0}");
    DistributedTraining.Outcome straight = run(tmp.resolve("straight"), 2, bmuf);
    assertFalse(Arrays.equals(plain.state().params(), straight.state().params()), "block momentum changes the run");
    assertTrue(straight.test().accuracy() > 0.5, "and still learns: " + straight.test().accuracy());
    run(tmp.resolve("resumed"), 1, bmuf);
    DistributedTraining.Outcome resumed = run(tmp.resolve("resumed"), 2, bmuf);
    assertTrue(resumed.resumed());
    assertArrayEquals(straight.state().params(), resumed.state().params());
    assertEquals(straight.history().asMap(), resumed.history().asMap());
  }

  @Test
  void resetEndsWithFreshOptimizerSlots(@TempDir Path tmp) throws Exception {
    DistributedTraining.Outcome reset = run(tmp.resolve("reset"), 1, "{optimizer_state: reset}");
    float[] slots = reset.state().opt1();
    assertTrue(slots.length > 0);
    for (float v : slots) {
      assertEquals(0f, v);
    }
    assertEquals(0, reset.state().iterations());
  }

  @Test
  void linearScalingRampsTheRateRoundByRound(@TempDir Path tmp) throws Exception {
    run(tmp.resolve("lin"), 2, "{lr_scaling: linear, warmup_epochs: 1}");
    List<String> rows = Files.readAllLines(tmp.resolve("lin/rounds.csv"));
    double[] lr = rows.subList(1, rows.size()).stream().mapToDouble(r -> Double.parseDouble(r.split(",")[11]))
        .toArray();
    // Adadelta(1.0), 2 workers, 6 rounds of warm-up: 1 + round / 6 up to 2
    double[] expected = {1, 1 + 1 / 6.0, 1 + 2 / 6.0, 1.5, 1 + 4 / 6.0, 1 + 5 / 6.0, 2, 2, 2, 2, 2, 2};
    assertEquals(expected.length, lr.length);
    for (int i = 0; i < lr.length; i++) {
      assertEquals((float) expected[i], (float) lr[i], "round " + (i + 1));
    }
  }
}
