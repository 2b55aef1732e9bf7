package dev.cnnspark.worker.train;

import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.model.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The body of {@link Sequential#fit}: epochs of shuffled minibatches, running metrics for the progress line
 * (fetched every step on the Java path, every 16 steps from a device), validation at each epoch end, callbacks.
 * A non-finite loss stops training and restores the weights of the last completed epoch.
 */
public final class FitLoop {
  private final Sequential model;
  private final Dataset data;
  private final FitOptions o;

  public FitLoop(Sequential model, Dataset data, FitOptions options) {
    this.model = model;
    this.data = data;
    this.o = options;
  }

  public History run() {
    Dataset train = data;
    Dataset validation = o.validationData;
    if (validation == null && o.validationSplit > 0) {
      int cut = (int) (data.count() * (1 - o.validationSplit));
      validation = data.slice(cut, data.count());
      train = data.slice(0, cut);
    }
    if (validation != null) {
      model.checkData(validation, "validation data");
    }
    if (train.count() == 0) {
      throw new IllegalArgumentException("no training examples left after the validation split");
    }
    Trainer trainer = model.trainer(o.batchSize);
    trainer.setAugmentation(o.augmentation);
    int fetchEvery = trainer.backend().kind() == BackendKind.JAVA ? 1 : 16;
    History history = new History();
    ModelState lastGood = model.state();
    int steps = (train.count() + o.batchSize - 1) / o.batchSize;
    float baseLr = model.optimizer().baseLearningRate();
    for (int epoch = o.initialEpoch; epoch < o.epochs; epoch++) {
      float lr = o.keras.learningRate(epoch, baseLr);
      model.optimizer().setLearningRate(lr);
      int[] order = o.shuffle ? permutation(train.count(), o.seed, epoch) : null;
      double lossSum = 0;
      double correct = 0;
      double seen = 0;
      try (KerasProgress bar = new KerasProgress(epoch, o.epochs, train.count(), o.verbose, System.out)) {
        for (int s = 0; s < steps; s++) {
          int from = s * o.batchSize;
          int rows = Math.min(o.batchSize, train.count() - from);
          trainer.trainBatch(train, order, from, rows, stepSeed(o.seed, epoch, s));
          if ((s + 1) % fetchEvery == 0 || s == steps - 1) {
            double[] m = trainer.takeMetrics();
            lossSum += m[0];
            correct += m[1];
            seen += m[2];
            if (!Double.isFinite(lossSum)) {
              model.setState(lastGood);
              throw new TrainingDivergedException(String.format(java.util.Locale.ROOT,
                  "loss became %s in epoch %d at step %d of %d (optimizer %s %s); the model keeps the weights from "
                      + "the end of epoch %d. Lower the learning rate or check the data for NaN/Inf.",
                  lossSum, epoch + 1, s + 1, steps, model.optimizer().name(), model.optimizer().config(), epoch));
            }
            bar.update((long) seen, Map.of("loss", lossSum / seen, "accuracy", correct / seen));
          }
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / seen);
        logs.put("accuracy", correct / seen);
        if (validation != null) {
          double[] v = trainer.evaluate(validation, null);
          logs.put("val_loss", v[0] / v[2]);
          logs.put("val_accuracy", v[1] / v[2]);
        }
        history.add(epoch, logs);
        bar.finish(logs);
        lastGood = model.state();
        for (EpochCallback c : o.callbacks) {
          c.onEpochEnd(epoch, logs);
        }
        if (!o.keras.isEmpty()) {
          Callbacks.Decision d = o.keras.onEpochEnd(epoch, logs, lr, lastGood, System.out::println);
          if (d.restore() != null) {
            ModelState now = model.state();
            model.setState(new ModelState(d.restore().params(), d.restore().moving(), now.opt1(), now.opt2(),
                now.iterations()));
          }
          if (d.stop()) {
            break;
          }
        }
      }
    }
    return history;
  }

  /** The epoch's example order: a Fisher-Yates shuffle seeded by (seed, epoch). */
  public static int[] permutation(int n, long seed, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The step's seed (dropout masks) from (seed, epoch, step). */
  public static long stepSeed(long seed, int epoch, int step) {
    return new SplittableRandom(seed ^ ((long) epoch << 32 | step) * 0xBF58476D1CE4E5B9L).nextLong();
  }
}
