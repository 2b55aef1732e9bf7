package dev.cnnspark.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.MaxPooling2D;

/**
 * Named models a spec can ask for ({@code model: {preset: mnist_cnn}}), or an explicit layer list
 * ({@code model: {layers: [...]}}) in Keras' config form or the flat {@code {type: Conv2D, ...}} form.
 */
public final class Presets {
  private Presets() {
  }

  /** The preset of a name (mnist_cnn, cifar_cnn, tiny_cnn). */
  public static Sequential named(String name) {
    return build(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("preset", name));
  }

  public static Sequential build(JsonNode model) {
    if (model.has("preset") && model.has("layers")) {
      throw new IllegalArgumentException("give either model.preset or model.layers, not both");
    }
    if (model.has("layers")) {
      return Sequential.fromConfig(model.get("layers"));
    }
    String preset = model.path("preset").asText("");
    return switch (preset) {
      case "mnist_cnn" -> mnistCnn();
      case "cifar_cnn" -> cifarCnn();
      case "tiny_cnn" -> tinyCnn();
      default -> throw new IllegalArgumentException("unknown model preset '" + preset + "' (known: mnist_cnn, "
          + "cifar_cnn, tiny_cnn; or give model.layers)");
    };
  }

  /** Keras' mnist_cnn example: 1,199,882 parameters. */
  public static Sequential mnistCnn() {
    return new Sequential("mnist_cnn")
        .add(new Conv2D(32, 3, "relu", Shape.of(28, 28, 1)))
        .add(new Conv2D(64, 3, "relu"))
        .add(new MaxPooling2D(2))
        .add(new Dropout(0.25))
        .add(new Flatten())
        .add(new Dense(128, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
  }

  /** A tiny MNIST CNN for throughput comparisons: conv 8x3x3 -> max-pool 2 -> dense 10 (13,610 parameters). */
  public static Sequential tinyCnn() {
    return new Sequential("tiny_cnn")
        .add(new Conv2D(8, 3, "relu", Shape.of(28, 28, 1)))
        .add(new MaxPooling2D(2))
        .add(new Flatten())
        .add(new Dense(10, "softmax"));
  }

  /** A CIFAR-10 CNN: 703,594 parameters. */
  public static Sequential cifarCnn() {
    return new Sequential("cifar_cnn")
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
