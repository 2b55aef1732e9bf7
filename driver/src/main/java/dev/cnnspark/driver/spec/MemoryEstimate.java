package dev.cnnspark.driver.spec;

import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.model.Trainer;
import java.util.Locale;

/**
 * What a job needs of an executor's heap, from the spec alone (nothing allocated): each concurrently running
 * worker engine holds the arenas {@link Trainer#arenaSizes} lays out for the batch size (parameters, gradients,
 * optimizer slots, activations and deltas of every layer, one minibatch in, results out; an OpenCL GPU holds the
 * same again in device memory), and each worker's shards are held decoded as floats, and the round's state copies
 * (broadcast in, result out) come on top. Spark reserves 300 MiB of every heap for itself, and of the rest only
 * {@link #USABLE} is counted: what the estimate leaves out (Spark's serialized cache of the shards, the driver's copy
 * of the data in local mode, G1's unused tails of the regions a humongous arena spans, the collector's headroom) was
 * measured to need the remainder: with a 6 GiB heap in local[2], model (a) at a batch of 4,600 (which a 100% rule
 * admitted) ran out of memory while building its engines.
 */
public record MemoryEstimate(int batch, long engineBytes, long stateBytes, long dataBytesPerWorker) {
  /** Spark's reserved memory ({@code spark.testing.reservedMemory}'s default), not available to tasks. */
  public static final long SPARK_RESERVED = 300L << 20;

  /**
   * The estimate for a spec at a batch size.
   *
   * @param trainExamples training examples in all (validation shards come on top: {@code evalExamples})
   */
  public static MemoryEstimate of(JobSpec spec, int batch, long trainExamples, long evalExamples) {
    try (Sequential m = spec.buildModel()) {
      m.compile(spec.buildOptimizer(), spec.buildLoss());
      ArenaSizes s = Trainer.arenaSizes(m, batch);
      long state = (long) Float.BYTES * (s.params() + s.opt1() + s.opt2() + s.moving());
      long perExample = (long) Float.BYTES * (m.layout().input().size() + m.layout().output().size());
      int workers = Math.max(1, spec.workers());
      // on disk, a worker's heap holds one chunk of its shard while building it, then a row at a time
      long data = spec.shardsOnDisk() ? perExample * 4096
          : perExample * (ceilDiv(trainExamples, workers) + ceilDiv(evalExamples, workers));
      return new MemoryEstimate(batch, Trainer.bytes(s), state, data);
    }
  }

  /** The share of the heap past Spark's reserve that the estimated arenas, states and shards may take. */
  public static final double USABLE = 0.75;

  /** Bytes an executor needs when it runs {@code tasks} workers at once and holds {@code workersHere} shards. */
  public long executorBytes(int tasks, int workersHere) {
    return SPARK_RESERVED + tasks * (engineBytes + 2 * stateBytes) + workersHere * dataBytesPerWorker;
  }

  /** Whether an executor with this heap can run the job. */
  public boolean fits(long heapBytes, int tasks, int workersHere) {
    return executorBytes(tasks, workersHere) - SPARK_RESERVED <= USABLE * (heapBytes - SPARK_RESERVED);
  }

  /** The largest batch size (at most {@code upTo}) that fits the heap, or 0 if none does. */
  public static int largestBatch(JobSpec spec, long trainExamples, long evalExamples, long heapBytes, int tasks,
                                 int workersHere, int upTo) {
    int lo = 0;
    int hi = Math.max(1, upTo);
    while (lo < hi) {
      int mid = (int) (((long) lo + hi + 1) / 2);
      boolean fits;
      try {
        fits = of(spec, mid, trainExamples, evalExamples).fits(heapBytes, tasks, workersHere);
      } catch (IllegalArgumentException e) {
        fits = false; // an arena beyond one Java array
      }
      if (fits) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** "the largest batch that fits is N" (searched up to {@code spec}'s batch size), or "no batch size fits". */
  public static String largestNote(JobSpec spec, long trainExamples, long evalExamples, long heapBytes, int tasks,
                                   int workersHere) {
    int largest = largestBatch(spec, trainExamples, evalExamples, heapBytes, tasks, workersHere, spec.batchSize());
    return largest > 0 ? "the largest batch that fits is " + largest : "no batch size fits";
  }

  /** "needs about X of the Y usable in a Z heap (...)", for refusals. */
  public String shortfall(long heapBytes, int tasks, int workersHere) {
    long usable = SPARK_RESERVED + (long) (USABLE * (heapBytes - SPARK_RESERVED));
    return String.format(Locale.ROOT, "%d needs about %s of the %s usable in a %s heap (%d workers there, %d at a "
            + "time; %s)", batch, mib(executorBytes(tasks, workersHere)), mib(usable), mib(heapBytes), workersHere,
        tasks, describe());
  }

  /** One line for {@code validate} and the pre-flight. */
  public String describe() {
    return String.format(Locale.ROOT, "memory at batch %d: %s per worker engine (arenas), %s of state per copy, "
        + "%s of decoded data per worker", batch, mib(engineBytes), mib(stateBytes), mib(dataBytesPerWorker));
  }

  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", (bytes + (1 << 20) - 1) >> 20);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
