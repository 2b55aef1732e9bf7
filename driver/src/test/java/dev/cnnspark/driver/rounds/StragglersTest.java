package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.worker.model.ModelState;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A worker slower per minibatch for several rounds in a row is reported once, naming its partition. */
class StragglersTest {

  private static RoundResult worker(int partition, int steps, long trainMs) {
    ModelState s = new ModelState(new float[] {1}, new float[0], new float[0], new float[0], 0);
    return RoundResult.of(s, steps, 0, 0, 0, trainMs * 1_000_000, 0).from(partition);
  }

  /** A round of three workers: partition 1 takes {@code slowMs} for its 10 minibatches, the others 100 ms. */
  private static RoundResult round(long slowMs) {
    return new RoundResult().add(worker(0, 10, 100)).add(worker(1, 10, slowMs)).add(worker(2, 10, 100));
  }

  @Test
  void aSlowWorkerIsReportedOnceAfterEnoughRoundsInARow() {
    assertEquals(3.0, round(300).slowdown(), 1e-9);
    assertEquals(1, round(300).slowPartition());
    Stragglers s = new Stragglers();
    for (int r = 1; r < Stragglers.ROUNDS; r++) {
      assertTrue(s.observe(round(300)).isEmpty(), "reported after only " + r + " rounds");
    }
    Optional<String> w = s.observe(round(300));
    assertTrue(w.isPresent(), "not reported after " + Stragglers.ROUNDS + " rounds");
    assertTrue(w.get().contains("partition 1 has been 3.0x slower"), w.get());
    for (int r = 0; r < 2 * Stragglers.ROUNDS; r++) {
      assertTrue(s.observe(round(300)).isEmpty(), "reported twice");
    }
  }

  @Test
  void aNormalRoundOrAnotherSlowPartitionStartsTheCountAgain() {
    Stragglers s = new Stragglers();
    for (int r = 0; r < 4 * Stragglers.ROUNDS; r++) {
      // slow, slow, normal, ...: never ROUNDS in a row
      assertTrue(s.observe(round(r % Stragglers.ROUNDS == Stragglers.ROUNDS - 1 ? 110 : 300)).isEmpty());
    }
    Stragglers t = new Stragglers();
    for (int r = 0; r < 4 * Stragglers.ROUNDS; r++) {
      // alternately partition 1 and partition 0 is the slow one
      RoundResult round = r % 2 == 0 ? round(300)
          : new RoundResult().add(worker(0, 10, 300)).add(worker(1, 10, 100)).add(worker(2, 10, 100));
      assertTrue(t.observe(round).isEmpty());
    }
  }

  @Test
  void fewerMinibatchesAtTheSamePaceIsNoStraggler() {
    // partition 1's shard ran out: 2 minibatches in 20 ms is the others' pace
    RoundResult r = new RoundResult().add(worker(0, 10, 100)).add(worker(1, 2, 20));
    assertEquals(1.0, r.slowdown(), 1e-9);
    Stragglers s = new Stragglers();
    for (int i = 0; i < 2 * Stragglers.ROUNDS; i++) {
      assertTrue(s.observe(r).isEmpty());
    }
    // a worker that trained nothing has no pace at all
    RoundResult idle = new RoundResult().add(worker(0, 10, 100)).add(RoundResult.of(
        new ModelState(new float[] {1}, new float[0], new float[0], new float[0], 0), 0, 0, 0, 0, 0, 0).from(1));
    assertEquals(1.0, idle.slowdown(), 1e-9);
    assertEquals(0, idle.slowPartition());
  }
}
