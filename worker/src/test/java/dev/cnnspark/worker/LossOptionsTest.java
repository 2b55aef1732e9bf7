package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.SGD;
import dev.cnnspark.worker.train.Evaluation;
import org.junit.jupiter.api.Test;

/**
 * Keras' loss options: {@code from_logits=True} on the cross-entropies, and {@code binary_crossentropy} on a linear
 * output (the IMDB notebook's {@code Dense(1)} with no activation), which Keras clips rather than squashes. Each loss
 * is checked against its formula written out by hand.
 */
class LossOptionsTest {
  private static final double EPS = 1e-7;

  /** {@code Dense(units, linear)} on 1-wide inputs with weight 1 and bias 0: the outputs are the inputs. */
  private static Evaluation evaluate(Loss loss, float[] x, float[] y, int units) {
    try (JavaBackend b = new JavaBackend(1); Sequential m = new Sequential()
        .add(new Dense(units, ActivationFn.LINEAR, true, Shape.of(units)))) {
      m.compile(new SGD(), loss);
      float[] params = new float[units * units + units];
      for (int i = 0; i < units; i++) {
        params[i * units + i] = 1f;
      }
      ModelState s = m.state();
      m.setState(new ModelState(params, s.moving(), s.opt1(), s.opt2(), 0));
      m.useBackend(b);
      return m.evaluate(new Dataset(x, y, Shape.of(units), units, x.length / units), 8);
    }
  }

  @Test
  void binaryCrossentropyOnALinearOutputClipsLikeKeras() {
    float[] out = {2.0f, -0.5f, 0.3f, 0.9f};
    float[] y = {1f, 0f, 1f, 0f};
    // Keras 3: p = clip(out, eps, 1 - eps); loss = -(y log p + (1 - y) log(1 - p)); accuracy: p > 0.5
    double expected = (-Math.log(1 - EPS) - Math.log(1 - EPS) - Math.log(0.3) - Math.log(1 - 0.9)) / 4;
    Evaluation e = evaluate(Loss.BINARY_CROSSENTROPY, out, y, 1);
    assertEquals(expected, e.loss(), 1e-5 * expected);
    assertEquals(0.5, e.accuracy(), 1e-9);
  }

  @Test
  void binaryCrossentropyFromLogitsAppliesTheSigmoid() {
    float[] z = {2.0f, -0.5f, 0.3f, -3f};
    float[] y = {1f, 0f, 0f, 0f};
    double expected = 0;
    for (int i = 0; i < z.length; i++) {
      double p = 1 / (1 + Math.exp(-z[i]));
      expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
    Evaluation e = evaluate(Loss.parse("binary_crossentropy(from_logits=True)"), z, y, 1);
    assertEquals(expected / 4, e.loss(), 1e-5);
    assertEquals(0.75, e.accuracy(), 1e-9);
  }

  @Test
  void categoricalCrossentropyFromLogitsAppliesTheSoftmax() {
    float[] z = {1f, 2f, 0.5f, -1f, 0f, 3f};
    float[] y = {0f, 1f, 0f, 1f, 0f, 0f};
    double l1 = -Math.log(Math.exp(2) / (Math.exp(1) + Math.exp(2) + Math.exp(0.5)));
    double l2 = -Math.log(Math.exp(-1) / (Math.exp(-1) + Math.exp(0) + Math.exp(3)));
    for (Loss loss : new Loss[] {Loss.CATEGORICAL_CROSSENTROPY.withLogits(),
        Loss.parse("sparse_categorical_crossentropy(from_logits=True)")}) {
      Evaluation e = evaluate(loss, z, y, 3);
      assertEquals((l1 + l2) / 2, e.loss(), 1e-5, loss.spec());
      assertEquals(0.5, e.accuracy(), 1e-9);
    }
  }

  @Test
  void fromLogitsOnASoftmaxOutputIsRefusedAndNamesRoundTrip() {
    Sequential m = new Sequential().add(new Dense(3, ActivationFn.SOFTMAX, true, Shape.of(4)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY_FROM_LOGITS));
    assertTrue(e.getMessage().contains("expects logits") && e.getMessage().contains("softmax"), e.getMessage());
    for (Loss l : Loss.values()) {
      assertEquals(l, Loss.parse(l.spec()));
    }
    assertThrows(IllegalArgumentException.class, () -> Loss.parse("mse(from_logits=True)"));
  }
}
