package dev.cnnspark.driver.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.driver.checkpoint.Checkpoint;
import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.keras.KerasFile;
import dev.cnnspark.driver.keras.KerasImport;
import dev.cnnspark.driver.retrain.ModelRegistry;
import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.Backends;
import dev.cnnspark.worker.io.StateFile;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A trained model, as everything that runs it needs: its config, its weights (parameters and moving statistics; no
 * optimizer state) and the class names of its outputs when they were recorded. {@link #load} takes any of the places
 * a model is saved: a weights file ({@code fit --output}), a checkpoint file or a checkpoint directory (its newest
 * valid checkpoint), a retraining model directory (its {@code current} version), or a Keras file with its config
 * ({@code .keras}, legacy {@code .h5}).
 */
public record TrainedModel(String source, String modelJson, float[] params, float[] moving, List<String> classNames)
    implements Serializable {

  public static TrainedModel load(String location, Configuration conf) throws IOException {
    URI uri = Locations.toUri(location);
    Path path = new Path(uri);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException("--model: nothing at " + uri);
    }
    if (fs.getFileStatus(path).isDirectory()) {
      if (fs.exists(new Path(path, "current"))) {
        ModelRegistry registry = new ModelRegistry(uri, conf);
        String current = registry.current().orElseThrow(() -> new IllegalArgumentException("--model: model "
            + "directory " + uri + " has published no version yet"));
        ModelRegistry.Version v = registry.read(current);
        return new TrainedModel(uri + " (version " + current + ")", v.modelJson(), v.state().params(),
            v.state().moving(), names(v.meta().path("classes")));
      }
      CheckpointStore store = new CheckpointStore(uri, conf, 1);
      Optional<CheckpointStore.Loaded> loaded = store.latestValid(w -> { });
      if (loaded.isEmpty()) {
        throw new IllegalArgumentException("--model: " + uri + " is a directory with neither a published model "
            + "(current) nor a valid checkpoint");
      }
      return of(uri + "/" + loaded.get().name(), loaded.get().checkpoint());
    }
    byte[] head = new byte[4];
    try (InputStream in = fs.open(path)) {
      int n = in.readNBytes(head, 0, 4);
      boolean keras = n >= 2 && ((head[0] == 'P' && head[1] == 'K') || (head[0] & 0xff) == 0x89 || head[0] == '{');
      if (keras) {
        return keras(java.nio.file.Path.of(uri));
      }
    }
    StateFile f;
    try (InputStream in = fs.open(path)) {
      f = StateFile.read(in, uri.toString());
    }
    JsonNode meta = Json.MAPPER.readTree(f.json("meta"));
    if (meta.path("kind").asText().equals("checkpoint")) {
      CheckpointStore store = new CheckpointStore(path.getParent().toUri(), conf, 1);
      return of(uri.toString(), store.read(path.getName()));
    }
    return new TrainedModel(uri.toString(), f.json("model"), f.floats("params"), f.floats("moving"),
        names(meta.path("classes")));
  }

  private static TrainedModel of(String source, Checkpoint c) {
    List<String> classes = c.fingerprint() == null ? List.of() : names(c.fingerprint().fields().path("classes"));
    return new TrainedModel(source, c.modelJson(), c.state().params(), c.state().moving(), classes);
  }

  private static TrainedModel keras(java.nio.file.Path file) throws IOException {
    KerasFile f = KerasFile.read(file);
    Sequential m = KerasImport.model(f.modelConfig().orElseThrow(() -> new IllegalArgumentException("--model: "
        + file + " holds weights only; a model to run needs its config (.keras, a full-model .h5)")), file.toString());
    if (f.weights().values().stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("--model: " + file + " holds a model config without weights "
          + "(model.to_json()); a model to run needs its weights (.keras, a full-model .h5)");
    }
    m.compile(new SGD(), lossFor(m));
    KerasImport.loadWeights(m, f, false, false);
    ModelState s = m.state();
    return new TrainedModel(file.toString(), m.config().toString(), s.params(), s.moving(), List.of());
  }

  private static List<String> names(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The loss a model's outputs imply when none is given: binary for one output, else categorical. */
  static Loss lossFor(Sequential m) {
    return Loss.forOutputs(m.layout().output().size());
  }

  /**
   * The backend a model runs on in an executor or a DataFrame partition: {@code kind} as the spec names it
   * ({@code java}, {@code gpu}, {@code cpu}, {@code auto}), with {@code threads} Java-path threads (0: all cores).
   */
  public static Backend openBackend(String kind, int threads) {
    return Backends.open(BackendKind.parse(kind), 0, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
  }

  /** The model, compiled with {@code loss} (null: {@link #lossFor}) and holding these weights; the caller closes it. */
  public Sequential build(Loss loss) throws IOException {
    Sequential m = Sequential.fromConfig(Json.MAPPER.readTree(modelJson));
    m.compile(new SGD(), loss != null ? loss : lossFor(m));
    ModelState s = m.state();
    m.setState(new ModelState(params, moving, s.opt1(), s.opt2(), 0));
    return m;
  }

  /** The outputs' class names: recorded ones, else the data's when the counts agree, else "0", "1", .... */
  public List<String> classNames(int outputs, List<String> dataClasses) {
    int classes = Math.max(outputs, 2);
    if (classNames.size() == classes) {
      return classNames;
    }
    if (dataClasses.size() == classes) {
      return dataClasses;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }
}
