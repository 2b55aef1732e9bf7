package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.Conv1D;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conv1D's dilation against the definition, {@code y[t] = sum_j x[t + j d - pad] w[j]}, with taps 1, 10, 100 on the
 * inputs 1..9 so every output names the inputs it read; Keras' shapes and parameter counts (the compact kernel).
 */
class Conv1DDilationTest {

  private static float[] run(Padding padding, int dilation) {
    try (JavaBackend b = new JavaBackend(1); Sequential m = new Sequential()
        .add(new Conv1D(1, 3, 1, dilation, padding, ActivationFn.LINEAR, false, Shape.of(9, 1)))) {
      m.compile(new SGD(), Loss.MEAN_SQUARED_ERROR);
      assertEquals(3, m.layout().params(), "the compact kernel: 3 taps");
      ModelState s = m.state();
      m.setState(new ModelState(new float[] {1, 10, 100}, s.moving(), s.opt1(), s.opt2(), 0));
      m.useBackend(b);
      return m.predict(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1);
    }
  }

  @Test
  void dilatedOutputsReadEveryDthInput() {
    // valid, d = 2: y[t] = x[t] + 10 x[t+2] + 100 x[t+4], t = 0..4
    assertArrayEquals(new float[] {531, 642, 753, 864, 975}, run(Padding.VALID, 2));
    // causal, d = 2: 4 zeros on the left; y[t] = x[t-4] + 10 x[t-2] + 100 x[t]
    assertArrayEquals(new float[] {100, 200, 310, 420, 531, 642, 753, 864, 975}, run(null, 2));
    // same, d = 3: effective kernel 7, 3 zeros each side; y[t] = x[t-3] + 10 x[t] + 100 x[t+3]
    assertArrayEquals(new float[] {410, 520, 630, 741, 852, 963, 74, 85, 96}, run(Padding.SAME, 3));
  }

  @Test
  void summaryAndKerasShapesAreTheCompactKernels() {
    Sequential m = new Sequential().add(new Conv1D(32, 7, 1, 4, null, ActivationFn.RELU, true, Shape.of(500, 128)));
    assertEquals(Shape.of(500, 32), m.layout().output());
    assertEquals(7 * 128 * 32 + 32, m.layout().params());
    assertEquals(List.of(7, 128, 32), java.util.Arrays.stream(m.layers().get(0).weightShapes(Shape.of(500, 128))
        .get(0)).boxed().toList());
  }
}
