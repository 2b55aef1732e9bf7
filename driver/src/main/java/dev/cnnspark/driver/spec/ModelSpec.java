package dev.cnnspark.driver.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.driver.keras.KerasFile;
import dev.cnnspark.driver.keras.KerasImport;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.model.LayerConfig;
import dev.cnnspark.worker.model.Presets;
import dev.cnnspark.worker.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The spec's {@code model} section beyond the worker's presets and layer lists ({@link Presets#build}):
 * <pre>
 * keras: PATH              the model config of a Keras file (.keras, legacy .h5, model.to_json()), instead of
 *                          preset / layers
 * head: [layers]           appended to the preset's, the layers' or the Keras model's layers
 * freeze: [names]          layers made non-trainable (Keras' layer.trainable = False)
 * freeze_up_to: NAME       every layer up to and including NAME frozen (a transfer-learning base)
 * weights:                 initial weights of a fresh run (never of a resumed one: its checkpoint wins)
 *   path: PATH             a weights file of this trainer (fit --output, a published model) or a Keras file
 *   by_name: false         match layers by name (a base into a model with a new head)
 *   skip_mismatch: false   with by_name: skip a layer whose shapes differ instead of failing
 * </pre>
 */
public final class ModelSpec {
  private static final List<String> OURS = List.of("keras", "weights", "freeze", "freeze_up_to");

  private ModelSpec() {
  }

  /** The model of a spec's {@code model} section, frozen where it says. */
  public static Sequential build(JsonNode model) {
    ObjectNode rest = ((ObjectNode) model).deepCopy();
    OURS.forEach(rest::remove);
    Sequential m;
    if (model.has("keras")) {
      if (model.has("preset") || model.has("layers")) {
        throw new IllegalArgumentException("model.keras: give a Keras file or a preset or layers, not both");
      }
      Path path = Path.of(model.get("keras").asText());
      try {
        KerasFile f = KerasFile.read(path);
        m = KerasImport.model(f.modelConfig().orElseThrow(() -> new IllegalArgumentException("model.keras: "
            + path + " is a weights file with no model config; give the layers, and the file as model.weights.path")),
            path.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException("model.keras: " + e.getMessage(), e);
      }
      JsonNode head = rest.path("head");
      for (int i = 0; head.isArray() && i < head.size(); i++) {
        m.add(LayerConfig.fromJson(head.get(i), "model.head[" + i + "]"));
      }
    } else {
      m = Presets.build(rest);
    }
    freeze(model, m);
    return m;
  }

  private static void freeze(JsonNode model, Sequential m) {
    JsonNode names = model.path("freeze");
    if (!names.isMissingNode()) {
      if (!names.isArray()) {
        throw new IllegalArgumentException("model.freeze must be a list of layer names, got " + names);
      }
      List<String> list = new ArrayList<>();
      names.forEach(n -> list.add(n.asText()));
      try {
        m.freeze(list.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model.freeze: " + e.getMessage());
      }
    }
    if (model.has("freeze_up_to")) {
      String last = model.get("freeze_up_to").asText();
      List<String> upTo = new ArrayList<>();
      for (Layer l : m.layers()) {
        upTo.add(l.name());
        if (l.name().equals(last)) {
          m.freeze(upTo.toArray(String[]::new));
          return;
        }
      }
      throw new IllegalArgumentException("model.freeze_up_to: the model has no layer '" + last + "' (its layers: "
          + m.layers().stream().map(Layer::name).toList() + ")");
    }
  }

  /**
   * Loads {@code model.weights} into a compiled model, if the spec names any; logs what was loaded. Our weights files
   * are matched as a whole (or by name); Keras files through {@link KerasImport}.
   */
  public static void loadWeights(JsonNode model, Sequential m, Consumer<String> log) {
    JsonNode w = model.path("weights");
    if (w.isMissingNode() || w.isNull()) {
      return;
    }
    for (java.util.Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("path", "by_name", "skip_mismatch").contains(k)) {
        throw new IllegalArgumentException("model.weights." + k + ": unknown key (known: path, by_name, "
            + "skip_mismatch)");
      }
    }
    Path path = Path.of(w.path("path").asText());
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("model.weights.path: no file at " + path.toAbsolutePath());
    }
    boolean byName = w.path("by_name").asBoolean(false);
    boolean skip = w.path("skip_mismatch").asBoolean(false);
    try {
      KerasFile f = isOurs(path) ? OurWeights.asKerasFile(path) : KerasFile.read(path);
      KerasImport.Report r = KerasImport.loadWeights(m, f, byName, skip);
      log.accept("initial weights from " + path + ": " + r);
    } catch (IOException e) {
      throw new IllegalArgumentException("model.weights.path: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model.weights: " + e.getMessage(), e);
    }
  }

  private static boolean isOurs(Path path) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(path)) {
      byte[] head = in.readNBytes(2);
      return !(head.length == 2 && ((head[0] == 'P' && head[1] == 'K') || (head[0] & 0xff) == 0x89));
    }
  }
}
