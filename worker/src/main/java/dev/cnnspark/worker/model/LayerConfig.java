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
import dev.cnnspark.worker.layers.Conv1D;
import dev.cnnspark.worker.layers.DepthwiseConv2D;
import dev.cnnspark.worker.layers.Embedding;
import dev.cnnspark.worker.layers.GlobalPooling;
import dev.cnnspark.worker.layers.InputLayer;
import dev.cnnspark.worker.layers.ReLU;
import dev.cnnspark.worker.layers.Reshape;
import dev.cnnspark.worker.layers.SeparableConv2D;
import dev.cnnspark.worker.layers.ZeroPadding;
import java.util.List;
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

  private static final Set<String> COMMON = Set.of("name", "input_shape", "batch_input_shape", "trainable", "dtype");

  /**
   * Keras keys that this trainer implements only at their default value: a model file or spec may carry them (Keras
   * writes every key), but any other value would change what the layer does, so it is refused, naming the key.
   * Initializers are checked separately ({@link #checkInitializers}).
   */
  private static final Map<String, String> DEFAULT_ONLY = Map.ofEntries(
      Map.entry("data_format", "channels_last"), Map.entry("dilation_rate", "1"), Map.entry("groups", "1"),
      Map.entry("kernel_regularizer", "null"), Map.entry("bias_regularizer", "null"),
      Map.entry("activity_regularizer", "null"), Map.entry("kernel_constraint", "null"),
      Map.entry("bias_constraint", "null"), Map.entry("depthwise_regularizer", "null"),
      Map.entry("depthwise_constraint", "null"), Map.entry("pointwise_regularizer", "null"),
      Map.entry("pointwise_constraint", "null"), Map.entry("embeddings_regularizer", "null"),
      Map.entry("embeddings_constraint", "null"), Map.entry("beta_regularizer", "null"),
      Map.entry("gamma_regularizer", "null"), Map.entry("beta_constraint", "null"),
      Map.entry("gamma_constraint", "null"), Map.entry("mask_zero", "false"), Map.entry("sparse", "false"),
      Map.entry("ragged", "false"), Map.entry("synchronized", "false"), Map.entry("lora_rank", "null"),
      Map.entry("threshold", "0"), Map.entry("center", "true"), Map.entry("scale", "true"),
      Map.entry("seed", "null"), Map.entry("noise_shape", "null"));

  /** Initializer keys and the Keras class names of their defaults (what {@code initialize} draws). */
  private static final Map<String, String> INITIALIZERS = Map.of("kernel_initializer", "GlorotUniform",
      "bias_initializer", "Zeros", "depthwise_initializer", "GlorotUniform", "pointwise_initializer", "GlorotUniform",
      "embeddings_initializer", "RandomUniform", "beta_initializer", "Zeros", "gamma_initializer", "Ones",
      "moving_mean_initializer", "Zeros", "moving_variance_initializer", "Ones");

  /**
   * Keras keys every layer may carry that would change what the layer does and are not implemented: refused, never
   * ignored. A dtype other than float32 would run in float32; a non-default value of a {@link #DEFAULT_ONLY} key
   * would be dropped.
   */
  private static void refuseUnsupported(JsonNode cfg, String at, String type) {
    JsonNode dtype = cfg.get("dtype");
    if (dtype != null && !dtype.isNull() && !(dtype.isTextual() && dtype.asText().equals("float32"))
        && !(dtype.isObject() && dtype.path("config").path("name").asText().equals("float32"))) {
      throw new IllegalArgumentException(at + ": dtype " + dtype + " is not supported: every layer computes in "
          + "float32");
    }
    for (Map.Entry<String, String> e : DEFAULT_ONLY.entrySet()) {
      if (type.equals("Conv1D") && e.getKey().equals("dilation_rate")) {
        continue; // Conv1D implements it
      }
      JsonNode v = cfg.get(e.getKey());
      if (v != null && !isDefault(v, e.getValue())) {
        throw new IllegalArgumentException(at + ": '" + e.getKey() + "' = " + v + " is not supported (only "
            + e.getValue() + "); remove the key or use the default");
      }
    }
  }

  /** A value equals the default: scalars by text, a list when every element does ({@code dilation_rate: [1, 1]}). */
  private static boolean isDefault(JsonNode v, String dflt) {
    if (v.isArray()) {
      for (JsonNode e : v) {
        if (!isDefault(e, dflt)) {
          return false;
        }
      }
      return v.size() > 0;
    }
    if (v.isNumber() && !dflt.equals("null") && !dflt.equals("true") && !dflt.equals("false")) {
      return v.asDouble() == Double.parseDouble(dflt);
    }
    return v.isNull() ? dflt.equals("null") : v.asText().equals(dflt);
  }

  /**
   * Non-default initializers are refused when the layer's weights come from this trainer's initialization, and
   * accepted when weights are loaded over them (a Keras import with weights), where they change nothing.
   */
  private static void checkInitializers(JsonNode cfg, String at, boolean weightsLoaded) {
    for (Map.Entry<String, String> e : INITIALIZERS.entrySet()) {
      JsonNode v = cfg.get(e.getKey());
      if (v == null || v.isNull() || weightsLoaded) {
        continue;
      }
      String name = v.isTextual() ? v.asText() : v.path("class_name").asText();
      boolean dflt = name.equalsIgnoreCase(e.getValue()) || name.replace("_", "").equalsIgnoreCase(e.getValue());
      if (e.getValue().equals("RandomUniform") && dflt) {
        JsonNode c = v.path("config");
        dflt = (c.path("minval").isMissingNode() || c.path("minval").asDouble() == -0.05)
            && (c.path("maxval").isMissingNode() || c.path("maxval").asDouble() == 0.05);
      }
      if (!dflt) {
        throw new IllegalArgumentException(at + ": '" + e.getKey() + "' " + name + " is not supported (weights are "
            + "initialized " + e.getValue() + "); remove the key, or load weights over the model");
      }
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

  /** The layer types a spec or a Keras model may use. */
  public static final List<String> KNOWN = List.of("InputLayer", "Conv2D", "Conv1D", "DepthwiseConv2D",
      "SeparableConv2D", "Dense", "Embedding", "MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "AveragePooling1D",
      "GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalAveragePooling1D", "ZeroPadding2D",
      "ZeroPadding1D", "Cropping2D", "Cropping1D", "BatchNormalization", "Dropout", "Flatten", "Reshape",
      "Activation", "ReLU", "LeakyReLU");

  /** A layer from either form; errors name the layer's position, type and the offending key or value. */
  public static Layer fromJson(JsonNode node, String where) {
    return fromJson(node, where, false);
  }

  /**
   * As {@link #fromJson(JsonNode, String)}; {@code weightsLoaded}: the caller loads weights over the layer (a Keras
   * import), so the config's initializers do not matter and any are accepted.
   */
  public static Layer fromJson(JsonNode node, String where, boolean weightsLoaded) {
    if (node.isTextual()) {
      throw new IllegalArgumentException(where + ": a layer must be a JSON object, got " + node);
    }
    TypedConfig typed = TypedConfig.parse(node, where, "a layer");
    String type = typed.type();
    JsonNode cfg = typed.config();
    String at = where + " (" + type + ")";
    refuseUnsupported(cfg, at, type);
    checkInitializers(cfg, at, weightsLoaded);
    Args a = new Args(cfg, at);
    Layer layer = build(type, cfg, a, at);
    Shape declared = a.inputShape();
    if (declared != null && layer.declaredInputShape().isEmpty() && !(layer instanceof InputLayer)) {
      layer.declareInputShape(declared); // layers whose constructors take no input shape (BatchNormalization, ...)
    }
    if (cfg.has("name") && cfg.get("name").isTextual()) {
      layer.setName(cfg.get("name").asText());
    }
    if (cfg.has("trainable")) {
      layer.setTrainable(a.bool("trainable", true));
    }
    return layer;
  }

  private static final String[] CONV = {"filters", "kernel_size", "strides", "padding", "activation", "use_bias",
      "kernel_initializer", "bias_initializer"};

  private static Layer build(String type, JsonNode cfg, Args a, String at) {
    return switch (type) {
      case "InputLayer" -> {
        a.allow("batch_shape", "shape", "sparse", "ragged");
        Shape shape = a.inputShape();
        if (shape == null) {
          throw new IllegalArgumentException(at + ": an InputLayer needs its shape (input_shape, batch_shape, shape "
              + "or batch_input_shape)");
        }
        yield new InputLayer(shape);
      }
      case "Conv2D" -> {
        a.allow(CONV);
        int[] k = a.pair("kernel_size", null);
        int[] s = a.pair("strides", new int[] {1, 1});
        yield new Conv2D(a.integer("filters"), k[0], k[1], s[0], s[1], a.padding(), a.activation(),
            a.bool("use_bias", true), a.inputShape());
      }
      case "Conv1D" -> {
        a.allow(CONV);
        boolean causal = cfg.path("padding").asText().equals("causal");
        yield new Conv1D(a.integer("filters"), a.single("kernel_size", 0), a.single("strides", 1),
            a.single("dilation_rate", 1), causal ? null : a.padding(), a.activation(), a.bool("use_bias", true),
            a.inputShape());
      }
      case "DepthwiseConv2D" -> {
        a.allow("kernel_size", "strides", "padding", "depth_multiplier", "activation", "use_bias",
            "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "depthwise_constraint");
        int[] k = a.pair("kernel_size", null);
        int[] s = a.pair("strides", new int[] {1, 1});
        yield new DepthwiseConv2D(k[0], k[1], s[0], s[1], a.padding(), a.integer("depth_multiplier", 1),
            a.activation(), a.bool("use_bias", true), a.inputShape());
      }
      case "SeparableConv2D" -> {
        a.allow("filters", "kernel_size", "strides", "padding", "depth_multiplier", "activation", "use_bias",
            "depthwise_initializer", "pointwise_initializer", "bias_initializer");
        int[] k = a.pair("kernel_size", null);
        int[] s = a.pair("strides", new int[] {1, 1});
        yield new SeparableConv2D(a.integer("filters"), k[0], k[1], s[0], s[1], a.padding(),
            a.integer("depth_multiplier", 1), a.activation(), a.bool("use_bias", true), a.inputShape());
      }
      case "Dense" -> {
        a.allow("units", "activation", "use_bias", "kernel_initializer", "bias_initializer");
        yield new Dense(a.integer("units"), a.activation(), a.bool("use_bias", true), a.inputShape());
      }
      case "Embedding" -> {
        a.allow("input_dim", "output_dim", "input_length", "embeddings_initializer");
        Shape in = a.inputShape();
        if (in == null && a.has("input_length") && !cfg.get("input_length").isNull()) {
          in = Shape.of(a.integer("input_length"));
        }
        yield new Embedding(a.integer("input_dim"), a.integer("output_dim"), in);
      }
      case "MaxPooling2D", "AveragePooling2D" -> {
        a.allow("pool_size", "strides", "padding");
        int[] p = a.pair("pool_size", new int[] {2, 2});
        int[] s = a.has("strides") && !cfg.get("strides").isNull() ? a.pair("strides", null) : p;
        yield type.equals("MaxPooling2D")
            ? new MaxPooling2D(p[0], p[1], s[0], s[1], a.padding(), a.inputShape())
            : new AveragePooling2D(p[0], p[1], s[0], s[1], a.padding(), a.inputShape());
      }
      case "MaxPooling1D", "AveragePooling1D" -> {
        a.allow("pool_size", "strides", "padding");
        int p = a.single("pool_size", 2);
        int s = a.has("strides") && !cfg.get("strides").isNull() ? a.single("strides", 0) : p;
        yield type.equals("MaxPooling1D") ? MaxPooling2D.pooling1D(p, s, a.padding(), a.inputShape())
            : AveragePooling2D.pooling1D(p, s, a.padding(), a.inputShape());
      }
      case "GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalAveragePooling1D" -> {
        a.allow("keepdims");
        yield new GlobalPooling(type, a.bool("keepdims", false), a.inputShape());
      }
      case "ZeroPadding2D", "Cropping2D", "ZeroPadding1D", "Cropping1D" -> {
        String key = type.startsWith("Cropping") ? "cropping" : "padding";
        a.allow(key);
        int dflt = type.startsWith("Cropping") ? 0 : 1;
        yield new ZeroPadding(type, type.endsWith("1D") ? a.amounts1D(key, dflt) : a.amounts2D(key, dflt),
            a.inputShape());
      }
      case "Dropout" -> {
        a.allow("rate");
        yield new Dropout(a.number("rate"));
      }
      case "Flatten" -> {
        Shape in = a.inputShape();
        yield in == null ? new Flatten() : new Flatten(in);
      }
      case "Reshape" -> {
        a.allow("target_shape");
        yield new Reshape(a.ints("target_shape"), a.inputShape());
      }
      case "Activation" -> {
        a.allow("activation");
        yield new Activation(a.activation());
      }
      case "ReLU" -> {
        a.allow("max_value", "negative_slope");
        JsonNode max = cfg.get("max_value");
        Double clip = max == null || max.isNull() ? null : a.number("max_value");
        yield new ReLU(clip, a.number("negative_slope", 0.0), false, a.inputShape());
      }
      case "LeakyReLU" -> {
        // Keras 2 names the slope alpha (default 0.3); Keras 3 negative_slope (default 0.3)
        a.allow("alpha", "negative_slope");
        yield new ReLU(null, a.number("negative_slope", a.number("alpha", 0.3)), true, a.inputShape());
      }
      case "BatchNormalization" -> {
        a.allow("momentum", "epsilon", "axis", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
            "moving_variance_initializer");
        yield new BatchNormalization(a.number("momentum", 0.99), a.number("epsilon", 1e-3), a.axis());
      }
      default -> throw new IllegalArgumentException(at + ": unknown layer type '" + type + "' (known: "
          + String.join(", ", KNOWN) + ")" + (type.equals("Lambda") || type.equals("TFOpLambda")
          ? "; a Lambda layer runs Python code, which this trainer cannot import" : ""));
    };
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
      Set<String> common = new java.util.HashSet<>(COMMON);
      common.addAll(DEFAULT_ONLY.keySet());
      TypedConfig.allow(cfg, at, common, keys);
    }

    int integer(String k, int dflt) {
      return cfg.has(k) ? integer(k) : dflt;
    }

    /** An integer or a one-element list (Keras 3 writes {@code kernel_size: [7]} for 1-D layers). */
    int single(String k, int dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        if (dflt <= 0) {
          throw new IllegalArgumentException(at + ": '" + k + "' is required");
        }
        return dflt;
      }
      if (v.isArray() && v.size() == 1) {
        v = v.get(0);
      }
      if (!v.isIntegralNumber() || v.asInt() <= 0) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be a positive integer, got " + cfg.get(k));
      }
      return v.asInt();
    }

    int[] ints(String k) {
      JsonNode v = cfg.get(k);
      if (v == null || !v.isArray() || v.isEmpty()) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be a list of integers, got " + v);
      }
      int[] r = new int[v.size()];
      for (int i = 0; i < r.length; i++) {
        if (!v.get(i).isIntegralNumber()) {
          throw new IllegalArgumentException(at + ": '" + k + "' must be a list of integers, got " + v);
        }
        r[i] = v.get(i).asInt();
      }
      return r;
    }

    /** 1-D padding/cropping: n, or [left, right]; as {@code [0, 0, left, right]}. */
    int[] amounts1D(String k, int dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        return new int[] {0, 0, dflt, dflt};
      }
      if (v.isIntegralNumber()) {
        return new int[] {0, 0, v.asInt(), v.asInt()};
      }
      int[] p = ints(k);
      if (p.length != 2) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be an integer or [left, right], got " + v);
      }
      return new int[] {0, 0, p[0], p[1]};
    }

    /** 2-D padding/cropping: n, [rows, cols], or [[top, bottom], [left, right]]; as {@code [t, b, l, r]}. */
    int[] amounts2D(String k, int dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        return new int[] {dflt, dflt, dflt, dflt};
      }
      if (v.isIntegralNumber()) {
        return new int[] {v.asInt(), v.asInt(), v.asInt(), v.asInt()};
      }
      if (v.isArray() && v.size() == 2 && v.get(0).isArray() && v.get(1).isArray() && v.get(0).size() == 2
          && v.get(1).size() == 2) {
        return new int[] {v.get(0).get(0).asInt(), v.get(0).get(1).asInt(), v.get(1).get(0).asInt(),
            v.get(1).get(1).asInt()};
      }
      int[] p = pair(k, null);
      return new int[] {p[0], p[0], p[1], p[1]};
    }

    /** BatchNormalization's axis: -1, or Keras 2's [rank] list; checked against the input when the model builds. */
    int axis() {
      JsonNode v = cfg.get("axis");
      if (v == null || v.isNull()) {
        return -1;
      }
      if (v.isArray() && v.size() == 1) {
        v = v.get(0);
      }
      if (!v.isIntegralNumber()) {
        throw new IllegalArgumentException(at + ": only one normalization axis (the channels, last) is supported, got "
            + cfg.get("axis"));
      }
      return v.asInt();
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

    /**
     * The declared input shape: {@code input_shape} (specs, Keras 2), or with a leading batch axis (null)
     * {@code batch_input_shape} (Keras 2), {@code batch_shape} (Keras 3 InputLayer); {@code shape} (Keras 3 Input).
     */
    Shape inputShape() {
      for (String k : new String[] {"input_shape", "shape", "batch_input_shape", "batch_shape"}) {
        JsonNode v = cfg.get(k);
        if (v == null || v.isNull()) {
          continue;
        }
        boolean batched = k.startsWith("batch");
        if (!v.isArray() || v.size() < (batched ? 2 : 1) || (batched && !v.get(0).isNull())) {
          throw new IllegalArgumentException(at + ": '" + k + "' must be a list of positive integers"
              + (batched ? " after a null batch size" : "") + ", got " + v);
        }
        int[] dims = new int[v.size() - (batched ? 1 : 0)];
        for (int i = 0; i < dims.length; i++) {
          JsonNode d = v.get(i + (batched ? 1 : 0));
          if (!d.isIntegralNumber() || d.asInt() <= 0) {
            throw new IllegalArgumentException(at + ": '" + k + "' must be a list of positive integers, got " + v
                + (d.isNull() ? " (a variable-size axis is not supported: give its size)" : ""));
          }
          dims[i] = d.asInt();
        }
        return Shape.of(dims);
      }
      return null;
    }
  }
}
