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

  /**
   * A model from a spec's {@code model} section: {@code layers}, or a {@code preset} (mobilenet_v1 takes
   * {@code alpha}, {@code input_shape}, {@code include_top: false}), either followed by {@code head} layers.
   */
  public static Sequential build(JsonNode model) {
    for (java.util.Iterator<String> it = model.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!java.util.Set.of("preset", "layers", "alpha", "input_shape", "include_top", "head").contains(k)) {
        throw new IllegalArgumentException("model." + k + ": unknown key (known: preset, layers, head, and for "
            + "mobilenet_v1 alpha, input_shape, include_top; a job spec adds keras, weights, freeze, freeze_up_to)");
      }
    }
    if (model.has("preset") && model.has("layers")) {
      throw new IllegalArgumentException("give either model.preset or model.layers, not both");
    }
    String preset = model.path("preset").asText("");
    if (!preset.equals("mobilenet_v1")) {
      for (String k : new String[] {"alpha", "input_shape", "include_top"}) {
        if (model.has(k)) {
          throw new IllegalArgumentException("model." + k + " applies to the mobilenet_v1 preset only");
        }
      }
    }
    Sequential m;
    if (model.has("layers")) {
      m = Sequential.fromConfig(model.get("layers"));
    } else {
      m = switch (preset) {
        case "mnist_cnn" -> mnistCnn();
        case "cifar_cnn" -> cifarCnn();
        case "tiny_cnn" -> tinyCnn();
        case "mobilenet_v1" -> mobileNet(model);
        default -> throw new IllegalArgumentException("unknown model preset '" + preset + "' (known: mnist_cnn, "
            + "cifar_cnn, tiny_cnn, mobilenet_v1; or give model.layers)");
      };
    }
    JsonNode head = model.path("head");
    if (!head.isMissingNode()) {
      if (!head.isArray()) {
        throw new IllegalArgumentException("model.head must be a list of layers, got " + head);
      }
      for (int i = 0; i < head.size(); i++) {
        m.add(LayerConfig.fromJson(head.get(i), "model.head[" + i + "]"));
      }
    }
    return m;
  }

  private static Sequential mobileNet(JsonNode model) {
    if (model.path("include_top").asBoolean(false)) {
      throw new IllegalArgumentException("model.include_top: true is not supported for mobilenet_v1 (its ImageNet "
          + "classifier); use include_top: false and give a head");
    }
    JsonNode shape = model.path("input_shape");
    int[] dims = {224, 224, 3};
    if (!shape.isMissingNode()) {
      if (!shape.isArray() || shape.size() != 3) {
        throw new IllegalArgumentException("model.input_shape must be [height, width, channels], got " + shape);
      }
      for (int i = 0; i < 3; i++) {
        dims[i] = shape.get(i).asInt();
      }
    }
    return MobileNet.v1(model.path("alpha").asDouble(1.0), Shape.of(dims));
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
