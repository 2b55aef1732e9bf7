package dev.cnnspark.driver;

import dev.cnnspark.driver.spark.RunLog;
import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.checkpoint.RunFingerprint;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.doctor.ExecutorReport;
import dev.cnnspark.driver.report.RunRecorder;
import dev.cnnspark.driver.rounds.CachedResults;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.driver.rounds.RoundResult;
import dev.cnnspark.driver.rounds.RoundTask;
import dev.cnnspark.driver.rounds.ShardedAggregation;
import dev.cnnspark.driver.rounds.Shard;
import dev.cnnspark.driver.rounds.ShardSource;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.DirectoryLock;
import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.driver.storage.WriteProbe;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.train.History;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous parameter averaging on Spark, one code path:
 * <pre>
 * for each round: broadcast(state) -> every partition trains averaging_frequency minibatches from it
 *   -> the workers' states and metrics to the driver through the block managers ({@link CachedResults})
 *   -> weighted mean of params, moving stats, optimizer slots in partition order; loss; examples
 *   -> destroy the broadcast -> (every checkpoint.every_rounds rounds) checkpoint
 * at each epoch end: distributed validation, history, best-model checkpoint, checkpoint
 * </pre>
 * A rerun with the same checkpoint directory resumes from the newest valid checkpoint and computes exactly what the
 * uninterrupted run would have (see {@link RoundTask} for the randomness, {@link RoundResult} for the sums).
 */
public final class DistributedTraining {
  static final Logger LOG = LoggerFactory.getLogger(DistributedTraining.class);
  final JobSpec spec;
  final JavaSparkContext sc;
  final PrintStream out;

  /** What a finished job returns. */
  /**
   * What a finished job returns; {@code test} is the final evaluation on the data's test part (its validation part
   * when it has none; null when it has neither).
   */
  public record Outcome(History history, ModelState state, EvalResult test, String checkpointDir, boolean resumed,
                        double trainSeconds, RoundTimes times, java.util.List<String> classNames) {
  }

  /**
   * Totals over the rounds this run executed: wall time, the slowest worker's local training, examples, and where
   * the rest went: the driver's broadcast and averaging (with the check that the average is finite), the workers'
   * copies of the state into and out of their engines (the longest per round), and what remains (scheduling, the
   * workers' states reaching the driver, GC). Plus the one-time load before the first round (shards and worker
   * engines), which is not part of any round.
   */
  public record RoundTimes(int rounds, long wallNanos, long localTrainNanos, long examples, long setupNanos,
                           long broadcastNanos, long averageNanos, long copyNanos) {
    /** Share of round time spent outside local training (broadcast, scheduling, aggregation, averaging). */
    public double overheadShare() {
      return wallNanos == 0 ? 0 : (double) (wallNanos - localTrainNanos) / wallNanos;
    }

    /** Round time outside local training not in broadcast, averaging or the workers' state copies. */
    public long otherNanos() {
      return wallNanos - localTrainNanos - broadcastNanos - averageNanos - copyNanos;
    }

    /** These totals and another's (rounds and times added; the one-time setup is this one's). */
    RoundTimes plus(RoundTimes o) {
      return new RoundTimes(rounds + o.rounds, wallNanos + o.wallNanos, localTrainNanos + o.localTrainNanos,
          examples + o.examples, setupNanos, broadcastNanos + o.broadcastNanos, averageNanos + o.averageNanos,
          copyNanos + o.copyNanos);
    }
  }

  /** The checkpoint directory's lock lease; renewed every third of it while the run lives. */
  private static final long LOCK_LEASE_MS = 10 * 60_000;
  ModelState initialState;
  boolean resumeWithChanges;
  /** The executors the pre-flight check found, for the report; null when it was skipped. */
  java.util.List<ExecutorReport> executors;
  DataPlan plan;
  /** The driver's Hadoop configuration for the executors that read the data (see {@link ShardSource}). */
  private Broadcast<java.util.HashMap<String, String>> hadoopConf;

  public DistributedTraining(JobSpec spec, JavaSparkContext sc, PrintStream out) {
    this.spec = spec;
    this.sc = sc;
    this.out = out;
  }

  /**
   * Starts from this state instead of the seeded initial weights (warm start, e.g. from a published model), unless
   * a checkpoint to resume from exists.
   */
  public DistributedTraining startingFrom(ModelState state) {
    this.initialState = state;
    return this;
  }

  /** The executors the pre-flight check found (their devices and versions go into report.html). */
  public DistributedTraining withExecutors(java.util.List<ExecutorReport> reports) {
    this.executors = reports;
    return this;
  }

  /** Trains on this (already described) data instead of resolving the spec's. */
  public DistributedTraining withData(DataPlan plan) {
    this.plan = plan;
    return this;
  }

