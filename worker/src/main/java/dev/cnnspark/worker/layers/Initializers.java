package dev.cnnspark.worker.layers;

import java.util.SplittableRandom;

/** Keras' default initializers, drawn from a seeded generator. */
public final class Initializers {
  private Initializers() {
  }

  /** Glorot (Xavier) uniform: U(-l, l), l = sqrt(6 / (fanIn + fanOut)). */
  public static void glorotUniform(float[] a, int off, int count, int fanIn, int fanOut, SplittableRandom rnd) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    for (int i = 0; i < count; i++) {
      a[off + i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
    }
  }

  public static void constant(float[] a, int off, int count, float value) {
    java.util.Arrays.fill(a, off, off + count, value);
  }
}
