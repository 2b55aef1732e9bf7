package dev.cnnspark.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.MnistData;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import org.junit.jupiter.api.Test;

/**
 * The ImageDataGenerator-style transforms, worked by hand on tiny images (flip, a 90-degree rotation about the
 * centre, a one-row shift under each fill mode, a 2x zoom), the per-example draws (seeded, within their ranges,
 * shifts as fractions of the size), and their place in training: only training minibatches are augmented, the
 * same seed gives the same run, evaluation and prediction never change.
 */
class AugmentationTest {
  /** A 3x3 single-channel image holding 1..9 row by row. */
  private static float[] image() {
    return new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9};
  }

  private static float[] transformed(Augmentation a, Augmentation.Params p) {
    float[] x = image();
    a.transform(x, 0, 3, 3, 1, p, new float[9]);
    return x;
  }

  private static Augmentation.Params params(double theta, double tx, double zoom, boolean flipH) {
    return new Augmentation.Params(theta, tx, 0, 0, zoom, zoom, flipH, false);
  }

  @Test
  void flipsRotationsShiftsAndFillModes() {
    Augmentation a = Augmentation.NONE;
    assertArrayEquals(image(), transformed(a, params(0, 0, 1, false)), "identity");
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, transformed(a, params(0, 0, 1, true)), "flip");
    float[] r = transformed(a, params(90, 0, 1, false));
    // out(r, c) = in(2 - c, r): the first row reads the first column bottom-up
    assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, r, 1e-5f, "90 degrees about the centre");
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 7, 8, 9}, transformed(a, params(0, 1, 1, false)),
        "shift one row, nearest");
    Augmentation constant = new Augmentation(0, 0, 0, 0, 0, false, false, "constant", -1);
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, -1, -1, -1}, transformed(constant, params(0, 1, 1, false)));
    Augmentation wrap = new Augmentation(0, 0, 0, 0, 0, false, false, "wrap", 0);
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 1, 2, 3}, transformed(wrap, params(0, 1, 1, false)));
    Augmentation reflect = new Augmentation(0, 0, 0, 0, 0, false, false, "reflect", 0);
    assertArrayEquals(new float[] {7, 8, 9, 7, 8, 9, 4, 5, 6}, transformed(reflect, params(0, 2, 1, false)),
        "two rows past the edge reflect back: 7 8 9 | 9 8 7");
    float[] zoom = transformed(constant, params(0, 0, 2, false));
    assertEquals(5f, zoom[4], "the centre stays");
    assertEquals(-1f, zoom[0], "a zoom factor of 2 samples twice as far out: outside the image");
  }

  @Test
  void drawsAreSeededWithinTheirRangesAndShiftsScaleWithTheSize() {
    Augmentation a = new Augmentation(30, 0.1, 2, 0.2, 10, true, false, "nearest", 0);
    assertEquals(a.draw(7, 28, 40), a.draw(7, 28, 40));
    assertNotEquals(a.draw(7, 28, 40), a.draw(8, 28, 40));
    boolean flipped = false;
    boolean kept = false;
    for (long seed = 0; seed < 500; seed++) {
      Augmentation.Params p = a.draw(seed, 28, 40);
      assertTrue(Math.abs(p.theta()) <= 30 && Math.abs(p.shear()) <= 10);
      assertTrue(Math.abs(p.ty()) <= 4.0, "width shift 0.1 of 40 columns: " + p.ty());
      assertTrue(Math.abs(p.tx()) <= 2.0, "height shift of 2 pixels: " + p.tx());
      assertTrue(p.zx() >= 0.8 && p.zx() <= 1.2 && p.zy() >= 0.8 && p.zy() <= 1.2);
      flipped |= p.flipH();
      kept |= !p.flipH();
      assertFalse(p.flipV());
    }
    assertTrue(flipped && kept, "a coin per example");
  }

  @Test
  void theSameSeedGivesTheSameAugmentedRun() throws Exception {
    Dataset train = MnistData.get().train().take(256);
    Augmentation a = Augmentation.fromJson(Json.MAPPER.readTree("{\"rotation_range\": 15, \"width_shift_range\": "
        + "0.1, \"height_shift_range\": 0.1, \"zoom_range\": 0.1, \"fill_mode\": \"constant\"}"));
    float[][] params = new float[3][];
    for (int run = 0; run < 3; run++) {
      try (Sequential m = dev.cnnspark.worker.model.Presets.tinyCnn()) {
        m.seed(5).compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
        m.useBackend(new JavaBackend(1));
        m.fit(train, new FitOptions().batchSize(64).epochs(1).seed(9).verbose(0)
            .augmentation(run < 2 ? a : Augmentation.NONE));
        params[run] = m.state().params();
      }
    }
    assertArrayEquals(params[0], params[1], "the same seed transforms every picture the same way");
    assertFalse(java.util.Arrays.equals(params[0], params[2]), "augmentation changes what is trained on");
  }

  @Test
  void evaluationAndPredictionAreNeverAugmented() {
    Dataset test = MnistData.get().test().take(100);
    try (Sequential m = dev.cnnspark.worker.model.Presets.tinyCnn()) {
      m.seed(5).compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(new JavaBackend(1));
      float[] plain = m.predict(test.x(), test.count(), 50);
      double loss = m.evaluate(test, 50).loss();
      m.trainer(50).setAugmentation(new Augmentation(40, 0.3, 0.3, 0.3, 20, true, true, "wrap", 0));
      assertArrayEquals(plain, m.predict(test.x(), test.count(), 50));
      assertEquals(loss, m.evaluate(test, 50).loss());
    }
  }

  @Test
  void badSettingsAreRefusedByName() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentation.fromJson(
        Json.MAPPER.readTree("{\"rotation\": 10}")));
    assertTrue(e.getMessage().contains("unknown key 'rotation'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Augmentation.fromJson(Json.MAPPER.readTree(
        "{\"fill_mode\": \"mirror\"}")));
    assertTrue(e.getMessage().contains("fill_mode must be nearest, constant, reflect or wrap"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Augmentation.fromJson(Json.MAPPER.readTree(
        "{\"zoom_range\": 1.5}")));
    assertTrue(e.getMessage().contains("zoom_range must be below 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Augmentation.fromJson(Json.MAPPER.readTree(
        "{\"horizontal_flip\": \"yes\"}")));
    assertTrue(e.getMessage().contains("horizontal_flip: must be true or false"), e.getMessage());
    try (Sequential dense = new Sequential().add(new dev.cnnspark.worker.layers.Dense(3,
        dev.cnnspark.worker.layers.ActivationFn.SOFTMAX, true, Shape.of(4)))) {
      dense.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      dense.useBackend(new JavaBackend(1));
      e = assertThrows(IllegalArgumentException.class, () -> dense.trainer(2).setAugmentation(
          new Augmentation(10, 0, 0, 0, 0, false, false, "nearest", 0)));
      assertTrue(e.getMessage().contains("augmentation transforms images"), e.getMessage());
    }
  }
}
