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

  /**
   * @param hadoopConf the driver's Hadoop configuration ({@link #hadoopConf}), broadcast once per job: held by
   *                   value it rode inside every round's task binary (~1,000 entries, serialized by the driver and
   *                   read back by every task of every round, since the lineage of the cached shards includes it)
   */
  public ShardSource(DataPlan plan, Broadcast<HashMap<String, String>> hadoopConf, DataPlan.Use use, int workers,
                     long seed) {
    this.plan = plan;
    this.hadoopConf = hadoopConf;
    this.use = use;
    this.workers = workers;
    this.seed = seed;
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
      Dataset d = plan.shard(use, partition, workers, seed, conf);
      return new Shard(partition, d.shape().dims(), d.labelWidth(), d.count(), d.x(), d.y());
    } catch (IOException e) {
      throw new UncheckedIOException("reading shard " + partition + " of " + plan.source().location(), e);
    }
  }
}
