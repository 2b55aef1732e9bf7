package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import java.io.Serializable;

/**
 * One worker's share of a dataset: the only element of its RDD partition. Serialized by Kryo (registered) when the
 * RDD is cached, by Java serialization when Spark ships the parallelized collection.
 */
public final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;
  final int partition;
  final int[] shape;
  final int labelWidth;
  final int count;
  final float[] x;
  final float[] y;

  public Shard(int partition, int[] shape, int labelWidth, int count, float[] x, float[] y) {
    this.partition = partition;
    this.shape = shape;
    this.labelWidth = labelWidth;
    this.count = count;
    this.x = x;
    this.y = y;
  }

  public int partition() {
    return partition;
  }

  public int count() {
    return count;
  }

  public Dataset dataset() {
    return new Dataset(x, y, Shape.of(shape), labelWidth, count);
  }

  /**
   * Splits a dataset into {@code parts} shards after a seeded permutation, so each shard is a random sample and
   * the assignment is the same on every run with that seed; shard p gets the permuted examples
   * {@code [n*p/parts, n*(p+1)/parts)}.
   */
  public static Shard[] split(Dataset d, int parts, long seed) {
    int[] perm = dev.cnnspark.worker.train.FitLoop.permutation(d.count(), seed, -1);
    Shard[] out = new Shard[parts];
    int s = d.shape().size();
    int w = d.labelWidth();
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) d.count() * p / parts);
      int to = (int) ((long) d.count() * (p + 1) / parts);
      float[] x = new float[(to - from) * s];
      float[] y = new float[(to - from) * w];
      for (int i = from; i < to; i++) {
        System.arraycopy(d.x(), perm[i] * s, x, (i - from) * s, s);
        System.arraycopy(d.y(), perm[i] * w, y, (i - from) * w, w);
      }
      out[p] = new Shard(p, d.shape().dims(), w, to - from, x, y);
    }
    return out;
  }
}
