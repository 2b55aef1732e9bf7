package dev.cnnspark.driver.rounds;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * A worker ran out of heap. Thrown in place of the {@link OutOfMemoryError} a task hit, because Spark treats an
 * error as fatal and kills the executor's JVM (in local mode: the whole job, exit code 52, with no word of what to
 * change), while an exception fails the job with this message, which the command line turns into exit code 7. The
 * failed allocation is usually the one large arena or state copy, so the heap is usable again once it unwinds.
 */
public final class WorkerOutOfMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkerOutOfMemoryException(String message) {
    super(message);
  }

  /** Runs a worker's step, turning an out-of-memory error into this exception with what to lower. */
  public static <T> T guard(String what, int batch, Supplier<T> step) {
    try {
      return step.get();
    } catch (OutOfMemoryError e) {
      long heap = Runtime.getRuntime().maxMemory() >> 20;
      throw new WorkerOutOfMemoryException(String.format(Locale.ROOT, "a worker ran out of memory (%s) while %s at "
          + "batch size %d on an executor with a %,d MiB heap: lower training.batch_size (cnnspark validate and "
          + "doctor print the largest that fits), run fewer workers per executor, or raise the executor heap "
          + "(spark.executor.memory; in local mode CNNSPARK_HEAP or spark.driver.memory)", e.getMessage(), what,
          batch, heap));
    }
  }
}
