package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fully connected layer, Keras' {@code Dense}: kernel {@code [in, units]} (Glorot uniform), bias (zeros), an optional
 * activation. On an input of rank > 1 it acts on the last axis, as in Keras.
 */
public final class Dense extends ActivatedLayer {
  private final int units;
  private final boolean useBias;

  public Dense(int units, ActivationFn activation, boolean useBias, Shape inputShape) {
    super("Dense", inputShape, activation);
    if (units <= 0) {
      throw new IllegalArgumentException("Dense needs a positive number of units, got " + units);
    }
    this.units = units;
    this.useBias = useBias;
  }

  public Dense(int units, String activation) {
    this(units, ActivationFn.parse(activation), true, null);
  }

  public Dense(int units) {
    this(units, ActivationFn.LINEAR, true, null);
  }

  @Override
  public Shape outputShape(Shape input) {
    int[] dims = input.dims();
    dims[dims.length - 1] = units;
    return Shape.of(dims);
  }

  @Override
  public int trainableCount(Shape input) {
    return input.channels() * units + (useBias ? units : 0);
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    reserveStage(work, (long) maxRows * out.size());
  }

  /** Rows of the GEMM: examples times all axes but the last. */
  private int rows(Pass p) {
    return p.rows() * (in.size() / in.channels());
  }

  private int biasOffset() {
    return useBias ? paramOffset + in.channels() * units : -1;
  }

  @Override
  public void forward(Pass p) {
    int rows = rows(p);
    p.backend().denseForward(rows, in.channels(), units, inOff, paramOffset, biasOffset(), stage.zOff,
        stage.opActivation());
    stage.forward(p.backend(), (long) rows * units, rows, units);
  }

  @Override
  public void backward(Pass p) {
    Backend b = p.backend();
    int rows = rows(p);
    stage.backward(b, (long) rows * units, rows, units);
    if (trainable()) {
      b.denseBackwardFilter(rows, in.channels(), units, inOff, stage.dzOff, paramOffset, biasOffset());
    }
    if (inDeltaOff >= 0) {
      b.denseBackwardData(rows, in.channels(), units, stage.dzOff, paramOffset, inDeltaOff);
    }
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    int[] kernel = {input.channels(), units};
    return useBias ? java.util.List.of(kernel, new int[] {units}) : java.util.List.of(kernel);
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
    Initializers.glorotUniform(params, p0, input.channels() * units, input.channels(), units, rnd);
    if (useBias) {
      Initializers.constant(params, p0 + input.channels() * units, units, 0f);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("units", units);
    c.put("activation", stage.fn.keras());
    c.put("use_bias", useBias);
    return c;
  }
}
