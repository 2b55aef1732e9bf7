package dev.cnnspark.driver.keras;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.LayerConfig;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A model of this trainer as Keras 3 files: {@code model.weights.h5} in Keras 3's layout ({@code layers/<name>/vars/i},
 * each array in Keras' shape and order, written with jhdf), and a {@code .keras} zip of that file with
 * {@code config.json} (a Keras 3 Sequential config: an {@code InputLayer} with the input's {@code batch_shape}, then
 * each layer's Keras class name and config) and {@code metadata.json}.
 *
 * <p>How it is verified without Keras (none is installed here): reading the written files back through
 * {@link KerasFile}, the reader that reads the real Keras 3.8 files, gives the same config and arrays; exporting a
 * model imported from Keras' own {@code .keras} file reproduces every group, dataset shape and value of Keras' file;
 * and the re-imported model predicts bit-identically. What Keras itself does with the files is not tested here.
 */
public final class KerasExport {
  private KerasExport() {
  }

  /** Writes {@code path}: a {@code .keras} zip when the name ends in {@code .keras}, else a weights file. */
  public static void write(Sequential model, Path path) throws IOException {
    Path abs = path.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      if (abs.toString().endsWith(".keras")) {
        writeZip(model, tmp);
      } else {
        writeWeights(model, tmp);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeZip(Sequential model, Path file) throws IOException {
    Path weights = Files.createTempFile("model", ".weights.h5");
    try {
      writeWeights(model, weights);
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
        entry(zip, "metadata.json", Json.MAPPER.createObjectNode().put("keras_version", "3.8.0")
            .put("exported_by", "cnnspark").toString().getBytes(StandardCharsets.UTF_8));
        entry(zip, "config.json", config(model).toString().getBytes(StandardCharsets.UTF_8));
        entry(zip, "model.weights.h5", Files.readAllBytes(weights));
      }
    } finally {
      Files.deleteIfExists(weights);
    }
  }

  private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Keras 3's Sequential config of the model. */
  public static ObjectNode config(Sequential model) {
    ObjectNode root = Json.MAPPER.createObjectNode().put("module", "keras").put("class_name", "Sequential");
    ObjectNode cfg = root.putObject("config").put("name", model.name()).put("trainable", true)
        .put("dtype", "float32");
    ArrayNode layers = cfg.putArray("layers");
    ObjectNode input = layers.addObject().put("module", "keras.layers").put("class_name", "InputLayer");
    input.putObject("config").put("name", "input_layer").put("dtype", "float32").put("sparse", false)
        .set("batch_shape", batchShape(model.inputShape()));
    input.putNull("registered_name");
    ModelLayout l = model.layout();
    List<Layer> ls = model.layers();
    for (int i = 0; i < ls.size(); i++) {
      ObjectNode keras = LayerConfig.toJson(ls.get(i));
      ObjectNode c = (ObjectNode) keras.get("config");
      c.remove("input_shape");
      c.put("trainable", ls.get(i).trainable());
      c.put("dtype", "float32");
      ObjectNode layer = layers.addObject().put("module", "keras.layers").put("class_name", ls.get(i).type());
      layer.set("config", c);
      layer.putNull("registered_name");
      layer.putObject("build_config").set("input_shape", batchShape(l.inputs().get(i)));
    }
    root.putNull("registered_name");
    root.putObject("build_config").set("input_shape", batchShape(model.inputShape()));
    root.putNull("compile_config");
    return root;
  }

  private static ArrayNode batchShape(Shape s) {
    ArrayNode a = Json.MAPPER.createArrayNode().addNull();
    for (int d : s.dims()) {
      a.add(d);
    }
    return a;
  }

  /**
   * Keras 3's weights file: {@code layers/<name>/vars/<i>} for every layer with weights. Keras also writes empty
   * groups for layers without weights and a root {@code vars}; they are left out because jhdf 0.10.0 writes a
   * group holding an empty group beside other groups in a form that jhdf itself cannot read back (found here: "Failed
   * to load children"); Keras' loader reads a missing group as a layer without variables.
   */
  static void writeWeights(Sequential model, Path file) {
    ModelLayout l = model.layout();
    ModelState s = model.state();
    List<Layer> layers = model.layers();
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      WritableGroup root = h5.putGroup("layers");
      for (int i = 0; i < layers.size(); i++) {
        Layer layer = layers.get(i);
        if (layer.weightShapes(l.inputs().get(i)).isEmpty()) {
          continue;
        }
        WritableGroup vars = root.putGroup(layer.name()).putGroup("vars");
        vars.putAttribute("name", layer.name());
        int p = l.paramOffsets()[i];
        int m = l.movingOffsets()[i];
        int pEnd = p + l.paramCounts()[i];
        int k = 0;
        for (int[] shape : layer.weightShapes(l.inputs().get(i))) {
          int n = 1;
          for (int d : shape) {
            n *= d;
          }
          float[] src = p < pEnd ? s.params() : s.moving();
          int off = p < pEnd ? p : m;
          vars.putDataset(Integer.toString(k++), nested(src, off, shape, 0));
          if (p < pEnd) {
            p += n;
          } else {
            m += n;
          }
        }
      }
    }
  }

  /** {@code values[off ..]} as a nested float array of {@code shape} from dimension {@code d} on (row-major). */
  private static Object nested(float[] values, int off, int[] shape, int d) {
    if (d == shape.length - 1) {
      float[] row = new float[shape[d]];
      System.arraycopy(values, off, row, 0, row.length);
      return row;
    }
    int stride = 1;
    for (int i = d + 1; i < shape.length; i++) {
      stride *= shape[i];
    }
    Object first = nested(values, off, shape, d + 1);
    Object out = Array.newInstance(first.getClass(), shape[d]);
    Array.set(out, 0, first);
    for (int i = 1; i < shape[d]; i++) {
      Array.set(out, i, nested(values, off + i * stride, shape, d + 1));
    }
    return out;
  }
}
