package dev.cnnspark.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.MaxPooling2D;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv1D;
import dev.cnnspark.worker.layers.DepthwiseConv2D;
import dev.cnnspark.worker.layers.Embedding;
import dev.cnnspark.worker.layers.GlobalPooling;
import dev.cnnspark.worker.layers.ReLU;

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
        case "cifar_gmp" -> cifarGmp();
        case "imdb_conv1d" -> imdbConv1d();
        case "mobilenet_block" -> mobileNetBlock();
        default -> throw new IllegalArgumentException("unknown model preset '" + preset + "' (known: mnist_cnn, "
            + "cifar_cnn, cifar_gmp, imdb_conv1d, mobilenet_block, tiny_cnn, mobilenet_v1; or give model.layers)");
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

  /** The CIFAR-10 CNN with GlobalMaxPooling2D instead of Flatten: 179,306 parameters. */
  public static Sequential cifarGmp() {
    return new Sequential("cifar_gmp")
        .add(new Conv2D(32, 3, "relu", Shape.of(32, 32, 3)))
        .add(new Conv2D(32, 3, "relu"))
        .add(new MaxPooling2D(2))
        .add(new Conv2D(64, 3, "relu"))
        .add(new Conv2D(64, 3, "relu"))
        .add(new MaxPooling2D(2))
        .add(new Conv2D(64, 3, "relu"))
        .add(new GlobalPooling("GlobalMaxPooling2D", false, null))
        .add(new Dense(1024, "relu"))
        .add(new Dense(10, "softmax"));
  }

  /**
   * The IMDB notebook's model: Embedding(10000, 128) over 500 tokens, Conv1D(32, 7), MaxPooling1D(5), Conv1D(32, 7),
   * GlobalMaxPooling1D, Dense(1) (linear; binary_crossentropy clips it): 1,315,937 parameters.
   */
  public static Sequential imdbConv1d() {
    return new Sequential("imdb_conv1d")
        .add(new Embedding(10_000, 128, Shape.of(500)))
        .add(new Conv1D(32, 7, 1, Padding.VALID, ActivationFn.RELU, true, null))
        .add(MaxPooling2D.pooling1D(5, 5, Padding.VALID, null))
        .add(new Conv1D(32, 7, 1, Padding.VALID, ActivationFn.RELU, true, null))
        .add(new GlobalPooling("GlobalMaxPooling1D", false, null))
        .add(new Dense(1));
  }

  /**
   * One MobileNet v1 depthwise-separable block at its 56x56x128 stage (block 3 at 224x224: DepthwiseConv2D 3x3,
   * BatchNormalization, ReLU 6, 1x1 Conv2D 128, BatchNormalization, ReLU 6), then global average pooling and a
   * 10-way softmax so it trains on its own: for throughput comparisons.
   */
  public static Sequential mobileNetBlock() {
    return new Sequential("mobilenet_block")
        .add(new DepthwiseConv2D(3, 3, 1, 1, Padding.SAME, 1, ActivationFn.LINEAR, false, Shape.of(56, 56, 128)))
        .add(new BatchNormalization())
        .add(new ReLU(6.0, 0, false, null))
        .add(new Conv2D(128, 1, 1, 1, 1, Padding.SAME, ActivationFn.LINEAR, false, null))
        .add(new BatchNormalization())
        .add(new ReLU(6.0, 0, false, null))
        .add(new GlobalPooling("GlobalAveragePooling2D", false, null))
        .add(new Dense(10, "softmax"));
  }
}
