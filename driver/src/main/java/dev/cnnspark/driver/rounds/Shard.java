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
}
