package dev.cnnspark.driver;

import dev.cnnspark.driver.DistributedTraining.Outcome;
import dev.cnnspark.driver.DistributedTraining.RoundTimes;
import dev.cnnspark.driver.checkpoint.Checkpoint;
import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.checkpoint.ResumeCheck;
import dev.cnnspark.driver.checkpoint.RunFingerprint;
import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.report.RoundRecord;
import dev.cnnspark.driver.report.RunRecorder;
import dev.cnnspark.driver.rounds.Averaging;
import dev.cnnspark.driver.rounds.CachedResults;
import dev.cnnspark.driver.rounds.CalibrateTask;
import dev.cnnspark.driver.rounds.EngineKey;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.driver.rounds.EvalTask;
import dev.cnnspark.driver.rounds.LoadTask;
import dev.cnnspark.driver.rounds.RoundCostModel;
import dev.cnnspark.driver.rounds.RoundResult;
import dev.cnnspark.driver.rounds.RoundTask;
import dev.cnnspark.driver.rounds.Shard;
import dev.cnnspark.driver.rounds.ShardedAggregation;
import dev.cnnspark.driver.rounds.Stragglers;
import dev.cnnspark.driver.rounds.WorkerEngines;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.io.CorruptStateFileException;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.OptimizerConfig;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.train.Augmentation;
import dev.cnnspark.worker.train.Callbacks;
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
import org.slf4j.Logger;

/**
 * One run of a {@link DistributedTraining} job (a replay after lost state slices is another), by phase: the
 * constructor sets up the model, the data and the rounds; {@link #resume} finds where a checkpoint left off;
 * {@link #load} builds the shards and worker engines; {@link #epoch} trains an epoch round by round ({@link #round})
 * and ends it ({@link #endEpoch}: validation, callbacks, checkpoint); {@link #finish} evaluates, reports and releases
 * the data.
 */
final class TrainingRun {
  private static final Logger LOG = DistributedTraining.LOG;
  private final DistributedTraining job;
  private final JobSpec spec;
  private final JavaSparkContext sc;
  private final PrintStream out;
  private final CheckpointStore store;
  private final RunRecorder recorder;
  private final Sequential model;
  private final Optimizer optimizer;
  private final Callbacks callbacks;
  private final String modelJson;
  private final String optimizerJson;
  private final EngineKey key;
  private final DataPlan data;
  /** Minibatches per round (chosen in {@link #load} with {@code averaging_frequency: auto}) and rounds per epoch. */
  private int k;
  private int roundsPerEpoch;
  /** The most minibatches a worker trains in an epoch. */
  private final int stepsPerEpoch;
  private final JavaRDD<Shard> trainRdd;
  private final JavaRDD<Shard> testRdd;
  private final JavaRDD<Shard> valRdd;
  private final long trainCount;
  private final int classes;
  private final RunFingerprint fingerprint;
  private final Stragglers stragglers = new Stragglers();
  private final Averaging averaging;
  // where the run stands
  private ModelState state;
  private History history = new History();
  private int startEpoch;
  private int startRound;
  private long globalRound;
  private double best = Double.NaN;
  private boolean resumed;
  private boolean checkpointed;
  private Checkpoint.EpochSums carried = Checkpoint.EpochSums.ZERO;
  private RoundTimes times;
  private long trainStart;
  private long loaded;
  private float lastLr;
  /** The block momentum's running update (null without block momentum). */
  private float[] blockMomentum;
  /** Sharded aggregation (null: the driver averages); while it holds the state, {@code state} is stale. */
  private final ShardedAggregation sharded;
  /** The state's update count (kept here too: the driver's copy is stale while the executors hold the state). */
  private long iterations;
  // the current epoch's sums
  private double lossSum;
  private double correct;
  private long seen;

