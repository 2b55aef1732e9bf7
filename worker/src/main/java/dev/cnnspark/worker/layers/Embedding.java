package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code Embedding(input_dim, output_dim, input_length)}: token indices {@code (steps)} in, one table row per
 * token {@code (steps, output_dim)} out; table {@code [input_dim, output_dim]} drawn from U(-0.05, 0.05) (Keras'
 * default). The model's first layer: its input is indices, which get no gradient. Indices are checked before every
 * minibatch reaches a backend ({@link #checkInputs}): a value that is not an integer in {@code [0, input_dim)}
 * names its row and position, where a GPU lookup would silently read zeros.
 */
public final class Embedding extends Layer {
  private final int inputDim;
  private final int outputDim;

  public Embedding(int inputDim, int outputDim, Shape inputShape) {
    super("Embedding", inputShape);
    if (inputDim <= 0 || outputDim <= 0) {
      throw new IllegalArgumentException("Embedding needs positive input_dim and output_dim, got " + inputDim + " and "
          + outputDim);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
  }

  public int inputDim() {
    return inputDim;
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 1) {
      throw new IllegalArgumentException(describe() + " expects a sequence of token indices (steps,), got " + input);
    }
    return Shape.of(input.dim(0), outputDim);
  }

  @Override
  public int trainableCount(Shape input) {
    return inputDim * outputDim;
  }

  @Override
  public void checkInputs(float[] x, int off, int rows, int perRow) {
    for (int i = 0; i < rows * perRow; i++) {
      float v = x[off + i];
      if (!(v >= 0 && v < inputDim) || v != (int) v) {
        throw new IllegalArgumentException(describe() + ": token index " + v + " at row " + i / perRow + ", position "
            + i % perRow + " is not an integer in [0, input_dim=" + inputDim + ")");
      }
    }
  }

  @Override
  public void forward(Pass p) {
    p.backend().embeddingForward(p.rows() * in.size(), inputDim, outputDim, inOff, paramOffset, outOff);
  }

  @Override
  public void backward(Pass p) {
    if (trainable()) {
      p.backend().embeddingBackward(p.rows() * in.size(), inputDim, outputDim, inOff, deltaOff, paramOffset);
    }
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    return java.util.List.of(new int[] {inputDim, outputDim});
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
    for (int i = 0; i < inputDim * outputDim; i++) {
      params[p0 + i] = (float) ((rnd.nextDouble() * 2 - 1) * 0.05);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("input_dim", inputDim);
    c.put("output_dim", outputDim);
    return c;
  }
}
