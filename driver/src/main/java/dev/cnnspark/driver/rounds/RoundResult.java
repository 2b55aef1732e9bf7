package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.io.Serializable;

/**
 * The sum side of a round's {@code treeAggregate}. A worker's result carries its final parameters, moving statistics
 * and optimizer slots as they are (float, half the bytes of a double sum on the wire), with a weight: the
 * minibatches it trained this round. Combining two results turns them into per-element weighted sums in double;
 * {@link #average} divides by the total weight. A worker that trained nothing (its shard ran out) has weight 0.
 *
 * <p>Two workers' results combine into {@code a*wa + b*wb}, and IEEE addition is commutative, so the order Spark
 * combines them in cannot change a bit. With more workers the grouping can differ between runs, which can change
 * the last bit of a double sum (and rarely the float average).
 */
public final class RoundResult implements Serializable {
  private static final long serialVersionUID = 1L;
  // one worker's values (when sums == null)
  float[] params;
  float[] moving;
  float[] opt1;
  float[] opt2;
  // combined weighted sums (when not null)
  double[] sumParams;
  double[] sumMoving;
  double[] sumOpt1;
  double[] sumOpt2;
  long weight;
  long maxSteps;
  double lossSum;
  double correctSum;
  long examples;
  long maxTrainNanos;
  int workers;

  public RoundResult() {
  }

  /** One worker's contribution; the arrays are taken, not copied. */
  static RoundResult of(ModelState s, int steps, double lossSum, double correctSum, long examples, long trainNanos) {
    RoundResult r = new RoundResult();
    r.params = s.params();
    r.moving = s.moving();
    r.opt1 = s.opt1();
    r.opt2 = s.opt2();
    r.weight = steps;
    r.maxSteps = steps;
    r.lossSum = lossSum;
    r.correctSum = correctSum;
    r.examples = examples;
    r.maxTrainNanos = trainNanos;
    r.workers = 1;
    return r;
  }

  /** Adds another result into this one (the aggregation's seqOp and combOp). */
  public RoundResult add(RoundResult o) {
    if (o.workers == 0) {
      return this;
    }
    if (workers == 0) {
      return o;
    }
    toSums();
    sumParams = accumulate(sumParams, o.params, o.sumParams, o.weight);
    sumMoving = accumulate(sumMoving, o.moving, o.sumMoving, o.weight);
    sumOpt1 = accumulate(sumOpt1, o.opt1, o.sumOpt1, o.weight);
    sumOpt2 = accumulate(sumOpt2, o.opt2, o.sumOpt2, o.weight);
    weight += o.weight;
    maxSteps = Math.max(maxSteps, o.maxSteps);
    lossSum += o.lossSum;
    correctSum += o.correctSum;
    examples += o.examples;
    maxTrainNanos = Math.max(maxTrainNanos, o.maxTrainNanos);
    workers += o.workers;
    return this;
  }

  private void toSums() {
    if (sumParams != null) {
      return;
    }
    sumParams = weighted(params, weight);
    sumMoving = weighted(moving, weight);
    sumOpt1 = weighted(opt1, weight);
    sumOpt2 = weighted(opt2, weight);
    params = moving = opt1 = opt2 = null;
  }

  private static double[] weighted(float[] a, long w) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = (double) a[i] * w;
    }
    return d;
  }

  private static double[] accumulate(double[] into, float[] single, double[] sums, long w) {
    if (sums != null) {
      for (int i = 0; i < into.length; i++) {
        into[i] += sums[i];
      }
    } else {
      for (int i = 0; i < into.length; i++) {
        into[i] += (double) single[i] * w;
      }
    }
    return into;
  }

  /** The averaged state: weighted means, iteration count advanced by the longest worker's steps. */
  public ModelState average(long baseIterations) {
    if (weight == 0) {
      throw new IllegalStateException("no worker trained in this round");
    }
    if (sumParams == null) {
      return new ModelState(params, moving, opt1, opt2, baseIterations + maxSteps);
    }
    return new ModelState(mean(sumParams), mean(sumMoving), mean(sumOpt1), mean(sumOpt2), baseIterations + maxSteps);
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
