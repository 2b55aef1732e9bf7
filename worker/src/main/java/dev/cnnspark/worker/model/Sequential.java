package dev.cnnspark.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.Backends;
import dev.cnnspark.kernels.LossKind;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.io.StateFile;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.InputLayer;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.train.ConfusionMatrix;
import dev.cnnspark.worker.train.Evaluation;
import dev.cnnspark.worker.train.FitOptions;
import dev.cnnspark.worker.train.FitLoop;
import dev.cnnspark.worker.train.History;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keras' {@code Sequential}: a stack of layers, compiled with an optimizer and a loss, then {@link #fit},
 * {@link #evaluate}, {@link #predict}, {@link #summary}. Parameters live in one flat vector (plus BatchNorm moving
 * statistics and optimizer slots, see {@link ModelState}); {@link #state()} and {@link #setState} move all of it,
 * which is what the distributed driver averages.
 *
 * <p>The backend is chosen with {@link #useBackend} (default {@code auto}: an OpenCL GPU if present, else the Java
 * CPU path) and logged when the model first binds to it.
 */
public final class Sequential implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sequential.class);

  private final String name;
  private final List<Layer> layers = new ArrayList<>();
  private final Map<String, Integer> nameCounts = new HashMap<>();
  private Shape pendingInput;
  private Optimizer optimizer;
  private Loss loss;
  private boolean lossFused;
  private ModelLayout layout;
  private ModelState state;
  private long seed = 42;
  private Backend backend;
  private boolean ownsBackend;
  private Trainer trainer;

  public Sequential() {
    this("sequential");
  }

  public Sequential(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * Appends a layer, naming it Keras-style ({@code conv2d}, {@code conv2d_1}, ...) unless it has a name. An
   * {@link InputLayer} is not kept: its shape becomes the next layer's input shape, as in Keras' Sequential.
   */
  public Sequential add(Layer layer) {
    if (layout != null) {
      throw new IllegalStateException("cannot add layers to a compiled model");
    }
    if (layer instanceof InputLayer input) {
      if (!layers.isEmpty() || pendingInput != null) {
        throw new IllegalArgumentException("an InputLayer must come first in a Sequential model");
      }
      pendingInput = input.shape();
      return this;
    }
    if (pendingInput != null) {
      layer.declareInputShape(pendingInput);
      pendingInput = null;
    }
    String base = kerasName(layer.type());
    int n = nameCounts.merge(base, 1, Integer::sum);
    if (layer.name() == null) {
      layer.setName(n == 1 ? base : base + "_" + (n - 1));
    }
    layers.add(layer);
    return this;
  }

  private static String kerasName(String type) {
    String s = type.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    return s.replaceAll("([0-9])_d$", "$1d");
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /** The layer of this name. */
  public Layer layer(String layerName) {
    for (Layer l : layers) {
      if (l.name().equals(layerName)) {
        return l;
      }
    }
    throw new IllegalArgumentException("the model has no layer '" + layerName + "' (its layers: "
        + layers.stream().map(Layer::name).toList() + ")");
  }

  /**
   * Freezes the named layers (all layers when none are named): Keras' {@code layer.trainable = False}. Takes effect
   * at once: the model re-binds to its backend at the next step, keeping its state.
   */
  public Sequential freeze(String... layerNames) {
    return setTrainable(false, layerNames);
  }

  /** Unfreezes the named layers (all when none are named). */
  public Sequential unfreeze(String... layerNames) {
    return setTrainable(true, layerNames);
  }

  private Sequential setTrainable(boolean trainable, String... layerNames) {
    List<Layer> chosen = layerNames.length == 0 ? layers : java.util.Arrays.stream(layerNames).map(this::layer)
        .toList();
    syncState();
    closeTrainer();
    for (Layer l : chosen) {
      l.setTrainable(trainable);
    }
    return this;
  }

  /** The input shape declared by the first layer. */
  public Shape inputShape() {
    if (layers.isEmpty()) {
      throw new IllegalStateException("the model has no layers");
    }
    return layers.get(0).declaredInputShape().orElseThrow(() -> new IllegalArgumentException(
        "the first layer (" + layers.get(0).name() + ") must declare input_shape"));
  }

  /** Shapes and parameter offsets; available before compile. */
  public ModelLayout layout() {
    return layout != null ? layout : ModelLayout.of(inputShape(), layers);
  }

  /** Keras' summary table. */
  public String summary() {
    return Summary.render(name, layers, layout());
  }

  /** Seed of the initial weights (set before {@link #compile}). */
  public Sequential seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Validates shapes, fuses a final softmax/sigmoid into a matching loss, and initializes the weights. */
  public void compile(Optimizer optimizer, Loss loss) {
    this.optimizer = optimizer;
    this.loss = loss;
    ModelLayout l = ModelLayout.of(inputShape(), layers);
    Layer last = layers.get(layers.size() - 1);
    Optional<ActivationFn> act = last.outputActivation();
    if (loss.fromLogits() && act.isPresent() && act.get() != ActivationFn.LINEAR) {
      throw new IllegalArgumentException(loss.spec() + " expects logits, but the last layer (" + last.name()
          + ") ends in " + act.get().keras() + ": drop the activation or the from_logits option");
    }
    lossFused = act.isPresent() && act.get() == loss.fusableActivation();
    if (act.isPresent()) {
      last.setActivationAbsorbed(lossFused);
    }
    if (loss.categorical() && l.output().size() < 2) {
      throw new IllegalArgumentException("categorical_crossentropy needs at least 2 outputs, the model has "
          + l.output().size() + " (use binary_crossentropy for one output)");
    }
    this.layout = l;
    this.state = initialState(l);
    closeTrainer();
  }

  private ModelState initialState(ModelLayout l) {
    float[] params = new float[l.params()];
    float[] moving = new float[l.moving()];
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).initialize(l.inputs().get(i), params, l.paramOffsets()[i], moving, l.movingOffsets()[i],
          new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i));
    }
    int slots = optimizer.rule().slots;
    float[] opt1 = new float[slots >= 1 ? l.params() : 0];
    float[] opt2 = new float[slots >= 2 ? l.params() : 0];
    java.util.Arrays.fill(opt1, optimizer.initialSlotValue());
    return new ModelState(params, moving, opt1, opt2, 0);
  }

  private void requireCompiled() {
    if (layout == null) {
      throw new IllegalStateException("compile the model first (optimizer and loss)");
    }
  }

  public Optimizer optimizer() {
    requireCompiled();
    return optimizer;
  }

  public Loss loss() {
    requireCompiled();
    return loss;
  }

  /** The loss op the kernels run (fused with the last activation when they match). */
  public LossKind lossKind() {
    return loss.kernelKind(lossFused);
  }

  public boolean lossFused() {
    return lossFused;
  }

  /** Runs on this backend from now on; the caller keeps ownership. */
  public void useBackend(Backend backend) {
    syncState();
    closeTrainer();
    if (ownsBackend && this.backend != null) {
      this.backend.close();
    }
    this.backend = backend;
    this.ownsBackend = false;
  }

  /** Opens and owns a backend of this kind. */
  public void useBackend(BackendKind kind) {
    useBackend(Backends.open(kind, 0, Runtime.getRuntime().availableProcessors()));
    ownsBackend = true;
  }

  /** The model bound to the backend for minibatches of up to {@code batchSize} (re-bound if smaller). */
  public Trainer trainer(int batchSize) {
    requireCompiled();
    if (trainer != null && trainer.maxRows() >= batchSize) {
      return trainer;
    }
    syncState();
    if (backend == null) {
      useBackend(BackendKind.AUTO);
    }
    trainer = new Trainer(this, backend, batchSize);
    trainer.setState(state);
    LOG.info("model '{}' bound to {} (batch {})", name, backend.device(), batchSize);
    return trainer;
  }

  private void syncState() {
    if (trainer != null) {
      state = trainer.state();
    }
  }

  private void closeTrainer() {
    trainer = null;
  }

  /**
   * Current parameters, moving statistics and optimizer state (copies). Bound to a backend, the state lives there
   * and this is one copy out of it (a round's result: the state is ~4 floats per parameter).
   */
  public ModelState state() {
    requireCompiled();
    return trainer != null ? trainer.state() : state.copy();
  }

  public void setState(ModelState s) {
    requireCompiled();
    check("params", s.params().length, layout.params());
    check("moving statistics", s.moving().length, layout.moving());
    int slots = optimizer.rule().slots;
    check("optimizer slot 1", s.opt1().length, slots >= 1 ? layout.params() : 0);
    check("optimizer slot 2", s.opt2().length, slots >= 2 ? layout.params() : 0);
    if (trainer != null) {
      // copied into the backend; the cached copy is refreshed from there when it is next needed (syncState)
      trainer.setState(s);
    } else {
      state = s.copy();
    }
  }

  private static void check(String what, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + ": " + actual + " values, the model needs " + expected);
    }
  }

  /** Keras' {@code fit}; see {@link FitOptions} for the arguments and their defaults. */
  public History fit(Dataset train, FitOptions options) {
    requireCompiled();
    checkData(train, "training data");
    return new FitLoop(this, train, options).run();
  }

  /** Mean loss and accuracy over a dataset, with its confusion matrix (categorical/binary labels). */
  public Evaluation evaluate(Dataset data, int batchSize) {
    requireCompiled();
    checkData(data, "evaluation data");
    ConfusionMatrix cm = new ConfusionMatrix(Math.max(2, layout.output().size()));
    double[] m = trainer(batchSize).evaluate(data, cm);
    return new Evaluation(m[0] / m[2], m[1] / m[2], (long) m[2], cm);
  }

  /** Outputs for {@code count} examples laid out as the input shape, row after row. */
  public float[] predict(float[] x, int count, int batchSize) {
    requireCompiled();
    Dataset d = new Dataset(x, new float[count], layout.input(), 1, count);
    return trainer(batchSize).predict(d);
  }

  /** Checks that data fits the model: input shape, label width, finite values. */
  public void checkData(Dataset d, String what) {
    requireFinite(d.x(), d.shape().size(), what, "inputs");
    requireFinite(d.y(), d.labelWidth(), what, "labels");
    if (!d.shape().equals(layout.input())) {
      throw new IllegalArgumentException(what + " has examples of shape " + d.shape() + " but the model's input is "
          + layout.input());
    }
    layers.get(0).checkInputs(d.x(), 0, d.count(), d.shape().size());
    if (d.labelWidth() != layout.output().size()) {
      throw new IllegalArgumentException(what + " has labels of width " + d.labelWidth() + " but the model outputs "
          + layout.output().size() + (d.labelWidth() == 1 && loss.categorical()
          ? " (categorical_crossentropy needs one-hot labels)" : ""));
    }
  }

  private static void requireFinite(float[] a, int perExample, String what, String part) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new IllegalArgumentException(what + " has a non-finite value (" + a[i] + ") in its " + part
            + " at example " + i / perExample + ", element " + i % perExample);
      }
    }
  }

  // ---- configuration and weight files ----

  /** The Keras-style model config: {@code {"class_name": "Sequential", "config": {"name", "layers": [...]}}}. */
  public ObjectNode config() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("class_name", "Sequential");
    ObjectNode cfg = node.putObject("config");
    cfg.put("name", name);
    ArrayNode ls = cfg.putArray("layers");
    for (Layer l : layers) {
      ls.add(LayerConfig.toJson(l));
    }
    return node;
  }

  /** A model from its config (either the Keras form or a plain list of flat layer objects). */
  public static Sequential fromConfig(JsonNode node) {
    JsonNode layersNode = node.isArray() ? node : node.path("config").path("layers");
    if (!layersNode.isArray() || layersNode.isEmpty()) {
      throw new IllegalArgumentException("model config has no layers: " + node);
    }
    Sequential m = new Sequential(node.path("config").path("name").asText("sequential"));
    for (int i = 0; i < layersNode.size(); i++) {
      m.add(LayerConfig.fromJson(layersNode.get(i), "layers[" + i + "]"));
    }
    return m;
  }

  /** Writes model config, parameters and moving statistics (Keras' {@code save_weights}) atomically. */
  public void saveWeights(Path path) throws IOException {
    saveWeights(path, null);
  }

  /**
   * The same, recording the class names of the outputs (in order) with the weights, so whoever uses the file can
   * name its predictions ({@link #classNames(Path)}).
   */
  public void saveWeights(Path path, java.util.List<String> classNames) throws IOException {
    requireCompiled();
    ModelState s = state();
    com.fasterxml.jackson.databind.node.ObjectNode meta = Json.MAPPER.createObjectNode().put("kind", "weights");
    if (classNames != null) {
      meta.set("classes", Json.MAPPER.valueToTree(classNames));
    }
    StateFile f = new StateFile().putJson("meta", meta.toString()).putJson("model", config().toString())
        .putFloats("params", s.params()).putFloats("moving", s.moving());
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      f.write(out);
    }
    Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The class names a weights file records, or an empty list when it records none. */
  public static java.util.List<String> classNames(Path path) throws IOException {
    StateFile f;
    try (InputStream in = Files.newInputStream(path)) {
      f = StateFile.read(in, path.toString());
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    Json.MAPPER.readTree(f.json("meta")).path("classes").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Loads parameters and moving statistics saved by {@link #saveWeights}; the layer stack must match. */
  public void loadWeights(Path path) throws IOException {
    requireCompiled();
    StateFile f;
    try (InputStream in = Files.newInputStream(path)) {
      f = StateFile.read(in, path.toString());
    }
    Sequential saved = fromConfig(Json.MAPPER.readTree(f.json("model")));
    if (!saved.layout().outputs().equals(layout.outputs()) || saved.layout().params() != layout.params()) {
      throw new IllegalArgumentException(path + " holds weights of a different model (its layers: "
          + saved.layout().outputs() + ", " + saved.layout().params() + " params)");
    }
    ModelState s = state();
    setState(new ModelState(f.floats("params"), f.floats("moving"), s.opt1(), s.opt2(), s.iterations()));
  }

  @Override
  public void close() {
    closeTrainer();
    if (ownsBackend && backend != null) {
      backend.close();
    }
    backend = null;
  }
}
