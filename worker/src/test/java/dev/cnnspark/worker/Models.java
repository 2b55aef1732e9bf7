package dev.cnnspark.worker;

import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.MaxPooling2D;
import dev.cnnspark.worker.model.Sequential;

/** The reference models. */
public final class Models {
  private Models() {
  }

  /** (a) Keras' mnist_cnn: 1,199,882 params. */
  public static Sequential mnistCnn() {
    return new Sequential()
        .add(new Conv2D(32, 3, "relu", Shape.of(28, 28, 1)))
        .add(new Conv2D(64, 3, "relu"))
        .add(new MaxPooling2D(2))
        .add(new Dropout(0.25))
        .add(new Flatten())
        .add(new Dense(128, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
  }

  /** (b) a CIFAR-10 CNN: 703,594 params. */
  public static Sequential cifarCnn() {
    return new Sequential()
        .add(new Conv2D(32, 3, "relu", Shape.of(32, 32, 3)))
        .add(new Conv2D(32, 3, "relu"))
        .add(new MaxPooling2D(2))
        .add(new Conv2D(64, 3, "relu"))
        .add(new Conv2D(64, 3, "relu"))
        .add(new MaxPooling2D(2))
        .add(new Conv2D(64, 3, "relu"))
        .add(new Flatten())
        .add(new Dense(1024, "relu"))
        .add(new Dense(10, "softmax"));
  }
}
