package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.Backend;

/**
 * The activation at the end of a Conv2D or Dense layer. An element-wise activation is fused into the producing op
 * and its derivative taken from the output, so the output and the pre-activation share one region; softmax, or an
 * activation absorbed into the loss, keeps the pre-activation ({@code z}) in a region of its own.
 */
final class OutputStage {
  final ActivationFn fn;
  boolean absorbed;
  int yOff;
  int dyOff;
  int zOff;
  int dzOff;

  OutputStage(ActivationFn fn) {
    this.fn = fn;
  }

  void reserve(WorkLayout work, long size) {
    yOff = work.reserve(size);
    dyOff = work.reserve(size);
    if (fn == ActivationFn.SOFTMAX || absorbed) {
      zOff = work.reserve(size);
      dzOff = work.reserve(size);
    } else {
      zOff = yOff;
      dzOff = dyOff;
    }
  }

  /** The activation the producing op applies in its epilogue while writing {@link #zOff}. */
  Activation opActivation() {
    return fn.elementwise != null && !absorbed ? fn.elementwise : Activation.LINEAR;
  }

  /** After the op wrote z: the activated output y (row-wise softmax over {@code cols}). */
  void forward(Backend b, long len, int rows, int cols) {
    if (zOff == yOff) {
      return;
    }
    if (fn == ActivationFn.SOFTMAX) {
      b.softmaxForward(rows, cols, zOff, yOff);
    } else {
      b.activationForward(fn.elementwise, (int) len, zOff, yOff);
    }
  }

  /** Turns dy into dz (in place when they share a region); nothing when the loss already wrote dz. */
  void backward(Backend b, long len, int rows, int cols) {
    if (absorbed) {
      return;
    }
    if (fn == ActivationFn.SOFTMAX) {
      b.softmaxBackward(rows, cols, yOff, dyOff, dzOff);
    } else if (fn != ActivationFn.LINEAR) {
      b.activationBackward(fn.elementwise, (int) len, yOff, dyOff, dzOff);
    }
  }
}