  TrainingRun(DistributedTraining job, CheckpointStore store, RunRecorder recorder) throws IOException {
    this.job = job;
    this.spec = job.spec;
    this.sc = job.sc;
    this.out = job.out;
    this.averaging = spec.averaging();
    this.store = store;
    this.recorder = recorder;
    model = spec.buildModel().seed(spec.seed());
    optimizer = spec.buildOptimizer();
    callbacks = spec.callbacks();
    model.compile(optimizer, spec.buildLoss());
    if (job.initialState == null) {
      spec.loadInitialWeights(model, out::println);
    }
    modelJson = model.config().toString();
    optimizerJson = OptimizerConfig.toJson(optimizer).toString();
    int workers = spec.workers();
    int batch = spec.batchSize();
    Augmentation augmentation = spec.augmentation();
    key = new EngineKey(modelJson, spec.lossName(), optimizerJson, batch, spec.backend().id(),
        spec.threadsPerWorker(), spec.seed(), augmentation.isIdentity() ? "" : augmentation.toJson().toString());
    data = job.plan != null ? job.plan : DataPlan.of(spec, sc.hadoopConfiguration(), out::println);
    DataChecks.require(spec, data);
    int steps = 0;
    for (int p = 0; p < workers; p++) {
      int n = data.count(DataPlan.Use.TRAIN);
      steps = Math.max(steps, RoundTask.stepsPerEpoch((int) ((long) n * (p + 1) / workers)
          - (int) ((long) n * p / workers), batch));
    }
    stepsPerEpoch = steps;
    if (!spec.averagingFrequencyAuto()) {
      cutRounds(spec.averagingFrequency());
    }
    trainRdd = job.shards(data, DataPlan.Use.TRAIN);
    testRdd = data.count(DataPlan.Use.TEST) > 0 ? job.shards(data, DataPlan.Use.TEST) : null;
    valRdd = switch (spec.validationSource()) {
      case "test" -> testRdd;
      case "split", "data" -> job.shards(data, DataPlan.Use.VALIDATION);
      default -> null;
    };
    trainCount = data.count(DataPlan.Use.TRAIN);
    long validationCount = valRdd == null ? 0 : data.count(valRdd == testRdd ? DataPlan.Use.TEST
        : DataPlan.Use.VALIDATION);
    classes = Math.max(2, model.layout().output().size());
    out.printf(Locale.ROOT, "job '%s': %d workers x batch %d, averaging every %s%s: %s, %d training examples, %s "
            + "validation; data: %s %s, %d classes%n", spec.name(), workers, batch, k == 0
            ? "k minibatches (averaging_frequency auto)" : k + " minibatches", averaging.isPlain() ? ""
            : " (" + averaging.describe() + ")", k == 0 ? "k chosen once the workers are loaded" : roundsPerEpoch
            + " rounds per epoch", trainCount, valRdd == null ? "no" : validationCount + " examples of",
        data.source().type(), data.source().location(), data.info().classes());
    fingerprint = RunFingerprint.of(spec, modelJson, optimizerJson, data.source().location(),
        data.info().classNames());
    state = job.initialState != null ? job.initialState : model.state();
    if (job.initialState != null) {
      model.setState(job.initialState);
    }
    lastLr = optimizer.baseLearningRate();
    blockMomentum = averaging.blockMomentum() != 0 ? new float[state.params().length] : null;
    sharded = shardedAggregation(state, spec.workers());
    out.printf(Locale.ROOT, "aggregation: %s; state per worker: %d floats (%.1f MB)%n", sharded == null ? "driver"
        : "sharded", (long) (stateBytes(state) / 4), stateBytes(state) / 1e6);
  }

  /** Sharded aggregation when the spec (or, with {@code auto}, the cost model) says so; else null. */
  private ShardedAggregation shardedAggregation(ModelState shape, int workers) {
    String how = spec.aggregation();
    if ("auto".equals(how)) {
      RoundCostModel.Network net = spec.network(sc.master());
      RoundCostModel.Choice c = RoundCostModel.DEFAULT.aggregation(workers, stateBytes(shape), net);
      LOG.info("training.aggregation auto: {}", c.reason());
      how = c.aggregation();
    }
    return "sharded".equals(how) ? new ShardedAggregation(sc, "r" + trainRdd.id(), workers, shape) : null;
  }

  /** The bytes of one worker's state (what a round moves per worker each way). */
  private static double stateBytes(ModelState s) {
    return 4.0 * (s.params().length + s.moving().length + s.opt1().length + s.opt2().length);
  }

  /** Brings the state onto the driver when the executors hold it (checkpoints, epoch ends, the end). */
  private void syncState() {
    if (sharded != null && sharded.onExecutors()) {
      state = sharded.collect(iterations, blockMomentum);
      sharded.onDriver();
    }
  }

