package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.rounds.SliceBlocks;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.ModelState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded aggregation in local mode: the executors average slices of the state through the block manager and the
 * run ends on exactly the driver path's bits (parameters, optimizer slots, update count, history), with block
 * momentum and with three workers (the mean over more than two states); slices lost mid-run (removed from the block
 * manager, as an executor loss removes them) make the run replay from its newest checkpoint to the same bits.
 */
class ShardedAggregationTest {

  private static JobSpec spec(Path dir, String training) {
    return spec(dir, training, 2);
  }

  private static JobSpec spec(Path dir, String training, int workers) {
    return JobSpec.parse(TestJobs.spec(dir.resolve("checkpoints"), 2).replace("  backend: java\n",
        "  backend: java\n" + training).replace("  workers: 2\n", "  workers: " + workers + "\n"), "sharded",
        Map.of()).validate();
  }

  /** The same job with checkpoints at epoch ends only. */
  private static JobSpec everyEpoch(JobSpec spec) {
    JobSpec once = JobSpec.parse(spec.toJson().replace("\"every_rounds\":2", "\"every_rounds\":1000"), "sharded",
        Map.of()).validate();
    assertEquals(1000, once.checkpointEveryRounds());
    return once;
  }

  private static void assertSameState(ModelState a, ModelState b) {
    assertArrayEquals(a.params(), b.params(), "params");
    assertArrayEquals(a.moving(), b.moving(), "moving statistics");
    assertArrayEquals(a.opt1(), b.opt1(), "optimizer slot 1");
    assertArrayEquals(a.opt2(), b.opt2(), "optimizer slot 2");
    assertEquals(a.iterations(), b.iterations(), "iterations");
  }

  @Test
  void shardedEndsOnTheDriverPathsBits(@TempDir Path tmp) throws Exception {
    TestJobs.Run driver = TestJobs.train(spec(tmp.resolve("driver"), "  aggregation: driver\n"));
    TestJobs.Run sharded = TestJobs.train(spec(tmp.resolve("sharded"), "  aggregation: sharded\n"));
    assertTrue(driver.outcome().test().accuracy() > 0.5, "the job learns: " + driver.outcome().test().accuracy());
    assertSameState(driver.outcome().state(), sharded.outcome().state());
    assertEquals(driver.outcome().history().asMap(), sharded.outcome().history().asMap());
    assertEquals(Files.readAllLines(tmp.resolve("driver/history.csv")),
        Files.readAllLines(tmp.resolve("sharded/history.csv")));
  }

  @Test
  void threeWorkersWithResetSlotsToo(@TempDir Path tmp) throws Exception {
    String three = "  averaging: {optimizer_state: reset, block_momentum: 0.6}\n";
    TestJobs.Run driver = TestJobs.train(spec(tmp.resolve("driver"), three + "  aggregation: driver\n", 3));
    TestJobs.Run sharded = TestJobs.train(spec(tmp.resolve("sharded"), three + "  aggregation: sharded\n", 3));
    assertSameState(driver.outcome().state(), sharded.outcome().state());
  }

  @Test
  void lostSlicesReplayFromTheNewestCheckpoint(@TempDir Path tmp) throws Exception {
    // no checkpoint inside an epoch: from round 1 to the epoch's end the state lives only in the slice blocks, so
    // whenever the listener below removes them, a later read of the newest averaged slices fails
    TestJobs.Run straight = TestJobs.train(everyEpoch(spec(tmp.resolve("straight"), "  aggregation: sharded\n")));
    JobSpec s = everyEpoch(spec(tmp.resolve("lost"), "  aggregation: sharded\n"));
    AtomicInteger jobs = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();
    TestJobs.Run lost = TestJobs.train(s, (JavaSparkContext sc) -> sc.sc().addSparkListener(new SparkListener() {
      @Override
      public void onJobEnd(SparkListenerJobEnd end) {
        // after round 2 of the first epoch (jobs: load, then training and averaging per round), every slice block
        // goes, as with a lost executor
        if (jobs.incrementAndGet() == 5 && removed.get() == 0) {
          removed.addAndGet(SliceBlocks.removeAllLocal());
        }
      }
    }));
    assertTrue(removed.get() > 0, "blocks were removed");
    assertTrue(lost.log().contains("replaying from the newest checkpoint"), lost.log());
    // reported by the task that found its slice gone (not a failed task, which Spark would retry on a cluster)
    assertTrue(java.util.regex.Pattern.compile("(a training|an averaging) task could not read").matcher(lost.log())
        .find(), lost.log());
    assertSameState(straight.outcome().state(), lost.outcome().state());
    assertEquals(straight.outcome().history().asMap(), lost.outcome().history().asMap());
    assertEquals(Files.readAllLines(tmp.resolve("straight/rounds.csv")).size(),
        Files.readAllLines(tmp.resolve("lost/rounds.csv")).size());
  }
}
