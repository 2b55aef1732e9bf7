package dev.cnnspark.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.layers.Activation;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.AveragePooling2D;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.layers.MaxPooling2D;
import java.util.Map;
import java.util.Set;

/**
 * Layers to and from Keras-like JSON: {@code {"class_name": "Conv2D", "config": {"filters": 32, ...}}}, or the flat
 * form job specs use, {@code {"type": "Conv2D", "filters": 32, "kernel_size": 3, ...}}. Only the known layer
 * names are accepted (an explicit switch; nothing is instantiated by name), and unknown keys are errors, so a typo
 * in a spec is reported instead of ignored.
 */
public final class LayerConfig {
  private LayerConfig() {
  }

  private static final Set<String> COMMON = Set.of("name", "input_shape", "trainable", "dtype");

  /**
   * Keras keys every layer may carry that would change what the layer does and are not implemented: refused, never
   * ignored. {@code trainable: false} (a frozen layer) would silently train; a dtype other than float32 would run in
   * float32.
   */
  private static void refuseUnsupported(JsonNode cfg, String at) {
    if (cfg.has("trainable") && !cfg.get("trainable").asBoolean(true)) {
      throw new IllegalArgumentException(at + ": 'trainable: false' (a frozen layer) is not supported yet: this "
          + "trainer would update its weights; remove the key to train the layer");
    }
    JsonNode dtype = cfg.get("dtype");
    if (dtype != null && !dtype.isNull() && !(dtype.isTextual() && dtype.asText().equals("float32"))
        && !(dtype.isObject() && dtype.path("config").path("name").asText().equals("float32"))) {
      throw new IllegalArgumentException(at + ": dtype " + dtype + " is not supported: every layer computes in "
          + "float32");
    }
  }

