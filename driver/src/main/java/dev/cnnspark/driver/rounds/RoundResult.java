package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.io.Serializable;

/**
 * The sum side of a round's {@code treeAggregate}: per-element weighted sums (in double) of every worker's final
 * parameters, moving statistics and optimizer slots, the weight being the minibatches the worker trained; plus loss
 * and accuracy sums, examples, and the slowest worker's local training time. A worker that trained nothing this
 * round (its shard ran out) contributes weight 0.
 */
public final class RoundResult implements Serializable {
  private static final long serialVersionUID = 1L;
  double[] params;
  double[] moving;
  double[] opt1;
  double[] opt2;
  long weight;
  long maxSteps;
  double lossSum;
  double correctSum;
  long examples;
  long maxTrainNanos;
  int workers;

  public RoundResult() {
  }

  /** One worker's contribution. */
  static RoundResult of(ModelState s, int steps, double lossSum, double correctSum, long examples, long trainNanos) {
    RoundResult r = new RoundResult();
    r.params = weighted(s.params(), steps);
    r.moving = weighted(s.moving(), steps);
    r.opt1 = weighted(s.opt1(), steps);
    r.opt2 = weighted(s.opt2(), steps);
    r.weight = steps;
    r.maxSteps = steps;
    r.lossSum = lossSum;
    r.correctSum = correctSum;
    r.examples = examples;
    r.maxTrainNanos = trainNanos;
    r.workers = 1;
    return r;
  }

  private static double[] weighted(float[] a, int w) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = (double) a[i] * w;
    }
    return d;
  }

  /** Adds another partial sum into this one (the aggregation's seqOp and combOp). */
  public RoundResult add(RoundResult o) {
    if (o.workers == 0) {
      return this;
    }
    if (workers == 0) {
      return o;
    }
    sum(params, o.params);
    sum(moving, o.moving);
    sum(opt1, o.opt1);
    sum(opt2, o.opt2);
    weight += o.weight;
    maxSteps = Math.max(maxSteps, o.maxSteps);
    lossSum += o.lossSum;
    correctSum += o.correctSum;
    examples += o.examples;
    maxTrainNanos = Math.max(maxTrainNanos, o.maxTrainNanos);
    workers += o.workers;
    return this;
  }

  private static void sum(double[] into, double[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  /** The averaged state: weighted means, iteration count advanced by the longest worker's steps. */
  public ModelState average(long baseIterations) {
    if (weight == 0) {
      throw new IllegalStateException("no worker trained in this round");
    }
    return new ModelState(mean(params), mean(moving), mean(opt1), mean(opt2), baseIterations + maxSteps);
  }

  private float[] mean(double[] s) {
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (float) (s[i] / weight);
    }
    return out;
  }

  public double lossSum() {
    return lossSum;
  }

  public double correctSum() {
    return correctSum;
  }

  public long examples() {
    return examples;
  }

  public long maxTrainNanos() {
    return maxTrainNanos;
  }

  public int workers() {
    return workers;
  }
}
