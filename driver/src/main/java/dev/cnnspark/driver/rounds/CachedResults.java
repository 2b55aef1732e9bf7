package dev.cnnspark.driver.rounds;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import scala.Option;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Brings the values of every partition of an RDD to the driver through the block managers instead of as task
 * results: the RDD is persisted, one job computes it (its tasks return only a count), and the driver reads each
 * partition's cached block, in partition order.
 *
 * <p>Why: a round's task result is a worker's whole state (14.4 MB for model (a) with Adadelta), and Spark's
 * task-result path copies it about five times (Kryo into a growing buffer, out of it, Java serialization of the
 * result wrapper, its deserialization, Kryo back into arrays); with it a 2 x 64 round spent 45–70 ms in
 * "scheduling and task results", with this 25–40 ms (README, Benchmarks). In local mode the driver shares the
 * executors' block manager and reads the very objects the tasks cached (no copy); on a cluster it fetches each block
 * once over the block-transfer service and deserializes it once (Kryo).
 *
 * <p>The cost is a Spark-internal API ({@code SparkEnv.blockManager().get}, public in the bytecode, stable since
 * Spark 1.x, the way BigDL moves its parameters). Two things fall back to an ordinary {@code collect()} of the
 * persisted RDD, with a warning and the same values (the tasks are deterministic): a block that is gone (its
 * executor was lost after the job) and a Spark whose block manager does not link. {@code collect()} reads the blocks
 * that are still there and recomputes only the lost partitions.
 *
 * <p>The driver receives every partition's value, where {@code treeAggregate} would combine some on executors first;
 * with W workers the driver takes W states in instead of about sqrt(W) partial sums of twice the size (double), the
 * same traffic up to W = 4 and twice it at W = 16.
 */
public final class CachedResults {
  private CachedResults() {
  }

  /**
   * Computes {@code rdd} (persisting it for the duration) and returns its values in partition order. The values may
   * be the objects the tasks produced (local mode), so the caller owns them but must not expect copies.
   */
  public static <T> List<T> collect(JavaRDD<T> rdd, Class<T> type, Consumer<String> warn) {
    JavaRDD<T> cached = rdd.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      cached.count();
      List<T> values = new ArrayList<>();
      String missing;
      try {
        missing = fetch(cached, type, values);
      } catch (LinkageError e) {
        missing = "the block manager API did not link (" + e + ")";
      }
      if (missing != null) {
        warn.accept("collecting the results of RDD " + cached.id() + " as task results: " + missing);
        return cached.collect();
      }
      return values;
    } finally {
      cached.unpersist(false);
    }
  }

  /** Reads every partition's block into {@code into}; returns why it could not (a missing block), or null. */
  static <T> String fetch(JavaRDD<T> rdd, Class<T> type, List<T> into) {
    BlockManager blocks = SparkEnv.get().blockManager();
    ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
    for (int p = 0; p < rdd.getNumPartitions(); p++) {
      RDDBlockId id = new RDDBlockId(rdd.id(), p);
      Option<BlockResult> block = blocks.get(id, tag);
      if (block.isEmpty()) {
        return "block " + id.name() + " is gone (its executor was lost?)";
      }
      // draining the iterator releases the read lock a local block holds
      scala.collection.Iterator<Object> it = block.get().data();
      while (it.hasNext()) {
        into.add(type.cast(it.next()));
      }
    }
    return null;
  }
}
