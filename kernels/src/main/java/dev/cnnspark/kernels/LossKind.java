package dev.cnnspark.kernels;

/**
 * Losses as the loss op computes them. The {@code *_FROM_LOGITS} kinds fuse the output activation into the loss
 * (softmax + categorical cross-entropy, sigmoid + binary cross-entropy): numerically stable and one op, and
 * what the engine uses whenever the model ends in that activation.
 */
public enum LossKind {
  SOFTMAX_CROSS_ENTROPY(0),
  CATEGORICAL_CROSS_ENTROPY(1),
  SIGMOID_BINARY_CROSS_ENTROPY(2),
  BINARY_CROSS_ENTROPY(3),
  MEAN_SQUARED_ERROR(4);

  public final int code;

  LossKind(int code) {
    this.code = code;
  }

  /** Keras' clipping of probabilities before a log (backend epsilon 1e-7). */
  public static final float EPSILON = 1e-7f;

  /** Floats per row in the per-row statistics the loss op writes: loss, correct, predicted class, true class. */
  public static final int ROW_STATS = 4;
}
