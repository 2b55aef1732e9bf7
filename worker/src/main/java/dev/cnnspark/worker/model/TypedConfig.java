package dev.cnnspark.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * A configuration object in either of the two accepted forms: Keras' {@code {"class_name": T, "config": {...}}} or
 * the flat {@code {"type": T, key: value, ...}} of job specs (or, for optimizers, just {@code "T"}).
 */
record TypedConfig(String type, JsonNode config) {

  static TypedConfig parse(JsonNode node, String where, String what) {
    if (node.isTextual()) {
      return new TypedConfig(node.asText(), JsonNodeFactory.instance.objectNode());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": " + what + " must be a JSON object, got " + node);
    }
    if (node.has("class_name")) {
      return new TypedConfig(node.get("class_name").asText(),
          node.has("config") ? node.get("config") : JsonNodeFactory.instance.objectNode());
    }
    if (node.has("type")) {
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      copy.remove("type");
      return new TypedConfig(node.get("type").asText(), copy);
    }
    throw new IllegalArgumentException(where + ": " + what + " has no \"type\" (or Keras \"class_name\"): " + node);
  }

  /** Fails naming the first key outside {@code allowed} (plus {@code common}), so a typo is not ignored. */
  static void allow(JsonNode cfg, String at, Set<String> common, String... allowed) {
    Set<String> ok = new HashSet<>(Set.of(allowed));
    ok.addAll(common);
    for (Iterator<String> it = cfg.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!ok.contains(k)) {
        throw new IllegalArgumentException(at + ": unknown key '" + k + "' (allowed: " + new TreeSet<>(ok) + ")");
      }
    }
  }
}