  /**
   * Continues from a checkpoint written under other settings (the differences are logged): a new learning rate or
   * optimizer for fine-tuning, more workers. A new optimizer type starts with fresh optimizer state; a change to how
   * epochs are cut into rounds restarts a partial epoch from its beginning, with the checkpoint's weights. A
   * different model is refused all the same.
   */
  public DistributedTraining resumeWithChanges(boolean allow) {
    this.resumeWithChanges = allow;
    return this;
  }

  /**
   * Runs the job. Before any data is read: the checkpoint directory is probed for writing ({@link WriteProbe}) and
   * locked for this run ({@link DirectoryLock}, released at the end; a second run into it is refused); then a
   * checkpoint to resume from must match this job's {@link RunFingerprint}.
   */
  public Outcome run() throws IOException {
    if (spec.checkpointDir().isBlank()) {
      try (RunRecorder recorder = recorder()) {
        return train(null, recorder);
      }
    }
    java.net.URI dir = Locations.toUri(spec.checkpointDir());
    WriteProbe.directory(dir, sc.hadoopConfiguration(), "checkpoint.dir");
    CheckpointStore store = new CheckpointStore(dir, sc.hadoopConfiguration(), spec.keepLast());
    DirectoryLock lock = DirectoryLock.acquire(store.fileSystem(), store.path(), LOCK_LEASE_MS,
        "checkpoint directory");
    try (RunLog log = runLog(dir); RunRecorder recorder = recorder()) {
      return train(store, recorder);
    } finally {
      lock.close();
    }
  }

  /**
   * The run's log file, {@code cnnspark.log} in the run directory (the checkpoint directory's parent, e.g.
   * {@code runs/mnist-cnn/}), when that is on the local file system; every INFO line of ours goes there.
   */
  private RunLog runLog(java.net.URI checkpoints) {
    if (!"file".equals(checkpoints.getScheme())) {
      return RunLog.attach(null);
    }
    java.nio.file.Path file = java.nio.file.Path.of(checkpoints).getParent().resolve("cnnspark.log");
    out.println("log: " + file + " (per-round lines; --verbose shows them here)");
    return RunLog.attach(file);
  }

  /** The run directory's recorder (history.csv, rounds.csv, TensorBoard, report.html), per the spec's report. */
  private RunRecorder recorder() {
    return RunRecorder.open(spec.reportDir(), new RunRecorder.Parts(spec.reportFlag("tensorboard"),
        spec.reportFlag("histograms"), spec.reportFlag("html")), sc.hadoopConfiguration(), out);
  }

  /** Replays after lost state slices before the run gives up (each replay starts from the newest checkpoint). */
  private static final int MAX_REPLAYS = 3;

  private Outcome train(CheckpointStore store, RunRecorder recorder) throws IOException {
    for (int replays = 0; ; replays++) {
      TrainingRun run = new TrainingRun(this, store, recorder);
      run.resume();
      run.load();
      try {
        for (int epoch = run.startEpoch(); epoch < spec.epochs(); epoch++) {
          if (!run.epoch(epoch)) {
            break;
          }
        }
        return run.finish();
      } catch (ShardedAggregation.StateLost e) {
        run.release();
        if (store == null || replays == MAX_REPLAYS) {
          throw new IllegalStateException("sharded aggregation lost the state's slices with an executor ("
              + e.getMessage() + ") and " + (store == null ? "there is no checkpoint.dir to replay from: set one, "
              + "or use training.aggregation: driver" : "the run has replayed " + MAX_REPLAYS + " times already"), e);
        }
        String w = "an executor was lost with slices of the averaged state (" + e.getMessage() + "): replaying "
            + "from the newest checkpoint (the same bits as an undisturbed run)";
        LOG.warn(w);
        out.println("WARNING: " + w);
        // the lost attempt's rounds leave the record; the replay (or the checkpoint it resumes) writes them again
        recorder.resumedAt(0);
      }
    }
  }

  /** One partition per worker, each built on an executor by {@link ShardSource}, cached serialized (Kryo). */
  JavaRDD<Shard> shards(DataPlan plan, DataPlan.Use use) {
    java.util.List<Integer> ids = new java.util.ArrayList<>();
    for (int p = 0; p < spec.workers(); p++) {
      ids.add(p);
    }
    if (hadoopConf == null) {
      hadoopConf = sc.broadcast(ShardSource.hadoopConf(sc.hadoopConfiguration()));
    }
    return sc.parallelize(ids, spec.workers())
        .map(new ShardSource(plan, hadoopConf, use, spec.workers(), spec.seed(), spec.shardsOnDisk()))
        .persist(StorageLevel.MEMORY_ONLY_SER());
  }

  /** Destroys the executors' Hadoop configuration (with the run's data; the next {@link #shards} broadcasts it). */
  void releaseHadoopConf() {
    hadoopConf.destroy();
    hadoopConf = null;
  }

}
