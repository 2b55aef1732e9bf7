package dev.cnnspark.worker.train;

import dev.cnnspark.worker.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras' {@code fit} arguments with Keras' defaults: batch size 32, 1 epoch, shuffle, no validation, verbose 1.
 * {@code seed} drives shuffling and dropout masks; fixed seeds give bit-identical runs on one backend.
 */
public final class FitOptions {
  int batchSize = 32;
  int epochs = 1;
  double validationSplit;
  Augmentation augmentation;
  Dataset validationData;
  int initialEpoch;
  boolean shuffle = true;
  long seed = 1234;
  int verbose = 1;
  final List<EpochCallback> callbacks = new ArrayList<>();
  Callbacks keras = Callbacks.NONE;

  /** Keras' callbacks (EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, CSVLogger, TerminateOnNaN). */
  public FitOptions callbacks(Callbacks c) {
    this.keras = c == null ? Callbacks.NONE : c;
    return this;
  }

  public FitOptions batchSize(int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("batch_size must be positive, got " + v);
    }
    batchSize = v;
    return this;
  }

  public FitOptions epochs(int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("epochs must be positive, got " + v);
    }
    epochs = v;
    return this;
  }

  public FitOptions validationSplit(double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException("validation_split must be in [0, 1), got " + v);
    }
    validationSplit = v;
    return this;
  }

  public FitOptions validationData(Dataset v) {
    validationData = v;
    return this;
  }

  public FitOptions initialEpoch(int v) {
    if (v < 0) {
      throw new IllegalArgumentException("initial_epoch must be >= 0, got " + v);
    }
    initialEpoch = v;
    return this;
  }

  public FitOptions shuffle(boolean v) {
    shuffle = v;
    return this;
  }

  /** Augments the training minibatches (Keras' ImageDataGenerator); never validation. */
  public FitOptions augmentation(Augmentation v) {
    augmentation = v;
    return this;
  }

  public FitOptions seed(long v) {
    seed = v;
    return this;
  }

  /** 0 silent, 1 progress bar, 2 one line per epoch (Keras' meanings). */
  public FitOptions verbose(int v) {
    verbose = v;
    return this;
  }

  public FitOptions callback(EpochCallback c) {
    callbacks.add(c);
    return this;
  }

  public int batchSize() {
    return batchSize;
  }

  public int epochs() {
    return epochs;
  }

  public long seed() {
    return seed;
  }
}
