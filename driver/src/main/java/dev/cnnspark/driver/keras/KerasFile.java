package dev.cnnspark.driver.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.worker.model.Json;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a Keras file holds, read once: the model config when the file has one, the loss of its training config, and
 * each layer's weight arrays by layer name, in Keras' order (kernel, bias; gamma, beta, moving mean, moving variance;
 * depthwise, pointwise, bias; embeddings). Formats, told apart by content, not by name:
 * <ul>
 *   <li>{@code model.to_json()} saved to a file: the config only;</li>
 *   <li>Keras 3 {@code .keras}: a zip of {@code config.json} and {@code model.weights.h5}
 *       ({@code layers/<name>/vars/0..n});</li>
 *   <li>legacy full-model {@code .h5}: attributes {@code model_config} and {@code training_config}, weights in group
 *       {@code model_weights} ({@code layer_names}, each layer's {@code weight_names});</li>
 *   <li>{@code .weights.h5} of Keras 2 (the same layout at the root) or of Keras 3 ({@code layers/...}).</li>
 * </ul>
 */
public final class KerasFile {
  /** One weight array: its Keras shape and values (row-major, as Keras stores them). */
  public record Weight(String name, int[] shape, float[] values) {
    @Override
    public String toString() {
      return name + " " + Arrays.toString(shape);
    }
  }

  private final String source;
  private final JsonNode config;
  private final String loss;
  private final Map<String, List<Weight>> weights;
  private final boolean keyedByName;

  private KerasFile(String source, JsonNode config, String loss, Map<String, List<Weight>> weights,
                    boolean keyedByName) {
    this.source = source;
    this.config = config;
    this.loss = loss;
    this.weights = weights;
    this.keyedByName = keyedByName;
  }

  /** Weights from elsewhere (a weights file of this trainer, see {@code spec.OurWeights}), by layer name. */
  public static KerasFile of(String source, Map<String, List<Weight>> weights) {
    return new KerasFile(source, null, null, weights, false);
  }

  /**
   * Reads a Keras file; a file that is none of the formats, or a damaged one, gets an {@link IOException} naming the
   * file and what is wrong (jhdf's and the zip reader's own errors become its message).
   */
  public static KerasFile read(Path path) throws IOException {
    try {
      return readAny(path);
    } catch (io.jhdf.exceptions.HdfException | java.util.zip.ZipException | java.io.EOFException e) {
      throw new IOException(path + " is damaged or cut short (" + e.getMessage() + ")", e);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new IOException(path + " does not have the layout of a Keras file (" + e.getMessage() + ")", e);
    }
  }

  private static KerasFile readAny(Path path) throws IOException {
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(path)) {
      int n = in.readNBytes(head, 0, 8);
      if (n >= 4 && head[0] == 'P' && head[1] == 'K') {
        return readZip(path);
      }
      if (n == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
        try (HdfFile h5 = new HdfFile(path)) {
          return readH5(path.toString(), h5);
        }
      }
      if (n > 0 && new String(head, 0, n, StandardCharsets.UTF_8).stripLeading().startsWith("{")) {
        return readJson(path);
      }
    }
    throw new IOException(path + " is not a Keras file: neither a .keras zip, HDF5 (.h5, .weights.h5) nor a model's "
        + "JSON (model.to_json())");
  }

  /** {@code model.to_json()} written to a file: a model config, no weights. */
  private static KerasFile readJson(Path path) throws IOException {
    JsonNode config;
    try {
      config = Json.MAPPER.readTree(Files.readString(path));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(path + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!config.has("class_name")) {
      throw new IOException(path + " is JSON but not a Keras model config (no class_name)");
    }
    return new KerasFile(path.toString(), config, null, Map.of(), false);
  }

  private static KerasFile readZip(Path path) throws IOException {
    JsonNode config = null;
    byte[] h5 = null;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(path))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals("config.json")) {
          config = Json.MAPPER.readTree(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
        } else if (e.getName().equals("model.weights.h5")) {
          h5 = zip.readAllBytes();
        }
      }
    }
    if (config == null || h5 == null) {
      throw new IOException(path + " is a zip but not a Keras 3 .keras file: it needs config.json and "
          + "model.weights.h5");
    }
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      KerasFile w = readH5(path + "!/model.weights.h5", f);
      String loss = config.path("compile_config").path("loss").isTextual()
          ? config.path("compile_config").path("loss").asText() : null;
      return new KerasFile(path.toString(), config, loss, w.weights, w.keyedByName);
    }
  }

  private static KerasFile readH5(String source, HdfFile f) throws IOException {
    JsonNode config = null;
    String loss = null;
    Group root = f;
    if (f.getAttributes().containsKey("model_config")) {
      config = Json.MAPPER.readTree(text(f.getAttribute("model_config")));
      if (f.getAttributes().containsKey("training_config")) {
        JsonNode training = Json.MAPPER.readTree(text(f.getAttribute("training_config")));
        loss = training.path("loss").isTextual() ? training.path("loss").asText() : null;
      }
      root = (Group) f.getChild("model_weights");
      if (root == null) {
        throw new IOException(source + " has a model_config but no model_weights group");
      }
    }
    Map<String, List<Weight>> weights;
    boolean byName = false;
    if (root.getAttributes().containsKey("layer_names")) {
      weights = readKeras2(root);
    } else if (root.getChild("layers") instanceof Group layers) {
      weights = readKeras3(layers);
      byName = true;
    } else {
      throw new IOException(source + " is HDF5 but holds no Keras weights (no layer_names attribute, no layers group)");
    }
    return new KerasFile(source, config, loss, weights, byName);
  }

  /** Keras 2 (and legacy .h5): {@code layer_names} in model order, each layer's {@code weight_names} in order. */
  private static Map<String, List<Weight>> readKeras2(Group root) {
    Map<String, List<Weight>> out = new LinkedHashMap<>();
    for (String layer : strings(root.getAttribute("layer_names"))) {
      Group g = (Group) root.getChild(layer);
      List<Weight> ws = new ArrayList<>();
      Attribute names = g == null ? null : g.getAttribute("weight_names");
      if (names != null && names.getData() != null) {
        for (String w : strings(names)) {
          ws.add(weight(w, (Dataset) g.getByPath(w)));
        }
      }
      out.put(layer, ws);
    }
    return out;
  }

  /**
   * Keras 3: {@code layers/<name>/vars/0..n}. The file keeps no layer order (HDF5 lists a group's children by name
   * hash), so these files are matched by layer name, as Keras 3 itself loads them.
   */
  private static Map<String, List<Weight>> readKeras3(Group layers) {
    Map<String, List<Weight>> out = new LinkedHashMap<>();
    for (Node n : layers.getChildren().values()) {
      List<Weight> ws = new ArrayList<>();
      if (n instanceof Group g && g.getChild("vars") instanceof Group vars) {
        for (int i = 0; vars.getChild(Integer.toString(i)) instanceof Dataset d; i++) {
          ws.add(weight(n.getName() + "/vars/" + i, d));
        }
      }
      out.put(n.getName(), ws);
    }
    return out;
  }

  private static Weight weight(String name, Dataset d) {
    Object flat = d.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] dd) {
      values = new float[dd.length];
      for (int i = 0; i < dd.length; i++) {
        values[i] = (float) dd[i];
      }
    } else {
      throw new IllegalArgumentException("weight " + name + " holds " + d.getJavaType().getSimpleName()
          + " values; Keras weights are float32 (or float64)");
    }
    return new Weight(name, d.getDimensions(), values);
  }

  private static String text(Attribute a) {
    Object d = a.getData();
    return d instanceof String s ? s : new String((byte[]) d, StandardCharsets.UTF_8);
  }

  private static List<String> strings(Attribute a) {
    Object d = a.getData();
    if (d instanceof String[] s) {
      return List.of(s);
    }
    if (d instanceof String s) {
      return List.of(s);
    }
    throw new IllegalArgumentException("attribute " + a.getName() + " is not a list of names: " + d);
  }

  public String source() {
    return source;
  }

  /** The Keras model config ({@code class_name}, {@code config}), when the file holds one (not a weights file). */
  public Optional<JsonNode> modelConfig() {
    return Optional.ofNullable(config);
  }

  /** The loss its training config names, when it has one. */
  public Optional<String> loss() {
    return Optional.ofNullable(loss);
  }

  /**
   * Whether layers are identified by name only (Keras 3's layout): no order to load by. Keras 2 files list their
   * layers in model order ({@code layer_names}).
   */
  public boolean keyedByName() {
    return keyedByName;
  }

  /** Each layer's weights by layer name, in the file's layer order (layers without weights have empty lists). */
  public Map<String, List<Weight>> weights() {
    return weights;
  }
}
