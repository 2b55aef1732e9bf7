package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code BatchNormalization} over the last axis: gamma (ones) and beta (zeros) trainable; moving mean (zeros)
 * and variance (ones) in the MOVING arena, averaged across workers like parameters. Training normalizes with the
 * batch statistics and updates the moving averages; inference uses the moving averages.
 */
public final class BatchNormalization extends Layer {
  private final float momentum;
  private final float epsilon;
  private final int axis;
  private int meanOff;
  private int invStdOff;
  private int sumsOff;
  private int scratchDelta = -1;

  public BatchNormalization(double momentum, double epsilon) {
    this(momentum, epsilon, -1);
  }

  /** @param axis Keras' axis: -1, or the last axis counted with the batch axis (3 for images) */
  public BatchNormalization(double momentum, double epsilon, int axis) {
    super("BatchNormalization", null);
    this.axis = axis;
    if (!(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("BatchNormalization needs momentum in [0, 1) and epsilon > 0, got momentum="
          + momentum + " epsilon=" + epsilon);
    }
    this.momentum = (float) momentum;
    this.epsilon = (float) epsilon;
  }

  public BatchNormalization() {
    this(0.99, 1e-3);
  }

  @Override
  public Shape outputShape(Shape input) {
    if (axis != -1 && axis != input.rank()) {
      throw new IllegalArgumentException(describe() + ": only the channels axis (-1, or " + input.rank() + " for an "
          + "input " + input + ") is supported, got axis " + axis);
    }
    return input;
  }

  @Override
  public int trainableCount(Shape input) {
    return 2 * input.channels();
  }

  @Override
  public int movingCount(Shape input) {
    return 2 * input.channels();
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    super.reserve(work, maxRows);
    int c = in.channels();
    meanOff = work.reserve(c);
    invStdOff = work.reserve(c);
    sumsOff = work.reserve(2L * c);
    if (inDeltaOff < 0) {
      scratchDelta = work.reserve((long) maxRows * in.size());
    }
  }

  private int rows(Pass p) {
    return p.rows() * (in.size() / in.channels());
  }

  /**
   * A frozen layer always normalizes with the moving statistics and never updates them (Keras 2.1+: a
   * BatchNormalization with {@code trainable = False} runs in inference mode, the fine-tuning behaviour).
   */
  @Override
  public void forward(Pass p) {
    Backend b = p.backend();
    int c = in.channels();
    if (p.training() && trainable()) {
      b.batchNormStats(rows(p), c, inOff, meanOff, invStdOff, movingOffset, momentum, epsilon);
    } else {
      b.batchNormMovingStats(c, movingOffset, meanOff, invStdOff, epsilon);
    }
    b.batchNormApply(rows(p), c, inOff, outOff, paramOffset, meanOff, invStdOff);
  }

  @Override
  public void backward(Pass p) {
    if (!trainable()) {
      if (inDeltaOff >= 0) {
        p.backend().batchNormBackwardInference(rows(p), in.channels(), deltaOff, inDeltaOff, paramOffset, invStdOff);
      }
      return;
    }
    p.backend().batchNormBackward(rows(p), in.channels(), inOff, deltaOff, inDeltaOff >= 0 ? inDeltaOff : scratchDelta,
        paramOffset, meanOff, invStdOff, paramOffset, sumsOff);
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    int[] c = {input.channels()};
    return java.util.List.of(c, c, c, c);
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
    int c = input.channels();
    Initializers.constant(params, p0, c, 1f);
    Initializers.constant(params, p0 + c, c, 0f);
    Initializers.constant(moving, m0, c, 0f);
    Initializers.constant(moving, m0 + c, c, 1f);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("momentum", (double) momentum);
    c.put("epsilon", (double) epsilon);
    return c;
  }
}
