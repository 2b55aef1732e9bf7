package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Activation;
import java.util.Locale;

/** The activations a layer can end in, by their Keras names. */
public enum ActivationFn {
  LINEAR(Activation.LINEAR), RELU(Activation.RELU), SIGMOID(Activation.SIGMOID), TANH(Activation.TANH),
  RELU6(Activation.RELU6), SOFTMAX(null);

  /** The element-wise kernel activation, or null for softmax (row-wise). */
  public final Activation elementwise;

  ActivationFn(Activation elementwise) {
    this.elementwise = elementwise;
  }

  public static ActivationFn parse(String name) {
    if (name == null) {
      return LINEAR;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown activation '" + name + "' (known: linear, relu, relu6, sigmoid, "
          + "tanh, softmax)");
    }
  }

  public String keras() {
    return name().toLowerCase(Locale.ROOT);
  }
}
