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
  CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY, BINARY_CROSSENTROPY, MEAN_SQUARED_ERROR,
  /** Keras' {@code from_logits=True}: the model outputs logits (a linear last layer); the loss applies the softmax. */
  CATEGORICAL_CROSSENTROPY_FROM_LOGITS, SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS,
  /** {@code from_logits=True}: the loss applies the sigmoid. */
  BINARY_CROSSENTROPY_FROM_LOGITS;

  private static final String FROM_LOGITS = "(from_logits=true)";

  /**
   * A loss by Keras name, optionally followed by {@code (from_logits=True)} (the form {@link #spec()} writes). Keras'
   * {@code binary_crossentropy} on a linear output (the IMDB notebook's {@code Dense(1)}) is NOT from logits: as in
   * Keras, the outputs are clipped to [1e-7, 1 - 1e-7] and taken as probabilities, with no gradient where clipped.
   */
  public static Loss parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    if (n.endsWith(FROM_LOGITS) || n.endsWith("(from_logits=false)")) {
      boolean logits = n.endsWith(FROM_LOGITS);
      Loss base = parse(n.substring(0, n.indexOf('(')));
      return logits ? base.withLogits() : base;
    }
    return switch (n) {
      case "categorical_crossentropy", "categoricalcrossentropy" -> CATEGORICAL_CROSSENTROPY;
      case "sparse_categorical_crossentropy", "sparsecategoricalcrossentropy" -> SPARSE_CATEGORICAL_CROSSENTROPY;
      case "binary_crossentropy", "binarycrossentropy" -> BINARY_CROSSENTROPY;
      case "mse", "mean_squared_error", "meansquarederror" -> MEAN_SQUARED_ERROR;
      default -> throw new IllegalArgumentException("unknown loss '" + name + "' (known: categorical_crossentropy, "
          + "sparse_categorical_crossentropy, binary_crossentropy, mean_squared_error)");
    };
  }

  /**
   * The loss a model's outputs imply when none is given (benchmarks, running a saved model): binary cross-entropy
   * for one output, categorical for several.
   */
  public static Loss forOutputs(int outputs) {
    return outputs == 1 ? BINARY_CROSSENTROPY : CATEGORICAL_CROSSENTROPY;
  }

  /** The same loss computed from logits; refused for mean squared error, which Keras has no such option for. */
  public Loss withLogits() {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY, CATEGORICAL_CROSSENTROPY_FROM_LOGITS -> CATEGORICAL_CROSSENTROPY_FROM_LOGITS;
      case SPARSE_CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS ->
          SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS;
      case BINARY_CROSSENTROPY, BINARY_CROSSENTROPY_FROM_LOGITS -> BINARY_CROSSENTROPY_FROM_LOGITS;
      case MEAN_SQUARED_ERROR -> throw new IllegalArgumentException("mean_squared_error has no from_logits option");
    };
  }

  public boolean fromLogits() {
    return name().endsWith("_FROM_LOGITS");
  }

  /** Softmax cross-entropy over classes (categorical or sparse). */
  public boolean categorical() {
    return this == CATEGORICAL_CROSSENTROPY || this == SPARSE_CATEGORICAL_CROSSENTROPY
        || this == CATEGORICAL_CROSSENTROPY_FROM_LOGITS || this == SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS;
  }

  /** Keras' name of the loss function (without the from_logits option). */
  public String keras() {
    return name().toLowerCase(Locale.ROOT).replace("_from_logits", "");
  }

  /** The name {@link #parse} reads back: the Keras name, with {@code (from_logits=True)} when set. */
  public String spec() {
    return keras() + (fromLogits() ? "(from_logits=True)" : "");
  }

  /** The activation this loss can absorb, or null. */
  public ActivationFn fusableActivation() {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> ActivationFn.SOFTMAX;
      case BINARY_CROSSENTROPY -> ActivationFn.SIGMOID;
      default -> null;
    };
  }

  /** The kernel loss: fused when the model ends in {@link #fusableActivation()}, or from logits. */
  public LossKind kernelKind(boolean fused) {
    return switch (this) {
      case CATEGORICAL_CROSSENTROPY_FROM_LOGITS, SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS ->
          LossKind.SOFTMAX_CROSS_ENTROPY;
      case BINARY_CROSSENTROPY_FROM_LOGITS -> LossKind.SIGMOID_BINARY_CROSS_ENTROPY;
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> fused ? LossKind.SOFTMAX_CROSS_ENTROPY
          : LossKind.CATEGORICAL_CROSS_ENTROPY;
      case BINARY_CROSSENTROPY -> fused ? LossKind.SIGMOID_BINARY_CROSS_ENTROPY : LossKind.BINARY_CROSS_ENTROPY;
      case MEAN_SQUARED_ERROR -> LossKind.MEAN_SQUARED_ERROR;
    };
  }
}