  /** Releases what this run holds on the executors: the slices of a sharded state, the cached shards. */
  void release() {
    if (sharded != null) {
      sharded.release();
    }
    for (JavaRDD<Shard> rdd : Arrays.asList(trainRdd, valRdd, testRdd)) {
      if (rdd != null) {
        rdd.unpersist(false);
        WorkerEngines.forget(rdd.id());
      }
    }
  }

  private void cutRounds(int minibatchesPerRound) {
    k = minibatchesPerRound;
    roundsPerEpoch = (stepsPerEpoch + k - 1) / k;
  }

  /**
   * {@code averaging_frequency: auto}: times every worker's minibatches ({@link CalibrateTask}) and lets the cost
   * model choose k; the choice and its reasons are printed and logged, and written into every checkpoint's spec so
   * a resumed run cuts its epochs the same way.
   */
  private void chooseAveragingFrequency() {
    sc.setJobDescription(spec.name() + ": time minibatches for averaging_frequency auto");
    Broadcast<ModelState> b = sc.broadcast(state);
    long nanos;
    try {
      nanos = trainRdd.mapPartitionsWithIndex(new CalibrateTask(key, b, trainRdd.id(), spec.seed()), true)
          .reduce(Math::max);
    } finally {
      b.destroy();
    }
    RoundCostModel.Network net = spec.network(sc.master());
    RoundCostModel.Frequency f = RoundCostModel.DEFAULT.averagingFrequency(sharded == null ? "driver" : "sharded",
        spec.workers(), stateBytes(state), net, nanos / 1e9, spec.communicationTarget(), stepsPerEpoch);
    cutRounds(f.k());
    String line = "averaging_frequency auto: " + f.reason() + "; " + roundsPerEpoch + " rounds per epoch";
    LOG.info(line);
    out.println(line);
  }

