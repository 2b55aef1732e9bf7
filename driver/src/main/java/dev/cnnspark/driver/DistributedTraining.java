package dev.cnnspark.driver;

import dev.cnnspark.driver.spark.RunLog;

import dev.cnnspark.driver.checkpoint.Checkpoint;
import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.checkpoint.ResumeCheck;
import dev.cnnspark.driver.checkpoint.RunFingerprint;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.doctor.ExecutorReport;
import dev.cnnspark.driver.report.RoundRecord;
import dev.cnnspark.driver.report.RunRecorder;
import dev.cnnspark.driver.rounds.CachedResults;
import dev.cnnspark.driver.rounds.EngineKey;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.driver.rounds.EvalTask;
import dev.cnnspark.driver.rounds.LoadTask;
import dev.cnnspark.driver.rounds.RoundResult;
import dev.cnnspark.driver.rounds.RoundTask;
import dev.cnnspark.driver.rounds.Shard;
import dev.cnnspark.driver.rounds.ShardSource;
import dev.cnnspark.driver.rounds.Stragglers;
import dev.cnnspark.driver.rounds.WorkerEngines;
import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.DirectoryLock;
import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.driver.storage.WriteProbe;
import dev.cnnspark.worker.io.CorruptStateFileException;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.OptimizerConfig;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.train.Callbacks;
import dev.cnnspark.worker.train.Augmentation;
import dev.cnnspark.worker.train.History;
import dev.cnnspark.worker.train.KerasProgress;
import dev.cnnspark.worker.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
  private static final Logger LOG = LoggerFactory.getLogger(DistributedTraining.class);
  private final JobSpec spec;
  private final JavaSparkContext sc;
  private final PrintStream out;

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
  private ModelState initialState;
  private boolean resumeWithChanges;
  /** The executors the pre-flight check found, for the report; null when it was skipped. */
  private java.util.List<ExecutorReport> executors;
  private DataPlan plan;
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

  private Outcome train(CheckpointStore store, RunRecorder recorder) throws IOException {
    Sequential model = spec.buildModel().seed(spec.seed());
    Optimizer optimizer = spec.buildOptimizer();
    Callbacks callbacks = spec.callbacks();
    model.compile(optimizer, spec.buildLoss());
    if (initialState == null) {
      spec.loadInitialWeights(model, out::println);
    }
    String modelJson = model.config().toString();
    String optimizerJson = OptimizerConfig.toJson(optimizer).toString();
    int workers = spec.workers();
    int batch = spec.batchSize();
    int k = spec.averagingFrequency();
    long seed = spec.seed();
    Augmentation augmentation = spec.augmentation();
    EngineKey key = new EngineKey(modelJson, spec.lossName(), optimizerJson, batch, spec.backend().id(),
        spec.threadsPerWorker(), seed, augmentation.isIdentity() ? "" : augmentation.toJson().toString());

    DataPlan plan = this.plan != null ? this.plan : DataPlan.of(spec, sc.hadoopConfiguration(), out::println);
    DataChecks.require(spec, plan);
    int stepsPerEpoch = 0;
    for (int p = 0; p < workers; p++) {
      int n = plan.count(DataPlan.Use.TRAIN);
      stepsPerEpoch = Math.max(stepsPerEpoch, RoundTask.stepsPerEpoch((int) ((long) n * (p + 1) / workers)
          - (int) ((long) n * p / workers), batch));
    }
    int roundsPerEpoch = (stepsPerEpoch + k - 1) / k;
    JavaRDD<Shard> trainRdd = shards(plan, DataPlan.Use.TRAIN);
    JavaRDD<Shard> testRdd = plan.count(DataPlan.Use.TEST) > 0 ? shards(plan, DataPlan.Use.TEST) : null;
    JavaRDD<Shard> valRdd = switch (spec.validationSource()) {
      case "test" -> testRdd;
      case "split", "data" -> shards(plan, DataPlan.Use.VALIDATION);
      default -> null;
    };
    long trainCount = plan.count(DataPlan.Use.TRAIN);
    long validationCount = valRdd == null ? 0 : plan.count(valRdd == testRdd ? DataPlan.Use.TEST
        : DataPlan.Use.VALIDATION);
    int classes = Math.max(2, model.layout().output().size());
    out.printf(Locale.ROOT, "job '%s': %d workers x batch %d, averaging every %d minibatches: %d rounds per epoch, "
            + "%d training examples, %s validation; data: %s %s, %d classes%n", spec.name(), workers, batch, k,
        roundsPerEpoch, trainCount, valRdd == null ? "no" : validationCount + " examples of", plan.source().type(),
        plan.source().location(), plan.info().classes());

    RunFingerprint fingerprint = RunFingerprint.of(spec, modelJson, optimizerJson, plan.source().location(),
        plan.info().classNames());
    ModelState state = initialState != null ? initialState : model.state();
    if (initialState != null) {
      model.setState(initialState);
    }
    History history = new History();
    int startEpoch = 0;
    int startRound = 0;
    long globalRound = 0;
    double best = Double.NaN;
    boolean resumed = false;
    Checkpoint.EpochSums carried = Checkpoint.EpochSums.ZERO;
    if (store != null) {
      Optional<CheckpointStore.Loaded> loaded = store.latestValid(w -> {
        LOG.warn(w);
        out.println("WARNING: " + w);
      });
      if (loaded.isPresent()) {
        Checkpoint c = loaded.get().checkpoint();
        ResumeCheck check = ResumeCheck.of(c, fingerprint, store.uri(), resumeWithChanges);
        check.changes().forEach(line -> {
          LOG.warn(line);
          out.println("WARNING: " + line);
        });
        state = check.freshOptimizerState() ? c.state().withFreshOptimizer(optimizer.rule().slots) : c.state();
        if (c.callbacksJson() != null) {
          callbacks.restore(Json.MAPPER.readTree(c.callbacksJson()), c.callbackWeights());
        }
        history = c.history();
        startEpoch = c.epoch();
        startRound = check.restartEpoch() ? 0 : c.round();
        globalRound = c.globalRound();
        best = c.bestValue();
        carried = check.restartEpoch() ? Checkpoint.EpochSums.ZERO : c.epochSums();
        resumed = true;
        recorder.resumedAt(globalRound);
        out.println("resuming from checkpoint " + loaded.get().name() + " in " + store.uri() + ": next is "
            + (check.restartEpoch() ? "epoch " + (startEpoch + 1) + ", round 1 (the partial epoch again)"
            : c.position()));
      } else if (!store.checkpoints().isEmpty()) {
        throw new CorruptStateFileException("checkpoint.dir " + store.uri() + " holds " + store.checkpoints()
            + " and none of them verifies (see the warnings above): training from scratch would overwrite them. "
            + "Move them aside or delete them to start over.");
      } else {
        out.println("no checkpoint in " + store.uri() + ": starting from " + (initialState != null
            ? "the warm-start weights it was given (retrain: the published model)" : "initial weights"));
      }
    }

    boolean checkpointed = resumed;
    long trainStart = System.nanoTime();
    sc.setJobDescription(spec.name() + ": load shards and build worker engines");
    int[] live = Arrays.asList(trainRdd, valRdd, testRdd).stream().filter(java.util.Objects::nonNull)
        .mapToInt(JavaRDD::id).toArray();
    long loaded = trainRdd.mapPartitionsWithIndex(new LoadTask(key, trainRdd.id(), live), true).reduce(Long::sum);
    long setupNanos = System.nanoTime() - trainStart;
    LOG.info(String.format(Locale.ROOT, "%d workers loaded %d training examples and built their engines in %.0f ms",
        workers, loaded, setupNanos / 1e6));
    long skipped = trainCount - loaded;
    if (skipped > 0) {
      out.printf(Locale.ROOT, "WARNING: %d of %d training examples are bad records, skipped (data.on_bad_record: "
          + "skip); the executors' logs name each%n", skipped, trainCount);
    }
    RoundTimes times = new RoundTimes(0, 0, 0, 0, setupNanos, 0, 0, 0);
    Stragglers stragglers = new Stragglers();
    float lastLr = optimizer.baseLearningRate();
    for (int epoch = startEpoch; epoch < spec.epochs(); epoch++) {
      if (callbacks.stopped()) {
        out.println("EarlyStopping stopped this run before epoch " + (epoch + 1) + ": nothing left to train");
        break;
      }
      float lr = callbacks.learningRate(epoch, optimizer.baseLearningRate());
      if (lr != lastLr) {
        out.printf(Locale.ROOT, "learning rate for epoch %d: %.6g%n", epoch + 1, lr);
        lastLr = lr;
      }
      boolean resumedEpoch = epoch == startEpoch && startRound > 0;
      double lossSum = resumedEpoch ? carried.lossSum() : 0;
      double correct = resumedEpoch ? carried.correctSum() : 0;
      long seen = resumedEpoch ? carried.examples() : 0;
      int firstRound = epoch == startEpoch ? startRound : 0;
      try (KerasProgress bar = new KerasProgress(epoch, spec.epochs(), trainCount, 1, out)) {
        for (int round = firstRound; round < roundsPerEpoch; round++) {
          sc.setJobDescription(String.format(Locale.ROOT, "%s: epoch %d/%d round %d/%d", spec.name(), epoch + 1,
              spec.epochs(), round + 1, roundsPerEpoch));
          long t0 = System.nanoTime();
          Broadcast<ModelState> b = sc.broadcast(state);
          long broadcast = System.nanoTime() - t0;
          RoundResult r = new RoundResult();
          String counter = String.format(Locale.ROOT, "epoch %d round %d: ", epoch + 1, round + 1);
          RoundTask task = new RoundTask(key, b, trainRdd.id(), epoch, round, k, seed, lr)
              .counting(sc.sc().longAccumulator(counter + "examples"), sc.sc().doubleAccumulator(counter + "loss sum"));
          for (RoundResult part : CachedResults.collect(trainRdd.mapPartitionsWithIndex(task, true),
              RoundResult.class, LOG::warn)) {
            r = r.add(part);
          }
          long t1 = System.nanoTime();
          state = r.average(state.iterations());
          double roundLoss = r.lossSum() / Math.max(1, r.examples());
          boolean diverged = !Double.isFinite(roundLoss) || !state.isFinite();
          long average = System.nanoTime() - t1;
          b.destroy();
          RoundTimes one = new RoundTimes(1, System.nanoTime() - t0, r.maxTrainNanos(), r.examples(), 0, broadcast,
              average, r.maxCopyNanos());
          times = times.plus(one);
          globalRound++;
          recorder.round(new RoundRecord(globalRound, epoch + 1, round + 1, roundLoss, r.examples(),
              one.wallNanos() / 1e6, one.localTrainNanos() / 1e6, broadcast / 1e6, one.copyNanos() / 1e6,
              average / 1e6, one.otherNanos() / 1e6, lr));
          lossSum += r.lossSum();
          correct += r.correctSum();
          seen += r.examples();
          LOG.info(String.format(Locale.ROOT, "epoch %d round %d/%d: loss %.4f over %d examples; %.0f ms = %.0f ms "
                  + "local training (slowest worker) + %.0f ms other (%.1f%%: broadcast %.0f, state copies in "
                  + "workers %.0f, averaging and finiteness check %.0f, scheduling and results %.0f)", epoch + 1,
              round + 1, roundsPerEpoch, roundLoss, r.examples(), one.wallNanos() / 1e6, r.maxTrainNanos() / 1e6,
              (one.wallNanos() - r.maxTrainNanos()) / 1e6, 100.0 * one.overheadShare(), broadcast / 1e6,
              r.maxCopyNanos() / 1e6, average / 1e6, one.otherNanos() / 1e6));
          stragglers.observe(r).ifPresent(w -> {
            LOG.warn(w);
            out.println("WARNING: " + w);
          });
          if (diverged) {
            throw new TrainingDivergedException(String.format(Locale.ROOT, "loss became %s in epoch %d round %d; "
                + "nothing of this round was checkpointed%s. Lower the learning rate or check the data.", roundLoss,
                epoch + 1, round + 1, store == null ? " (no checkpoint.dir)" : checkpointed
                    ? " (the last good checkpoint is in " + store.uri() + ")"
                    : " and no checkpoint was written before it (" + store.uri() + " holds none of this run)"));
          }
          bar.update(Math.min(seen, trainCount), Map.of("loss", lossSum / Math.max(1, seen),
              "accuracy", correct / Math.max(1, seen)));
          if (store != null && round + 1 < roundsPerEpoch && globalRound % spec.checkpointEveryRounds() == 0) {
            String name = store.write(new Checkpoint(spec.toJson(), modelJson, optimizerJson, state, epoch,
                round + 1, globalRound, seed, history, spec.monitor(), best,
                new Checkpoint.EpochSums(lossSum, correct, seen), fingerprint, callbackState(callbacks),
                callbacks.bestWeights()));
            checkpointed = true;
            recorder.checkpointed();
            LOG.info("checkpoint written: {} (next: epoch {} round {})", name, epoch + 1, round + 2);
          }
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / Math.max(1, seen));
        logs.put("accuracy", correct / Math.max(1, seen));
        if (valRdd != null) {
          EvalResult v = evaluate(valRdd, key, state, classes, "validation after epoch " + (epoch + 1));
          logs.put("val_loss", v.loss());
          logs.put("val_accuracy", v.accuracy());
        }
        history.add(epoch, logs);
        bar.finish(logs);
        recorder.epoch(epoch, history, logs, lr, model, state);
        Callbacks.Decision decision = callbacks.isEmpty() ? new Callbacks.Decision(false, null)
            : callbacks.onEpochEnd(epoch, logs, lr, state, out::println);
        if (decision.restore() != null) {
          state = new ModelState(decision.restore().params(), decision.restore().moving(), state.opt1(),
              state.opt2(), state.iterations());
        }
        if (skipped > 0) {
          out.printf(Locale.ROOT, "epoch %d trained on %d examples; %d bad records skipped%n", epoch + 1, loaded,
              skipped);
        }
        double monitored = logs.getOrDefault(spec.monitor(), Double.NaN);
        boolean improved = Double.isNaN(best)
            || (spec.monitorMaximizes() ? monitored > best : monitored < best);
        if (improved && !Double.isNaN(monitored)) {
          best = monitored;
        }
        if (store != null) {
          Checkpoint c = new Checkpoint(spec.toJson(), modelJson, optimizerJson, state, epoch + 1, 0, globalRound,
              seed, history, spec.monitor(), best, Checkpoint.EpochSums.ZERO, fingerprint, callbackState(callbacks),
              callbacks.bestWeights());
          if (improved) {
            String bestName = store.writeBest(c);
            out.printf(Locale.ROOT, "%s improved to %.4f: best model written to %s%n", spec.monitor(), best,
                bestName);
          }
          String written = store.write(c);
          LOG.info("checkpoint written: {} (end of epoch {})", written, epoch + 1);
          out.println("checkpoint " + written + " written (end of epoch " + (epoch + 1) + ")");
          checkpointed = true;
        }
        if (decision.stop()) {
          break;
        }
      }
    }
    double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
    JavaRDD<Shard> finalRdd = testRdd != null ? testRdd : valRdd;
    String testWhat = testRdd != null ? "test set" : "validation set (the data has no test part)";
    EvalResult test = finalRdd == null ? null : evaluate(finalRdd, key, state, classes, testWhat);
    recorder.finish(new RunRecorder.Finished(spec.name(), model.summary(), history, test, testWhat,
        plan.info().classNames(), trainSeconds, resumed, executors, Json.MAPPER.readTree(spec.toJson()).toPrettyString(), versions()));
    for (JavaRDD<Shard> rdd : Arrays.asList(trainRdd, valRdd, testRdd)) {
      if (rdd != null) {
        rdd.unpersist(false);
        WorkerEngines.forget(rdd.id());
      }
    }
    hadoopConf.destroy();
    hadoopConf = null;
    return new Outcome(history, state, test, store == null ? null : store.uri().toString(), resumed, trainSeconds,
        times, plan.info().classNames());
  }

  /** What report.html lists under Versions. */
  private java.util.Map<String, String> versions() {
    java.util.Map<String, String> v = new LinkedHashMap<>();
    String ours = DistributedTraining.class.getPackage().getImplementationVersion();
    v.put("cnnspark", ours == null ? "(from the source tree)" : ours);
    v.put("Spark", sc.version());
    v.put("Spark master", sc.master());
    v.put("Java (driver)", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    v.put("backend (job)", spec.backend().id());
    return v;
  }

  /** The callbacks' state for a checkpoint, or null when the run has none (its checkpoints stay as before). */
  private static String callbackState(Callbacks callbacks) {
    return callbacks.isEmpty() ? null : callbacks.state().toString();
  }

  /** One partition per worker, each built on an executor by {@link ShardSource}, cached serialized (Kryo). */
  private JavaRDD<Shard> shards(DataPlan plan, DataPlan.Use use) {
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

  private EvalResult evaluate(JavaRDD<Shard> rdd, EngineKey key, ModelState state, int classes, String what) {
    sc.setJobDescription(spec.name() + ": evaluate " + what);
    Broadcast<ModelState> b = sc.broadcast(state);
    try {
      return rdd.mapPartitionsWithIndex(new EvalTask(key, b, rdd.id(), classes), true)
          .treeAggregate(new EvalResult(), EvalResult::add, EvalResult::add, 2);
    } finally {
      b.destroy();
    }
  }
}
