package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import java.io.Serializable;

/**
 * One worker's share of a dataset: the only element of its RDD partition. Serialized by Kryo (registered) when the
 * RDD is cached, by Java serialization when Spark ships the parallelized collection.
 *
 * <p>In memory it holds the examples ({@code x}, {@code y}); kept on disk ({@code data.shard_storage: disk}) it holds
 * only where they are: a file on the executor's local disk ({@link FileRows}) and the recipe that wrote it (the
 * {@link ShardSource}, Java-serialized), so an executor that finds no such file, because the shard was built
 * elsewhere, writes its own copy from the source.
 */
public final class Shard implements Serializable {
  private static final long serialVersionUID = 2L;
  final int partition;
  final int[] shape;
  final int labelWidth;
  final int count;
  final float[] x;
  final float[] y;
  final String file;
  final byte[] recipe;
  /** For a shard on disk: the file row of each position of the shard's order (null: the file's own order). */
  final int[] rows;

  public Shard(int partition, int[] shape, int labelWidth, int count, float[] x, float[] y) {
    this(partition, shape, labelWidth, count, x, y, null, null, null);
  }

  Shard(int partition, int[] shape, int labelWidth, int count, float[] x, float[] y, String file, byte[] recipe,
        int[] rows) {
    this.partition = partition;
    this.shape = shape;
    this.labelWidth = labelWidth;
    this.count = count;
    this.x = x;
    this.y = y;
    this.file = file;
    this.recipe = recipe;
    this.rows = rows;
  }

  /** A shard kept on local disk: its file and the recipe to write it again. */
  static Shard onDisk(int partition, int[] shape, int labelWidth, int count, String file, byte[] recipe,
                      int[] rows) {
    return new Shard(partition, shape, labelWidth, count, null, null, file, recipe, rows);
  }

  public int partition() {
    return partition;
  }

  public int count() {
    return count;
  }

  public boolean onDisk() {
    return file != null;
  }

  public Dataset dataset() {
    if (onDisk()) {
      throw new IllegalStateException("shard " + partition + " is on disk (" + file + "): read it as rows");
    }
    return new Dataset(x, y, Shape.of(shape), labelWidth, count);
  }
}