  /** The spec as checkpoints record it: with the averaging frequency {@code auto} chose. */
  private String specJson() {
    if (!spec.averagingFrequencyAuto()) {
      return spec.toJson();
    }
    try {
      com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
          Json.MAPPER.readTree(spec.toJson());
      ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("training")).put("averaging_frequency", k);
      return tree.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The epoch the run starts in (after {@link #resume}). */
  int startEpoch() {
    return startEpoch;
  }

  /** Continues from the newest valid checkpoint, if any; refuses to overwrite checkpoints none of which verify. */
  void resume() throws IOException {
    if (store == null) {
      return;
    }
    Optional<CheckpointStore.Loaded> found = store.latestValid(w -> {
      LOG.warn(w);
      out.println("WARNING: " + w);
    });
    if (found.isPresent()) {
      Checkpoint c = found.get().checkpoint();
      ResumeCheck check = ResumeCheck.of(c, fingerprint, store.uri(), job.resumeWithChanges);
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
      if (blockMomentum != null && c.blockMomentum() != null && c.blockMomentum().length == blockMomentum.length) {
        blockMomentum = c.blockMomentum().clone();
      }
      resumed = true;
      checkpointed = true;
      if (spec.averagingFrequencyAuto()) {
        int chosen = Json.MAPPER.readTree(c.specJson()).path("training").path("averaging_frequency").asInt();
        if (chosen > 0) {
          cutRounds(chosen);
          out.println("averaging_frequency auto: k = " + k + ", as chosen when this run started (checkpoint); "
              + roundsPerEpoch + " rounds per epoch");
        }
      }
      recorder.resumedAt(globalRound);
      out.println("resuming from checkpoint " + found.get().name() + " in " + store.uri() + ": next is "
          + (check.restartEpoch() ? "epoch " + (startEpoch + 1) + ", round 1 (the partial epoch again)"
          : c.position()));
    } else if (!store.checkpoints().isEmpty()) {
      throw new CorruptStateFileException("checkpoint.dir " + store.uri() + " holds " + store.checkpoints()
          + " and none of them verifies (see the warnings above): training from scratch would overwrite them. "
          + "Move them aside or delete them to start over.");
    } else {
      out.println("no checkpoint in " + store.uri() + ": starting from " + (job.initialState != null
          ? "the warm-start weights it was given (retrain: the published model)" : "initial weights"));
    }
  }

  /** Builds every worker's shard and engine (a one-time cost, not part of any round). */
  void load() {
    trainStart = System.nanoTime();
    sc.setJobDescription(spec.name() + ": load shards and build worker engines");
    int[] live = Arrays.asList(trainRdd, valRdd, testRdd).stream().filter(java.util.Objects::nonNull)
        .mapToInt(JavaRDD::id).toArray();
    loaded = trainRdd.mapPartitionsWithIndex(new LoadTask(key, trainRdd.id(), live), true).reduce(Long::sum);
    long setupNanos = System.nanoTime() - trainStart;
    LOG.info(String.format(Locale.ROOT, "%d workers loaded %d training examples and built their engines in %.0f "
        + "ms", spec.workers(), loaded, setupNanos / 1e6));
    if (trainCount > loaded) {
      out.printf(Locale.ROOT, "WARNING: %d of %d training examples are bad records, skipped (data.on_bad_record: "
          + "skip); the executors' logs name each%n", trainCount - loaded, trainCount);
    }
    times = new RoundTimes(0, 0, 0, 0, setupNanos, 0, 0, 0);
    if (k == 0) {
      chooseAveragingFrequency();
    }
  }

  /** Trains one epoch (from the resumed round in the first); false when the run stops after or before it. */
  boolean epoch(int epoch) throws IOException {
    if (callbacks.stopped()) {
      out.println("EarlyStopping stopped this run before epoch " + (epoch + 1) + ": nothing left to train");
      return false;
    }
    float lr = callbacks.learningRate(epoch, optimizer.baseLearningRate());
    if (lr != lastLr) {
      out.printf(Locale.ROOT, "learning rate for epoch %d: %.6g%n", epoch + 1, lr);
      lastLr = lr;
    }
    boolean resumedEpoch = epoch == startEpoch && startRound > 0;
    lossSum = resumedEpoch ? carried.lossSum() : 0;
    correct = resumedEpoch ? carried.correctSum() : 0;
    seen = resumedEpoch ? carried.examples() : 0;
    try (KerasProgress bar = new KerasProgress(epoch, spec.epochs(), trainCount, 1, out)) {
      for (int round = epoch == startEpoch ? startRound : 0; round < roundsPerEpoch; round++) {
        round(epoch, round, lr, bar);
      }
      return !endEpoch(epoch, lr, bar);
    }
  }

  /**
   * One round: broadcast the state, train {@code averaging_frequency} minibatches on every worker, average; then
   * its record, log line, straggler check, divergence check and (every {@code checkpoint.every_rounds}) checkpoint.
   */
  private void round(int epoch, int round, float lr, KerasProgress bar) throws IOException {
    sc.setJobDescription(String.format(Locale.ROOT, "%s: epoch %d/%d round %d/%d", spec.name(), epoch + 1,
        spec.epochs(), round + 1, roundsPerEpoch));
    long t0 = System.nanoTime();
    iterations = sharded != null && sharded.onExecutors() ? iterations : state.iterations();
    boolean fromDriver = sharded == null || !sharded.onExecutors();
    Broadcast<ModelState> b = fromDriver ? sc.broadcast(state) : null;
    Broadcast<float[]> bm = fromDriver && sharded != null && blockMomentum != null ? sc.broadcast(blockMomentum)
        : null;
    long broadcast = System.nanoTime() - t0;
    RoundResult r = new RoundResult();
    String counter = String.format(Locale.ROOT, "epoch %d round %d: ", epoch + 1, round + 1);
    float roundLr = averaging.learningRate(lr, globalRound, roundsPerEpoch, spec.workers());
    RoundTask task = new RoundTask(key, b, trainRdd.id(), epoch, round, k, spec.seed(),
        roundLr)
        .counting(sc.sc().longAccumulator(counter + "examples"), sc.sc().doubleAccumulator(counter + "loss sum"));
    long average;
    boolean finite;
    if (sharded == null) {
      for (RoundResult part : CachedResults.collect(trainRdd.mapPartitionsWithIndex(task, true),
          RoundResult.class, LOG::warn)) {
        r = r.add(part);
      }
      long t1 = System.nanoTime();
      state = averaging.next(state, r.average(state.iterations()), blockMomentum, optimizer.rule().slots);
      finite = state.isFinite();
      average = System.nanoTime() - t1;
    } else {
      task.sharded(sharded.round(globalRound + 1, iterations));
      java.util.List<RoundResult> parts = ShardedAggregation.StateLost.guard(
          () -> trainRdd.mapPartitionsWithIndex(task, true).collect());
      long t1 = System.nanoTime();
      finite = sharded.average(globalRound + 1, parts, iterations, b, bm, averaging, optimizer.rule().slots);
      average = System.nanoTime() - t1;
      for (RoundResult part : parts) {
        r = r.add(part);
      }
      iterations = averaging.iterationsAfter(iterations + r.maxSteps());
    }
    double roundLoss = r.lossSum() / Math.max(1, r.examples());
    boolean diverged = !Double.isFinite(roundLoss) || !finite;
    if (b != null) {
      b.destroy();
    }
    if (bm != null) {
      bm.destroy();
    }
    RoundTimes one = new RoundTimes(1, System.nanoTime() - t0, r.maxTrainNanos(), r.examples(), 0, broadcast,
        average, r.maxCopyNanos());
    times = times.plus(one);
    globalRound++;
    recorder.round(new RoundRecord(globalRound, epoch + 1, round + 1, roundLoss, r.examples(), one.wallNanos() / 1e6,
        one.localTrainNanos() / 1e6, broadcast / 1e6, one.copyNanos() / 1e6, average / 1e6, one.otherNanos() / 1e6,
        roundLr));
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
      syncState();
      String name = store.write(checkpoint(epoch, round + 1, new Checkpoint.EpochSums(lossSum, correct, seen)));
      checkpointed = true;
      recorder.checkpointed();
      LOG.info("checkpoint written: {} (next: epoch {} round {})", name, epoch + 1, round + 2);
    }
  }

  /** The epoch's logs (validation included), callbacks, best model and checkpoint; true when the run stops. */
  private boolean endEpoch(int epoch, float lr, KerasProgress bar) throws IOException {
    syncState();
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
    if (trainCount > loaded) {
      out.printf(Locale.ROOT, "epoch %d trained on %d examples; %d bad records skipped%n", epoch + 1, loaded,
          trainCount - loaded);
    }
    double monitored = logs.getOrDefault(spec.monitor(), Double.NaN);
    boolean improved = Double.isNaN(best) || (spec.monitorMaximizes() ? monitored > best : monitored < best);
    if (improved && !Double.isNaN(monitored)) {
      best = monitored;
    }
    if (store != null) {
      Checkpoint c = checkpoint(epoch + 1, 0, Checkpoint.EpochSums.ZERO);
      if (improved) {
        String bestName = store.writeBest(c);
        out.printf(Locale.ROOT, "%s improved to %.4f: best model written to %s%n", spec.monitor(), best, bestName);
      }
      String written = store.write(c);
      LOG.info("checkpoint written: {} (end of epoch {})", written, epoch + 1);
      out.println("checkpoint " + written + " written (end of epoch " + (epoch + 1) + ")");
      checkpointed = true;
    }
    return decision.stop();
  }

  /** A checkpoint of where the run stands: next is {@code epoch}, {@code round}. */
  private Checkpoint checkpoint(int epoch, int round, Checkpoint.EpochSums sums) {
    return new Checkpoint(specJson(), modelJson, optimizerJson, state, epoch, round, globalRound, spec.seed(),
        history, spec.monitor(), best, sums, fingerprint, callbackState(callbacks), callbacks.bestWeights(),
        blockMomentum == null ? null : blockMomentum.clone());
  }

  /** The final evaluation, the report, and the data released. */
  Outcome finish() throws IOException {
    syncState();
    double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
    JavaRDD<Shard> finalRdd = testRdd != null ? testRdd : valRdd;
    String testWhat = testRdd != null ? "test set" : "validation set (the data has no test part)";
    EvalResult test = finalRdd == null ? null : evaluate(finalRdd, key, state, classes, testWhat);
    recorder.finish(new RunRecorder.Finished(spec.name(), model.summary(), history, test, testWhat,
        data.info().classNames(), trainSeconds, resumed, job.executors,
        Json.MAPPER.readTree(spec.toJson()).toPrettyString(), versions()));
    release();
    job.releaseHadoopConf();
    return new Outcome(history, state, test, store == null ? null : store.uri().toString(), resumed, trainSeconds,
        times, data.info().classNames());
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