  /** The Keras form of a layer. */
  public static ObjectNode toJson(Layer layer) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("class_name", layer.type());
    ObjectNode cfg = node.putObject("config");
    if (layer.name() != null) {
      cfg.put("name", layer.name());
    }
    for (Map.Entry<String, Object> e : layer.config().entrySet()) {
      cfg.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
    }
    return node;
  }

  /** A layer from either form; errors name the layer's position, type and the offending key or value. */
  public static Layer fromJson(JsonNode node, String where) {
    if (node.isTextual()) {
      throw new IllegalArgumentException(where + ": a layer must be a JSON object, got " + node);
    }
    TypedConfig typed = TypedConfig.parse(node, where, "a layer");
    String type = typed.type();
    JsonNode cfg = typed.config();
    String at = where + " (" + type + ")";
    refuseUnsupported(cfg, at);
    Args a = new Args(cfg, at);
    Layer layer = switch (type) {
      case "Conv2D" -> {
        a.allow("filters", "kernel_size", "strides", "padding", "activation", "use_bias");
        int[] k = a.pair("kernel_size", null);
        int[] s = a.pair("strides", new int[] {1, 1});
        yield new Conv2D(a.integer("filters"), k[0], k[1], s[0], s[1], a.padding(), a.activation(),
            a.bool("use_bias", true), a.inputShape());
      }
      case "Dense" -> {
        a.allow("units", "activation", "use_bias");
        yield new Dense(a.integer("units"), a.activation(), a.bool("use_bias", true), a.inputShape());
      }
      case "MaxPooling2D", "AveragePooling2D" -> {
        a.allow("pool_size", "strides", "padding");
        int[] p = a.pair("pool_size", new int[] {2, 2});
        int[] s = a.has("strides") && !cfg.get("strides").isNull() ? a.pair("strides", null) : p;
        yield type.equals("MaxPooling2D")
            ? new MaxPooling2D(p[0], p[1], s[0], s[1], a.padding(), a.inputShape())
            : new AveragePooling2D(p[0], p[1], s[0], s[1], a.padding(), a.inputShape());
      }
      case "Dropout" -> {
        a.allow("rate", "seed", "noise_shape");
        for (String k : new String[] {"seed", "noise_shape"}) {
          if (cfg.has(k) && !cfg.get(k).isNull()) {
            throw new IllegalArgumentException(at + ": '" + k + "' is not supported (dropout masks come from the job "
                + "seed, one per activation); remove it or set it to null");
          }
        }
        yield new Dropout(a.number("rate"));
      }
      case "Flatten" -> {
        a.allow("data_format");
        Shape in = a.inputShape();
        yield in == null ? new Flatten() : new Flatten(in);
      }
      case "Activation" -> {
        a.allow("activation");
        yield new Activation(a.activation());
      }
      case "BatchNormalization" -> {
        a.allow("momentum", "epsilon", "axis", "center", "scale");
        if (a.has("axis") && cfg.get("axis").asInt() != -1) {
          throw new IllegalArgumentException(at + ": only axis=-1 (channels last) is supported");
        }
        yield new BatchNormalization(a.number("momentum", 0.99), a.number("epsilon", 1e-3));
      }
      default -> throw new IllegalArgumentException(at + ": unknown layer type '" + type + "' (known: Conv2D, Dense, "
          + "MaxPooling2D, AveragePooling2D, BatchNormalization, Dropout, Flatten, Activation)");
    };
    if (cfg.has("name") && cfg.get("name").isTextual()) {
      layer.setName(cfg.get("name").asText());
    }
    return layer;
  }

  /** Typed access to a layer's config with messages that say where. */
  private static final class Args {
    private final JsonNode cfg;
    private final String at;

    Args(JsonNode cfg, String at) {
      this.cfg = cfg;
      this.at = at;
    }

    void allow(String... keys) {
      TypedConfig.allow(cfg, at, COMMON, keys);
    }

    boolean has(String k) {
      return cfg.has(k);
    }

    int integer(String k) {
      JsonNode v = cfg.get(k);
      if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be an integer, got " + v);
      }
      return v.asInt();
    }

    double number(String k) {
      JsonNode v = cfg.get(k);
      if (v == null || !v.isNumber()) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be a number, got " + v);
      }
      return v.asDouble();
    }

    double number(String k, double dflt) {
      return cfg.has(k) ? number(k) : dflt;
    }

    boolean bool(String k, boolean dflt) {
      JsonNode v = cfg.get(k);
      if (v == null) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be true or false, got " + v);
      }
      return v.asBoolean();
    }

    int[] pair(String k, int[] dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        if (dflt == null) {
          throw new IllegalArgumentException(at + ": '" + k + "' is required");
        }
        return dflt;
      }
      if (v.isIntegralNumber()) {
        return new int[] {v.asInt(), v.asInt()};
      }
      if (v.isArray() && v.size() == 2 && v.get(0).isIntegralNumber() && v.get(1).isIntegralNumber()) {
        return new int[] {v.get(0).asInt(), v.get(1).asInt()};
      }
      throw new IllegalArgumentException(at + ": '" + k + "' must be an integer or a pair of integers, got " + v);
    }

    Padding padding() {
      try {
        return cfg.has("padding") ? Padding.parse(cfg.get("padding").asText()) : Padding.VALID;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage());
      }
    }

    ActivationFn activation() {
      try {
        return ActivationFn.parse(cfg.has("activation") ? cfg.get("activation").asText() : null);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ": " + e.getMessage());
      }
    }

    Shape inputShape() {
      JsonNode v = cfg.get("input_shape");
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isArray() || v.isEmpty()) {
        throw new IllegalArgumentException(at + ": 'input_shape' must be a list of positive integers, got " + v);
      }
      int[] dims = new int[v.size()];
      for (int i = 0; i < dims.length; i++) {
        if (!v.get(i).isIntegralNumber() || v.get(i).asInt() <= 0) {
          throw new IllegalArgumentException(at + ": 'input_shape' must be a list of positive integers, got " + v);
        }
        dims[i] = v.get(i).asInt();
      }
      return Shape.of(dims);
    }
  }
}
