package dev.cnnspark.worker.model;

import dev.cnnspark.kernels.LossKind;
import dev.cnnspark.worker.layers.ActivationFn;
import java.util.Locale;

/**
 * The losses a model compiles with, by Keras name. The kernel-level {@link LossKind} also depends on the model's
 * last activation: softmax + categorical cross-entropy and sigmoid + binary cross-entropy are fused (computed from
 * the logits, stable and one op), exactly as Keras computes them internally.
 *
 * <p>{@code sparse_categorical_crossentropy} is Keras' categorical cross-entropy of the integer labels' one-hot rows,
 * computed as exactly that: every data source turns integer labels into one-hot rows (one float per class per
 * example), so the two losses run the same kernels and give the same numbers.
 */
public enum Loss {
  CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY, BINARY_CROSSENTROPY, MEAN_SQUARED_ERROR;

  public static Loss parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "categorical_crossentropy", "categoricalcrossentropy" -> CATEGORICAL_CROSSENTROPY;
      case "sparse_categorical_crossentropy", "sparsecategoricalcrossentropy" -> SPARSE_CATEGORICAL_CROSSENTROPY;
      case "binary_crossentropy", "binarycrossentropy" -> BINARY_CROSSENTROPY;
      case "mse", "mean_squared_error", "meansquarederror" -> MEAN_SQUARED_ERROR;
      default -> throw new IllegalArgumentException("unknown loss '" + name + "' (known: categorical_crossentropy, "
          + "sparse_categorical_crossentropy, binary_crossentropy, mean_squared_error)");
    };
  }

  /** Softmax cross-entropy over classes (categorical or sparse). */
  public boolean categorical() {
    return this == CATEGORICAL_CROSSENTROPY || this == SPARSE_CATEGORICAL_CROSSENTROPY;
  }

  public String keras() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The activation this loss can absorb, or null. */
  public ActivationFn fusableActivation() {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> ActivationFn.SOFTMAX;
      case BINARY_CROSSENTROPY -> ActivationFn.SIGMOID;
      case MEAN_SQUARED_ERROR -> null;
    };
  }

  /** The kernel loss: fused when the model ends in {@link #fusableActivation()}. */
  public LossKind kernelKind(boolean fused) {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> fused ? LossKind.SOFTMAX_CROSS_ENTROPY
          : LossKind.CATEGORICAL_CROSS_ENTROPY;
      case BINARY_CROSSENTROPY -> fused ? LossKind.SIGMOID_BINARY_CROSS_ENTROPY : LossKind.BINARY_CROSS_ENTROPY;
      case MEAN_SQUARED_ERROR -> LossKind.MEAN_SQUARED_ERROR;
    };
  }
}
