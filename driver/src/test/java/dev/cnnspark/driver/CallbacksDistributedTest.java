package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.spec.JobSpec;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' callbacks in the Spark job (local[2], two workers averaging): EarlyStopping with restore_best_weights stops
 * and restores the best epoch's weights, ReduceLROnPlateau halves the rate, and a run cut after its first epoch (as a
 * killed driver leaves it: the last checkpoint) and resumed ends with the same bits, history and decisions as the
 * uninterrupted run, because the callbacks' state (and the best weights) are in every checkpoint.
 */
class CallbacksDistributedTest {

  private static TestJobs.Run run(Path ckpt, int epochs, String callbacks) throws Exception {
    return TestJobs.train(JobSpec.parse(TestJobs.spec(ckpt, epochs) + "callbacks: " + callbacks + "\n", "cb",
        Map.of()).validate());
  }

  @Test
  void earlyStoppingRestoresTheBestEpochAndResumesToTheSameBits(@TempDir Path tmp) throws Exception {
    // min_delta 5: no epoch after the first counts as an improvement, so epoch 2 stops and restores epoch 1
    String cb = "[{type: EarlyStopping, monitor: val_loss, min_delta: 5, patience: 1, restore_best_weights: true}]";
    TestJobs.Run straight = run(tmp.resolve("straight"), 5, cb);
    assertEquals(2, straight.outcome().history().epochs().size(), straight.log());
    assertTrue(straight.log().contains("EarlyStopping: val_loss did not improve for 1 epoch(s)"), straight.log());
    CheckpointStore store = new CheckpointStore(tmp.resolve("straight").toUri(), new Configuration(), 50);
    assertArrayEquals(store.read("ckpt-00000006.cnn").state().params(), straight.outcome().state().params(),
        "the final weights are epoch 1's");

    run(tmp.resolve("resumed"), 1, cb);
    TestJobs.Run resumed = run(tmp.resolve("resumed"), 5, cb);
    assertArrayEquals(straight.outcome().state().params(), resumed.outcome().state().params());
    assertEquals(straight.outcome().history().asMap(), resumed.outcome().history().asMap());
    // and a third start finds the stopped run: nothing more to train
    TestJobs.Run again = run(tmp.resolve("resumed"), 5, cb);
    assertTrue(again.log().contains("EarlyStopping stopped this run before epoch 3"), again.log());
    assertArrayEquals(straight.outcome().state().params(), again.outcome().state().params());
  }

  @Test
  void reduceLrOnPlateauHalvesTheRateAndResumesToTheSameBits(@TempDir Path tmp) throws Exception {
    String cb = "[{type: ReduceLROnPlateau, monitor: val_loss, factor: 0.5, patience: 0, min_delta: 5}]";
    TestJobs.Run straight = run(tmp.resolve("straight"), 3, cb);
    assertTrue(straight.log().contains("learning rate for epoch 3: 0.500000"), straight.log());
    run(tmp.resolve("resumed"), 2, cb);
    TestJobs.Run resumed = run(tmp.resolve("resumed"), 3, cb);
    assertTrue(resumed.log().contains("learning rate for epoch 3: 0.500000"), resumed.log());
    assertArrayEquals(straight.outcome().state().params(), resumed.outcome().state().params());
    assertArrayEquals(straight.outcome().state().opt1(), resumed.outcome().state().opt1());
    TestJobs.Run plain = run(tmp.resolve("plain"), 3, "[]");
    assertFalse(java.util.Arrays.equals(plain.outcome().state().params(), straight.outcome().state().params()),
        "the reduced rate changed the third epoch");
  }
}
