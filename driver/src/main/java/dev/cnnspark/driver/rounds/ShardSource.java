package dev.cnnspark.driver.rounds;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.worker.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Where a worker's shard comes from: the job's {@link DataPlan} (source, limits, validation cut) and the recipe
 * that splits it (workers, seed). Executors run it to build their partition, decoding only its examples, so an RDD
 * partition is a tiny integer and its lineage is "read the source and take shard p": a lost partition is recomputed
 * from the source on any executor, and no task ever carries the data itself (a parallelized collection would ship
 * its rows inside every task of every round).
 */
public final class ShardSource implements Function<Integer, Shard> {
  private static final long serialVersionUID = 1L;

  private final DataPlan plan;
  private final Broadcast<HashMap<String, String>> hadoopConf;
  private final DataPlan.Use use;
  private final int workers;
  private final long seed;
  private final boolean onDisk;
  /** Examples decoded at a time when a shard goes to disk: bounds the heap a shard build needs. */
  static final int CHUNK = 4096;

  /**
   * @param hadoopConf the driver's Hadoop configuration ({@link #hadoopConf}), broadcast once per job: held by
   *                   value it rode inside every round's task binary (~1,000 entries, serialized by the driver and
   *                   read back by every task of every round, since the lineage of the cached shards includes it)
   */
  public ShardSource(DataPlan plan, Broadcast<HashMap<String, String>> hadoopConf, DataPlan.Use use, int workers,
                     long seed) {
    this(plan, hadoopConf, use, workers, seed, false);
  }

  /** @param onDisk write the shard to the executor's local disk ({@code data.shard_storage: disk}) */
  public ShardSource(DataPlan plan, Broadcast<HashMap<String, String>> hadoopConf, DataPlan.Use use, int workers,
                     long seed, boolean onDisk) {
    this.plan = plan;
    this.hadoopConf = hadoopConf;
    this.use = use;
    this.workers = workers;
    this.seed = seed;
    this.onDisk = onDisk;
  }

  /** A Hadoop configuration's entries, to broadcast for {@link ShardSource}. */
  public static HashMap<String, String> hadoopConf(Configuration conf) {
    HashMap<String, String> entries = new HashMap<>();
    for (Map.Entry<String, String> e : conf) {
      entries.put(e.getKey(), e.getValue());
    }
    return entries;
  }

  @Override
  public Shard call(Integer partition) {
    Configuration conf = new Configuration(false);
    hadoopConf.value().forEach(conf::set);
    try {
      if (onDisk) {
        return writeToDisk(partition, conf);
      }
      Dataset d = plan.shard(use, partition, workers, seed, conf);
      return new Shard(partition, d.shape().dims(), d.labelWidth(), d.count(), d.x(), d.y());
    } catch (IOException e) {
      throw new UncheckedIOException("reading shard " + partition + " of " + plan.source().location(), e);
    }
  }

  /** Decodes the shard a chunk at a time into a new file on this executor's local disk. */
  private Shard writeToDisk(int partition, Configuration conf) throws IOException {
    java.nio.file.Path file = localDir().resolve("cnnspark-shard-" + use.name().toLowerCase(java.util.Locale.ROOT)
        + "-" + partition + "-" + java.util.UUID.randomUUID() + ".f32");
    int[] dims = plan.info().dims();
    int labelWidth = plan.info().labelWidth();
    int count;
    int[] rows;
    try (FileRows.Writer w = new FileRows.Writer(file)) {
      rows = plan.shard(use, partition, workers, seed, conf, CHUNK, w::append);
      count = w.count();
    }
    file.toFile().deleteOnExit();
    return Shard.onDisk(partition, dims, labelWidth, count, file.toString(), recipe(), rows);
  }

  private byte[] recipe() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(this);
    }
    return bytes.toByteArray();
  }

  /** Writes this executor's own copy of a disk shard from its recipe (the original file is on another host). */
  static Shard rebuild(Shard s) {
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(s.recipe))) {
      return ((ShardSource) in.readObject()).call(s.partition);
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot rebuild shard " + s.partition + " from its recipe", e);
    }
  }

  /** Spark's local directory on this executor (spark.local.dir), else the JVM's temporary directory. */
  private static java.nio.file.Path localDir() {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    String dir = env == null ? System.getProperty("java.io.tmpdir")
        : org.apache.spark.util.Utils.getLocalDir(env.conf());
    return java.nio.file.Path.of(dir);
  }
}
