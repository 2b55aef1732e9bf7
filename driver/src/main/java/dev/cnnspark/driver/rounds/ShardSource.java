package dev.cnnspark.driver.rounds;

import dev.cnnspark.driver.data.DataSources;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Where a worker's shard comes from: the dataset's URI and the recipe that splits it (limits, validation cut,
 * workers, seed). Executors run it to build their partition, so an RDD partition is a tiny integer and its lineage
 * is "read the files and take shard p": a lost partition is recomputed from the files on any executor, and no task
 * ever carries the data itself (a parallelized collection would ship its rows inside every task of every round).
 */
public final class ShardSource implements Function<Integer, Shard> {
  private static final long serialVersionUID = 1L;

  /** Which examples: the training part, the held-out validation part, or the test set. */
  public enum Part { TRAIN, VALIDATION, TEST }

  private final URI dir;
  private final Broadcast<HashMap<String, String>> hadoopConf;
  private final Part part;
  private final int trainLimit;
  private final int testLimit;
  private final double validationSplit;
  private final int workers;
  private final long seed;

  /**
   * @param hadoopConf the driver's Hadoop configuration ({@link #hadoopConf}), broadcast once per job: held by
   *                   value it rode inside every round's task binary (~1,000 entries, serialized by the driver and
   *                   read back by every task of every round, since the lineage of the cached shards includes it)
   */
  public ShardSource(URI dir, Broadcast<HashMap<String, String>> hadoopConf, Part part, int trainLimit,
                     int testLimit, double validationSplit, int workers, long seed) {
    this.dir = dir;
    this.hadoopConf = hadoopConf;
    this.part = part;
    this.trainLimit = trainLimit;
    this.testLimit = testLimit;
    this.validationSplit = validationSplit;
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

  /** The examples of this part, as the driver and every executor compute them. */
  public static Dataset select(Mnist.Split data, Part part, double validationSplit) {
    Dataset train = data.train();
    int cut = validationSplit > 0 ? (int) (train.count() * (1 - validationSplit)) : train.count();
    return switch (part) {
      case TRAIN -> validationSplit > 0 ? train.slice(0, cut) : train;
      case VALIDATION -> train.slice(cut, train.count());
      case TEST -> data.test();
    };
  }

  @Override
  public Shard call(Integer partition) {
    Configuration conf = new Configuration(false);
    hadoopConf.value().forEach(conf::set);
    try {
      Mnist.Split data = DataSources.mnist(dir, conf, trainLimit, testLimit);
      return Shard.split(select(data, part, validationSplit), workers, seed)[partition];
    } catch (IOException e) {
      throw new UncheckedIOException("reading shard " + partition + " of " + dir, e);
    }
  }
}
