package dev.cnnspark.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.rounds.WorkerOutOfMemoryException;
import dev.cnnspark.driver.storage.DirectoryLock;
import dev.cnnspark.driver.storage.StorageException;
import dev.cnnspark.worker.data.DataFormatException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/**
 * A failure a user can cause reaches them as its own message and exit code, also when Spark wraps it in a job
 * failure (a worker's bad data or out-of-memory); only our own bugs print a stack trace.
 */
class ExitCodesTest {

  private static String[] report(Throwable e) {
    StringWriter s = new StringWriter();
    int code = Main.report(e, "train", new PrintWriter(s));
    return new String[] {Integer.toString(code), s.toString()};
  }

  @Test
  void aWorkersOutOfMemoryInsideASparkJobFailureIsExitSevenWithWhatToLower() {
    WorkerOutOfMemoryException oom = assertThrowsOom();
    String[] r = report(new SparkException("Job aborted due to stage failure: ...", oom));
    assertEquals(Integer.toString(ExitCodes.MEMORY), r[0]);
    assertTrue(r[1].startsWith("cnnspark train: a worker ran out of memory"), r[1]);
    assertTrue(r[1].contains("lower training.batch_size"), r[1]);
    assertFalse(r[1].contains("\tat "), r[1]);
  }

  private static WorkerOutOfMemoryException assertThrowsOom() {
    try {
      WorkerOutOfMemoryException.guard("training a round", 4600, () -> {
        throw new OutOfMemoryError("Java heap space");
      });
    } catch (WorkerOutOfMemoryException e) {
      assertEquals(null, e.getCause(), "no error among the causes: Spark would kill the executor for it");
      assertTrue(e.getMessage().contains("at batch size 4600"), e.getMessage());
      return e;
    }
    throw new AssertionError("not thrown");
  }

  @Test
  void theDriversOwnOutOfMemoryIsExitSeven() {
    String[] r = report(new OutOfMemoryError("Java heap space"));
    assertEquals(Integer.toString(ExitCodes.MEMORY), r[0]);
    assertTrue(r[1].contains("out of memory (Java heap space): lower training.batch_size"), r[1]);
  }

  @Test
  void userFailuresWrappedBySparkKeepTheirCodesAndMessages() {
    String[] data = report(new SparkException("Job aborted", new DataFormatException("hdfs://x/train.gz", "bad")));
    assertEquals(Integer.toString(ExitCodes.DATA), data[0]);
    assertEquals("cnnspark train: hdfs://x/train.gz: bad", data[1].trim());
    assertEquals(Integer.toString(ExitCodes.STORAGE), report(new StorageException("checkpoint.dir x ..."))[0]);
    assertEquals(Integer.toString(ExitCodes.LOCKED), report(new DirectoryLock.LockedException("held"))[0]);
  }

  @Test
  void ourBugsKeepTheirStackTrace() {
    String[] r = report(new IllegalStateException("a bug"));
    assertEquals(Integer.toString(ExitCodes.FAILURE), r[0]);
    assertTrue(r[1].contains("java.lang.IllegalStateException: a bug") && r[1].contains("\tat "), r[1]);
  }
}
