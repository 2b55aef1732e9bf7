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
  private int meanOff;
  private int invStdOff;
  private int sumsOff;
  private int scratchDelta = -1;

  public BatchNormalization(double momentum, double epsilon) {
    super("BatchNormalization", null);
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

  @Override
  public void forward(Pass p) {
    Backend b = p.backend();
    int c = in.channels();
    if (p.training()) {
      b.batchNormStats(rows(p), c, inOff, meanOff, invStdOff, movingOffset, momentum, epsilon);
    } else {
      b.batchNormMovingStats(c, movingOffset, meanOff, invStdOff, epsilon);
    }
    b.batchNormApply(rows(p), c, inOff, outOff, paramOffset, meanOff, invStdOff);
  }

  @Override
  public void backward(Pass p) {
    p.backend().batchNormBackward(rows(p), in.channels(), inOff, deltaOff, inDeltaOff >= 0 ? inDeltaOff : scratchDelta,
        paramOffset, meanOff, invStdOff, paramOffset, sumsOff);
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
