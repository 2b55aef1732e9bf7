package dev.cnnspark.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.optimizers.Adadelta;
import dev.cnnspark.worker.optimizers.Adagrad;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.optimizers.Nadam;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.optimizers.RMSprop;
import dev.cnnspark.worker.optimizers.SGD;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Optimizers to and from JSON ({@code {"class_name": "Adam", "config": {"learning_rate": 0.001}}} or the flat
 * {@code {"type": "adam", "learning_rate": 0.001}}); Keras' parameter names and defaults, unknown keys are errors.
 */
public final class OptimizerConfig {
  private OptimizerConfig() {
  }

  public static ObjectNode toJson(Optimizer o) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("class_name", o.name());
    ObjectNode cfg = node.putObject("config");
    for (Map.Entry<String, Object> e : o.config().entrySet()) {
      cfg.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
    }
    return node;
  }

  public static Optimizer fromJson(JsonNode node, String where) {
    TypedConfig typed = TypedConfig.parse(node, where, "optimizer");
    String type = typed.type();
    JsonNode cfg = typed.config();
    String t = type.toLowerCase(Locale.ROOT);
    String at = where + " (" + type + ")";
    return switch (t) {
      case "sgd" -> {
        allow(cfg, at, "momentum", "nesterov");
        yield new SGD(num(cfg, "learning_rate", 0.01, at), num(cfg, "momentum", 0, at),
            cfg.path("nesterov").asBoolean(false), num(cfg, "decay", 0, at));
      }
      case "adam" -> {
        allow(cfg, at, "beta_1", "beta_2", "epsilon");
        yield new Adam(num(cfg, "learning_rate", 0.001, at), num(cfg, "beta_1", 0.9, at), num(cfg, "beta_2", 0.999, at),
            num(cfg, "epsilon", 1e-7, at), num(cfg, "decay", 0, at));
      }
      case "nadam" -> {
        allow(cfg, at, "beta_1", "beta_2", "epsilon");
        yield new Nadam(num(cfg, "learning_rate", 0.001, at), num(cfg, "beta_1", 0.9, at),
            num(cfg, "beta_2", 0.999, at), num(cfg, "epsilon", 1e-7, at), num(cfg, "decay", 0, at));
      }
      case "adadelta" -> {
        allow(cfg, at, "rho", "epsilon");
        yield new Adadelta(num(cfg, "learning_rate", 0.001, at), num(cfg, "rho", 0.95, at),
            num(cfg, "epsilon", 1e-7, at), num(cfg, "decay", 0, at));
      }
      case "adagrad" -> {
        allow(cfg, at, "initial_accumulator_value", "epsilon");
        yield new Adagrad(num(cfg, "learning_rate", 0.001, at), num(cfg, "initial_accumulator_value", 0.1, at),
            num(cfg, "epsilon", 1e-7, at), num(cfg, "decay", 0, at));
      }
      case "rmsprop" -> {
        allow(cfg, at, "rho", "momentum", "epsilon");
        yield new RMSprop(num(cfg, "learning_rate", 0.001, at), num(cfg, "rho", 0.9, at), num(cfg, "momentum", 0, at),
            num(cfg, "epsilon", 1e-7, at), num(cfg, "decay", 0, at));
      }
      default -> throw new IllegalArgumentException(at + ": unknown optimizer (known: sgd, adam, nadam, adadelta, "
          + "adagrad, rmsprop)");
    };
  }

  private static final Set<String> COMMON = Set.of("learning_rate", "decay", "name");

  private static void allow(JsonNode cfg, String at, String... keys) {
    TypedConfig.allow(cfg, at, COMMON, keys);
  }

  private static double num(JsonNode cfg, String k, double dflt, String at) {
    JsonNode v = cfg.get(k);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(at + ": '" + k + "' must be a number, got " + v);
    }
    if (!Double.isFinite(v.asDouble())) {
      throw new IllegalArgumentException(at + ": '" + k + "' must be a finite number, got " + v.asDouble());
    }
    return v.asDouble();
  }
}
