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
  /** One worker's state as it is, until a second result is added. */
  ModelState single;
  /** Weighted sums of params, moving, opt1 and opt2, once two or more results are combined. */
  double[][] sums;
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
    r.single = s;
    r.weight = steps;
    r.maxSteps = steps;
    r.lossSum = lossSum;
    r.correctSum = correctSum;
    r.examples = examples;
    r.maxTrainNanos = trainNanos;
    r.workers = 1;
    return r;
  }

  private static float[][] parts(ModelState s) {
    return new float[][] {s.params(), s.moving(), s.opt1(), s.opt2()};
  }

  /** Adds another result into this one (the aggregation's seqOp and combOp). */
  public RoundResult add(RoundResult o) {
    if (o.workers == 0) {
      return this;
    }
    if (workers == 0) {
      return o;
    }
    if (sums == null) {
      sums = new double[4][];
      float[][] mine = parts(single);
      for (int k = 0; k < 4; k++) {
        sums[k] = new double[mine[k].length];
        for (int i = 0; i < mine[k].length; i++) {
          sums[k][i] = (double) mine[k][i] * weight;
        }
      }
      single = null;
    }
    float[][] theirs = o.sums == null ? parts(o.single) : null;
    for (int k = 0; k < 4; k++) {
      if (theirs != null) {
        accumulate(sums[k], theirs[k], o.weight);
      } else {
        double[] into = sums[k];
        double[] from = o.sums[k];
        for (int i = 0; i < into.length; i++) {
          into[i] += from[i];
        }
      }
    }
    weight += o.weight;
    maxSteps = Math.max(maxSteps, o.maxSteps);
    lossSum += o.lossSum;
    correctSum += o.correctSum;
    examples += o.examples;
    maxTrainNanos = Math.max(maxTrainNanos, o.maxTrainNanos);
    workers += o.workers;
    return this;
  }

  private static void accumulate(double[] into, float[] values, long w) {
    for (int i = 0; i < into.length; i++) {
      into[i] += (double) values[i] * w;
    }
  }

  /** The averaged state: weighted means, iteration count advanced by the longest worker's steps. */
  public ModelState average(long baseIterations) {
    if (weight == 0) {
      throw new IllegalStateException("no worker trained in this round");
    }
    long iterations = baseIterations + maxSteps;
    if (sums == null) {
      return new ModelState(single.params(), single.moving(), single.opt1(), single.opt2(), iterations);
    }
    return new ModelState(mean(sums[0]), mean(sums[1]), mean(sums[2]), mean(sums[3]), iterations);
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
