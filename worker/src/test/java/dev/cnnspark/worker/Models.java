package dev.cnnspark.worker;

import dev.cnnspark.worker.model.Presets;
import dev.cnnspark.worker.model.Sequential;

/** The reference models, under the names the tests use. */
public final class Models {
  private Models() {
  }

  /** (a) Keras' mnist_cnn: 1,199,882 params. */
  public static Sequential mnistCnn() {
    return Presets.mnistCnn();
  }

  /** (b) a CIFAR-10 CNN: 703,594 params. */
  public static Sequential cifarCnn() {
    return Presets.cifarCnn();
  }
}
