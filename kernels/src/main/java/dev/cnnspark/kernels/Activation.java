package dev.cnnspark.kernels;

/**
 * Element-wise activations that can be fused into a conv or dense epilogue. Softmax is row-wise and has its own op.
 * The int codes are what the OpenCL kernel branches on.
 */
public enum Activation {
  LINEAR(0), RELU(1), SIGMOID(2), TANH(3),
  /** {@code min(max(x, 0), 6)}: MobileNet's activation. */
  RELU6(4);

  public final int code;

  Activation(int code) {
    this.code = code;
  }

  /** f(x) in float, the same formula every backend uses. */
  public static float apply(int code, float x) {
    if (code == 1) {
      return x > 0f ? x : 0f;
    } else if (code == 2) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    } else if (code == 3) {
      return (float) Math.tanh(x);
    } else if (code == 4) {
      return x > 0f ? Math.min(x, 6f) : 0f;
    }
    return x;
  }

  /** f'(x) expressed through the output y = f(x), which is what the backward pass keeps. */
  public static float derivativeFromOutput(int code, float y) {
    if (code == 1) {
      return y > 0f ? 1f : 0f;
    } else if (code == 2) {
      return y * (1f - y);
    } else if (code == 3) {
      return 1f - y * y;
    } else if (code == 4) {
      return y > 0f && y < 6f ? 1f : 0f;
    }
    return 1f;
  }
}
