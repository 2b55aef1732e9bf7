package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cnnspark.worker.model.ModelState;
import org.junit.jupiter.api.Test;

/** The averaging remedies' rules against values worked by hand. */
class AveragingTest {
  private static ModelState state(float... params) {
    return new ModelState(params, new float[] {9}, new float[] {0.5f, 0.5f}, new float[0], 7);
  }

  @Test
  void plainAveragingKeepsTheAverage() {
    ModelState avg = state(1, 2);
    assertSame(avg, Averaging.PLAIN.next(state(0, 0), avg, null, 1));
    assertEquals(0.1f, Averaging.PLAIN.learningRate(0.1f, 5, 10, 8));
  }

  @Test
  void blockMomentumCarriesTheAveragedUpdateAcrossRounds() {
    Averaging bmuf = new Averaging(false, 0.5, false, 0);
    float[] d = new float[2];
    // round 1: w = (0, 0), avg = (1, -2): G = (1, -2), D = G, w = (1, -2)
    ModelState r1 = bmuf.next(state(0, 0), state(1, -2), d, 1);
    assertArrayEquals(new float[] {1, -2}, r1.params());
    assertArrayEquals(new float[] {1, -2}, d);
    // round 2: avg = (1.5, -2): G = (0.5, 0), D = 0.5 D + G = (1, -1), w = (2, -3)
    ModelState r2 = bmuf.next(r1, state(1.5f, -2), d, 1);
    assertArrayEquals(new float[] {2, -3}, r2.params());
    assertArrayEquals(new float[] {1, -1}, d);
    assertArrayEquals(new float[] {9}, r2.moving(), "moving statistics are averaged plainly");
    assertArrayEquals(new float[] {0.5f, 0.5f}, r2.opt1(), "optimizer slots are averaged");
    assertEquals(7, r2.iterations());
  }

  @Test
  void resetStartsTheOptimizerAfresh() {
    ModelState r = new Averaging(true, 0, false, 0).next(state(0, 0), state(1, 2), null, 1);
    assertArrayEquals(new float[] {1, 2}, r.params());
    assertArrayEquals(new float[] {0, 0}, r.opt1());
    assertEquals(0, r.iterations());
  }

  @Test
  void linearScalingRampsToTheWorkersOverTheWarmUp() {
    Averaging linear = new Averaging(false, 0, true, 2);
    // 10 rounds an epoch, 2 warm-up epochs: rounds 0..19 ramp 1x -> 4x, then 4x
    assertEquals(0.1f, linear.learningRate(0.1f, 0, 10, 4));
    assertEquals((float) (0.1 * (1 + 3 * 10 / 20.0)), linear.learningRate(0.1f, 10, 10, 4));
    assertEquals((float) (0.1 * 4), linear.learningRate(0.1f, 20, 10, 4));
    assertEquals((float) (0.1 * 4), linear.learningRate(0.1f, 500, 10, 4));
    assertEquals((float) (0.1 * 4), new Averaging(false, 0, true, 0).learningRate(0.1f, 0, 10, 4), "no warm-up");
    assertEquals(0.1f, linear.learningRate(0.1f, 30, 10, 1), "one worker: nothing to scale");
  }
}
