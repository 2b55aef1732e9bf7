package dev.cnnspark.driver.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.model.LayerConfig;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Keras models into this trainer: a Keras model config becomes a {@link Sequential} (each layer through
 * {@link LayerConfig}, so every key is honoured or refused), and a file's weights go into the flat vector.
 *
 * <p>Weight layouts need no transposition: Keras stores conv kernels HWIO {@code [kh, kw, in, out]}, Conv1D kernels
 * {@code [k, in, out]}, depthwise kernels {@code [kh, kw, in, multiplier]}, dense kernels {@code [in, out]}, all
 * row-major, which is exactly each layer's view of the flat vector; BatchNormalization's gamma and beta are its
 * trainable view and its moving mean and variance its MOVING view.
 */
public final class KerasImport {
  private KerasImport() {
  }

  /** What a weight load did, for the log: layers loaded, and those skipped with the reason. */
  public record Report(List<String> loaded, List<String> skipped) {
    @Override
    public String toString() {
      return loaded.size() + " layer(s) loaded" + (loaded.isEmpty() ? "" : " " + loaded)
          + (skipped.isEmpty() ? "" : "; skipped: " + skipped);
    }
  }

  /**
   * A Keras {@code Sequential} config as a model. Functional models, subclassed models and layers this trainer does
   * not have are refused with a message naming them.
   */
  public static Sequential model(JsonNode config, String source) {
    String cls = config.path("class_name").asText();
    if (cls.equals("Functional") || cls.equals("Model")) {
      throw new IllegalArgumentException(source + " holds a Functional model; only Sequential models import (a "
          + "Functional graph with branches, several inputs or outputs has no Sequential form). Its layers: "
          + layerTypes(config));
    }
    if (!cls.equals("Sequential")) {
      throw new IllegalArgumentException(source + " holds a '" + cls + "' model (a subclassed or custom model "
          + "cannot be imported); only Sequential models import");
    }
    JsonNode layers = config.path("config").path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IllegalArgumentException(source + ": the Sequential config has no layers");
    }
    Sequential m = new Sequential(config.path("config").path("name").asText("sequential"));
    for (int i = 0; i < layers.size(); i++) {
      String where = source + " layers[" + i + "]";
      m.add(LayerConfig.fromJson(layers.get(i), where, true));
    }
    return m;
  }

  private static List<String> layerTypes(JsonNode config) {
    List<String> types = new ArrayList<>();
    config.path("config").path("layers").forEach(l -> types.add(l.path("class_name").asText()));
    return types;
  }

  /**
   * Loads a Keras file's weights into a compiled model. By default (Keras' {@code load_weights}) the layers with
   * weights are matched in order (Keras 3 files: by name, the only key they keep) and every one must match; {@code byName} matches layers by name and leaves the
   * model's other layers as they are; {@code skipMismatch} (only with byName, as in Keras) skips a layer whose
   * shapes differ instead of failing. Optimizer slots are left as they are.
   */
  public static Report loadWeights(Sequential model, KerasFile file, boolean byName, boolean skipMismatch) {
    if (skipMismatch && !byName) {
      throw new IllegalArgumentException("skip_mismatch needs by_name, as in Keras");
    }
    ModelLayout l = model.layout();
    List<Layer> layers = model.layers();
    ModelState s = model.state();
    float[] params = s.params();
    float[] moving = s.moving();
    List<String> loaded = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Iterator<Map.Entry<String, List<KerasFile.Weight>>> inOrder = file.weights().entrySet().stream()
        .filter(e -> !e.getValue().isEmpty()).iterator();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      int count = l.paramCounts()[i] + l.movingCounts()[i];
      if (count == 0) {
        continue;
      }
      List<KerasFile.Weight> ws;
      String from;
      if (byName || file.keyedByName()) {
        ws = file.weights().get(layer.name());
        from = layer.name();
        if (ws == null || ws.isEmpty()) {
          if (!byName) {
            throw new IllegalArgumentException(file.source() + " has no weights for " + describe(layer) + " (a Keras "
                + "3 file names its layers; its layers with weights: " + file.weights().entrySet().stream()
                .filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList() + ")");
          }
          skipped.add(layer.name() + " (not in the file)");
          continue;
        }
      } else {
        if (!inOrder.hasNext()) {
          throw new IllegalArgumentException(file.source() + " has weights for fewer layers than the model: none left "
              + "for " + describe(layer) + " (load by name to load a part)");
        }
        Map.Entry<String, List<KerasFile.Weight>> e = inOrder.next();
        ws = e.getValue();
        from = e.getKey();
      }
      String problem = mismatch(layer, l.inputs().get(i), l.paramCounts()[i], l.movingCounts()[i], ws);
      if (problem != null) {
        if (skipMismatch) {
          skipped.add(layer.name() + " (" + problem + ")");
          continue;
        }
        throw new IllegalArgumentException(file.source() + ": weights of layer '" + from + "' do not fit "
            + describe(layer) + ": " + problem);
      }
      copy(ws, params, l.paramOffsets()[i], l.paramCounts()[i], moving, l.movingOffsets()[i]);
      loaded.add(layer.name() + (from.equals(layer.name()) ? "" : " <- " + from));
    }
    if (!byName && !file.keyedByName() && inOrder.hasNext()) {
      throw new IllegalArgumentException(file.source() + " has weights for more layers than the model: '"
          + inOrder.next().getKey() + "' is left over (load by name to load a part)");
    }
    model.setState(new ModelState(params, moving, s.opt1(), s.opt2(), s.iterations()));
    return new Report(loaded, skipped);
  }

  private static String describe(Layer layer) {
    return layer.type() + " '" + layer.name() + "'";
  }

  /** Null when the arrays fill the layer's views exactly; else what differs, with the file's shapes. */
  private static String mismatch(Layer layer, dev.cnnspark.worker.Shape input, int params, int moving,
                                 List<KerasFile.Weight> ws) {
    long total = 0;
    for (KerasFile.Weight w : ws) {
      total += w.values().length;
    }
    if (total != (long) params + moving) {
      return "the file has " + total + " values " + ws + ", the layer needs " + (params + moving) + " for input "
          + input;
    }
    // the first arrays must end exactly where the trainable view ends (kernel | bias, gamma beta | mean variance)
    long run = 0;
    for (KerasFile.Weight w : ws) {
      if (run < params && run + w.values().length > params) {
        return "array " + w + " straddles the layer's trainable and moving views";
      }
      run += w.values().length;
    }
    int[] first = ws.get(0).shape();
    if (layer.type().endsWith("Conv2D") || layer.type().equals("Conv1D") || layer.type().equals("Dense")) {
      int in = input.channels();
      int fileIn = first.length >= 2 ? first[first.length - 2] : -1;
      if (fileIn != in) {
        return "kernel " + Arrays.toString(first) + " takes " + fileIn + " input channels, the layer gets " + in;
      }
    }
    return null;
  }

  private static void copy(List<KerasFile.Weight> ws, float[] params, int p0, int pCount, float[] moving, int m0) {
    int at = 0;
    for (KerasFile.Weight w : ws) {
      float[] v = w.values();
      if (at < pCount) {
        System.arraycopy(v, 0, params, p0 + at, v.length);
      } else {
        System.arraycopy(v, 0, moving, m0 + at - pCount, v.length);
      }
      at += v.length;
    }
  }
}
