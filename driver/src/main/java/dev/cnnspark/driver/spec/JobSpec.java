package dev.cnnspark.driver.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.OptimizerConfig;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A training job: the embedded defaults ({@code default-job.yaml}), overlaid by the user's YAML or JSON file, overlaid
 * by {@code key.path=value} overrides from the command line. The defaults double as the schema: a key they do not
 * have is an error naming it (free-form sections: {@code model}, {@code optimizer}, {@code spark.conf}).
 * {@link #validate()} reports every problem at once, each with its field, before Spark starts.
 */
public final class JobSpec {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> FREE_FORM = Set.of("model", "optimizer", "loss", "spark.conf");
  /** The values of {@code data.type} (each a source in {@code dev.cnnspark.driver.data.DataSources}). */
  public static final List<String> DATA_TYPES = List.of("mnist", "idx", "image_folder", "npz", "cifar10", "cifar100",
      "parquet", "orc", "csv", "json");
  private static final Set<String> TABLES = Set.of("parquet", "orc", "csv", "json");

  private final ObjectNode tree;
  /** Problems found while merging the user's file and overrides (unknown keys...), reported with the others. */
  private final List<String> parseProblems;

  private JobSpec(ObjectNode tree, List<String> parseProblems) {
    this.tree = tree;
    this.parseProblems = List.copyOf(parseProblems);
  }

  /**
   * An override value that stays the given string, whatever it holds: a YAML single-quoted scalar (the only escape
   * is a doubled quote), so paths and URIs with backslashes, quotes or a leading digit are not read as other types.
   */
  public static String literal(Object value) {
    return "'" + String.valueOf(value).replace("'", "''") + "'";
  }

  /** The defaults, overlaid by a file (null for none) and by overrides. */
  public static JobSpec load(Path file, Map<String, String> overrides) {
    String text = null;
    String source = "(defaults)";
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new SpecException(List.of("spec file " + file + " does not exist"));
      }
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new SpecException(List.of("spec file " + file + " cannot be read: " + e.getMessage()));
      }
      source = file.toString();
    }
    return parse(text, source, overrides);
  }

  /** The defaults, overlaid by spec text (YAML or JSON; null for none) and overrides. */
  public static JobSpec parse(String text, String source, Map<String, String> overrides) {
    ObjectNode tree = defaults();
    List<String> problems = new ArrayList<>();
    if (text != null && !text.isBlank()) {
      JsonNode user;
      try {
        user = YAML.readTree(text);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw new SpecException(List.of(source + " is not valid YAML/JSON" + (at == null || at.getLineNr() < 1 ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage()
            .split("\n")[0]));
      }
      if (user != null && !user.isNull() && !user.isMissingNode()) {
        if (!user.isObject()) {
          throw new SpecException(List.of(source + " must be a mapping of sections (name, model, data, ...)"));
        }
        merge(tree, (ObjectNode) user, "", problems);
      }
    }
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      override(tree, o.getKey(), o.getValue(), problems);
    }
    return new JobSpec(tree, problems);
  }

  /** A spec from its stored JSON form (a checkpoint's copy), no defaults merged. */
  public static JobSpec fromStored(String json) {
    try {
      return new JobSpec((ObjectNode) YAML.readTree(json), List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode defaults() {
    try (InputStream in = JobSpec.class.getResourceAsStream("/default-job.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded default-job.yaml unreadable", e);
    }
  }

  private static void merge(ObjectNode base, ObjectNode user, String prefix, List<String> problems) {
    for (Map.Entry<String, JsonNode> e : user.properties()) {
      String path = prefix + e.getKey();
      if (!base.has(e.getKey())) {
        problems.add("unknown field '" + path + "'" + suggestion(base, e.getKey()));
        continue;
      }
      JsonNode b = base.get(e.getKey());
      if (FREE_FORM.contains(path)) {
        base.set(e.getKey(), e.getValue());
      } else if (b.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) b, (ObjectNode) e.getValue(), path + ".", problems);
      } else if (b.isObject() != e.getValue().isObject()) {
        problems.add("field '" + path + "' must be " + (b.isObject() ? "a mapping" : "a value") + ", got "
            + e.getValue());
      } else {
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void override(ObjectNode tree, String path, String value, List<String> problems) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      at.append(i == 0 ? "" : ".").append(parts[i]);
      JsonNode next = node.get(parts[i]);
      if (next == null || !next.isObject()) {
        problems.add("override '" + path + "': no section '" + at + "'");
        return;
      }
      node = (ObjectNode) next;
    }
    String leaf = parts[parts.length - 1];
    boolean freeForm = FREE_FORM.stream().anyMatch(f -> path.startsWith(f + "."));
    if (!node.has(leaf) && !freeForm) {
      problems.add("override '" + path + "': unknown field" + suggestion(node, leaf));
      return;
    }
    try {
      JsonNode v = YAML.readTree(value.isEmpty() ? "\"\"" : value);
      node.set(leaf, v == null || v.isMissingNode() ? YAML.getNodeFactory().textNode(value) : v);
    } catch (IOException e) {
      node.put(leaf, value);
    }
  }

  private static String suggestion(JsonNode base, String key) {
    String best = null;
    int bestDistance = 3;
    for (Iterator<String> it = base.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      int d = distance(k, key);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
            d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
    }
    return d[a.length()][b.length()];
  }

  // ---- typed access ----

  public ObjectNode tree() {
    return tree.deepCopy();
  }

  /** The spec as JSON, as stored in checkpoints. */
  public String toJson() {
    return tree.toString();
  }

  public String name() {
    return tree.path("name").asText();
  }

  public JsonNode modelNode() {
    return tree.path("model");
  }

  /**
   * The loss as {@link Loss#parse} reads it: {@code loss: binary_crossentropy}, or Keras' options in the object form
   * {@code loss: {type: binary_crossentropy, from_logits: true}} (written {@code binary_crossentropy(from_logits=True)},
   * so a spec without options names its loss as before).
   */
  public String lossName() {
    JsonNode loss = tree.path("loss");
    if (!loss.isObject()) {
      return loss.asText();
    }
    String type = loss.has("type") ? loss.path("type").asText() : loss.path("class_name").asText();
    JsonNode logits = loss.has("from_logits") ? loss.get("from_logits") : loss.path("config").path("from_logits");
    return type + (logits.asBoolean(false) ? "(from_logits=True)" : "");
  }

  public JsonNode optimizerNode() {
    return tree.path("optimizer");
  }

  /** The spec's augmentation (none when every range is 0); {@link IllegalArgumentException} names a bad key. */
  public dev.cnnspark.worker.train.Augmentation augmentation() {
    return dev.cnnspark.worker.train.Augmentation.fromJson(tree.path("augmentation"));
  }

  /** Whether the workers keep their shards on local disk rather than in the heap. */
  public boolean shardsOnDisk() {
    return tree.path("data").path("shard_storage").asText("memory").equals("disk");
  }

  /** The data section, for the data sources. */
  public JsonNode dataNode() {
    return tree.path("data");
  }

  public String dataType() {
    return tree.path("data").path("type").asText();
  }

  public String dataPath() {
    return tree.path("data").path("path").asText("");
  }

  public int trainLimit() {
    return tree.path("data").path("train_limit").asInt();
  }

  public int testLimit() {
    return tree.path("data").path("test_limit").asInt();
  }

  public String validationSource() {
    return tree.path("validation").path("source").asText().toLowerCase(Locale.ROOT);
  }

  public double validationSplit() {
    return tree.path("validation").path("split").asDouble();
  }

  /** {@code validation.source: data}: the location of the validation examples (the data's type and options). */
  public String validationPath() {
    return tree.path("validation").path("path").asText("");
  }

  /** Whether the split holds out each class's share. */
  public boolean validationStratified() {
    return tree.path("validation").path("stratify").asBoolean(false);
  }

  private JsonNode training() {
    return tree.path("training");
  }

  public int epochs() {
    return training().path("epochs").asInt();
  }

  public int batchSize() {
    return training().path("batch_size").asInt();
  }

  public int workers() {
    return training().path("workers").asInt();
  }

  /** Minibatches per round; 0 when the spec says {@code auto} (the run chooses: {@link #averagingFrequencyAuto}). */
  public int averagingFrequency() {
    return training().path("averaging_frequency").asInt();
  }

  /** Whether {@code training.averaging_frequency} is {@code auto}. */
  public boolean averagingFrequencyAuto() {
    return training().path("averaging_frequency").asText().equals("auto");
  }

  /** {@code training.communication_target}: the share of round time outside local training auto k aims under. */
  public double communicationTarget() {
    return training().path("communication_target").asDouble();
  }

  /** {@code training.aggregation}: driver, sharded or auto. */
  public String aggregation() {
    return training().path("aggregation").asText();
  }

  /** The network the cost model assumes: {@code training.network}, or none (one machine) for a local master. */
  public dev.cnnspark.driver.rounds.RoundCostModel.Network network(String master) {
    if (master.startsWith("local")) {
      return dev.cnnspark.driver.rounds.RoundCostModel.Network.LOOPBACK;
    }
    JsonNode n = training().path("network");
    return dev.cnnspark.driver.rounds.RoundCostModel.Network.gbps(n.path("gbps").asDouble(),
        n.path("latency_ms").asDouble());
  }

  public long seed() {
    return training().path("seed").asLong();
  }

  public BackendKind backend() {
    return BackendKind.parse(training().path("backend").asText());
  }

  /** Java-path threads per worker; 0 = the cores Spark gives each task (spark.task.cpus). */
  public int threadsPerWorker() {
    return training().path("threads_per_worker").asInt();
  }

  public String checkpointDir() {
    return tree.path("checkpoint").path("dir").asText("");
  }

  /** The spec's {@code training.averaging}: how the averaged state becomes the next round's. */
  public dev.cnnspark.driver.rounds.Averaging averaging() {
    JsonNode a = training().path("averaging");
    JsonNode b = a.path("block_momentum");
    double blockMomentum = b.asText().equals("auto") ? 1 - 1.0 / Math.max(1, workers()) : b.asDouble();
    return new dev.cnnspark.driver.rounds.Averaging(a.path("optimizer_state").asText().equals("reset"),
        blockMomentum, a.path("lr_scaling").asText().equals("linear"), a.path("warmup_epochs").asDouble());
  }

  /** The run directory: {@code report.dir}, else the checkpoint directory's parent; empty when neither is set. */
  public String reportDir() {
    String dir = tree.path("report").path("dir").asText("");
    if (!dir.isBlank() || checkpointDir().isBlank()) {
      return dir;
    }
    String ckpt = Locations.toUri(checkpointDir()).toString().replaceAll("(?<=.)/+$", "");
    org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(ckpt).getParent();
    return parent == null ? "" : parent.toString();
  }

  public boolean reportFlag(String key) {
    return tree.path("report").path(key).asBoolean();
  }

  public int keepLast() {
    return tree.path("checkpoint").path("keep_last").asInt();
  }

  public int checkpointEveryRounds() {
    return tree.path("checkpoint").path("every_rounds").asInt();
  }

  public String monitor() {
    return tree.path("checkpoint").path("monitor").asText();
  }

  /** True when a larger monitored value is better. */
  public boolean monitorMaximizes() {
    String mode = tree.path("checkpoint").path("mode").asText("auto");
    return mode.equals("max") || (mode.equals("auto") && monitor().endsWith("accuracy"));
  }

  public String sparkMaster() {
    return tree.path("spark").path("master").asText();
  }

  public Map<String, String> sparkConf() {
    Map<String, String> conf = new java.util.LinkedHashMap<>();
    tree.path("spark").path("conf").properties().forEach(e -> conf.put(e.getKey(), e.getValue().asText()));
    return conf;
  }

  /** A fresh, uncompiled model of this spec. */
  public Sequential buildModel() {
    return ModelSpec.build(modelNode());
  }

  /** Loads {@code model.weights} (if any) into a freshly compiled model of this spec; see {@link ModelSpec}. */
  public void loadInitialWeights(Sequential compiled, java.util.function.Consumer<String> log) {
    ModelSpec.loadWeights(modelNode(), compiled, log);
  }

  public Optimizer buildOptimizer() {
    return OptimizerConfig.fromJson(optimizerNode(), "optimizer");
  }

  /** The spec's {@code callbacks} list (Keras' callbacks), parsed; see {@code worker.train.Callbacks}. */
  public dev.cnnspark.worker.train.Callbacks callbacks() {
    return dev.cnnspark.worker.train.Callbacks.parse(tree.path("callbacks"), "callbacks");
  }

  public Loss buildLoss() {
    return Loss.parse(lossName());
  }

  /**
   * Every problem of the spec, each naming its field; empty when the job can start.
   * Checks types and ranges, builds the model (shapes), the optimizer and the loss, and checks a local data path.
   */
  public List<String> problems() {
    List<String> p = new ArrayList<>(parseProblems);
    if (name().isBlank()) {
      p.add("name: must not be empty");
    }
    JsonNode lossNode = tree.path("loss");
    if (lossNode.isObject()) {
      lossNode.fieldNames().forEachRemaining(k -> {
        if (!Set.of("type", "from_logits").contains(k)) {
          p.add("loss." + k + ": not supported (a loss takes type and from_logits)");
        }
      });
      if (!lossNode.path("type").isTextual()) {
        p.add("loss.type: must name the loss, e.g. binary_crossentropy");
      }
      if (lossNode.has("from_logits") && !lossNode.get("from_logits").isBoolean()) {
        p.add("loss.from_logits: must be true or false, got " + lossNode.get("from_logits"));
      }
    }
    try (Sequential m = buildModel()) {
      m.layout();
      Loss loss = buildLoss();
      if (loss.categorical() && m.layout().output().size() < 2) {
        p.add("loss: categorical_crossentropy needs at least 2 outputs");
      }
    } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      p.add((e.getMessage() != null && e.getMessage().startsWith("unknown loss") ? "loss: " : "model: ")
          + e.getMessage());
    }
    try {
      callbacks();
    } catch (IllegalArgumentException e) {
      p.add(e.getMessage());
    }
    try {
      buildOptimizer();
    } catch (IllegalArgumentException e) {
      p.add(e.getMessage().startsWith("optimizer") ? e.getMessage() : "optimizer: " + e.getMessage());
    }
    checkData(p);
    try {
      augmentation();
    } catch (IllegalArgumentException e) {
      p.add(e.getMessage().startsWith("augmentation") ? e.getMessage() : "augmentation: " + e.getMessage());
    }
    checkPath(p);
    nonNegative(p, "data.train_limit", tree.path("data").path("train_limit"));
    nonNegative(p, "data.test_limit", tree.path("data").path("test_limit"));
    String vs = validationSource();
    if (!Set.of("test", "split", "data", "none").contains(vs)) {
      p.add("validation.source: must be test, split, data or none, got '" + vs + "'");
    }
    if (vs.equals("data") && validationPath().isBlank()) {
      p.add("validation.path: validation.source data needs the location of the validation examples");
    } else if (!vs.equals("data") && !validationPath().isBlank()) {
      p.add("validation.path: only read with validation.source data (it is " + vs + ")");
    }
    if (!tree.path("validation").path("stratify").isBoolean()) {
      p.add("validation.stratify: must be true or false, got " + tree.path("validation").path("stratify"));
    }
    if (vs.equals("split") && !(validationSplit() > 0 && validationSplit() < 1)) {
      p.add("validation.split: must be in (0, 1) when validation.source is split, got " + validationSplit());
    }
    positive(p, "training.epochs", training().path("epochs"));
    positive(p, "training.batch_size", training().path("batch_size"));
    positive(p, "training.workers", training().path("workers"));
    JsonNode k = training().path("averaging_frequency");
    if (!averagingFrequencyAuto() && (!k.isIntegralNumber() || k.asLong() <= 0)) {
      p.add("training.averaging_frequency: must be a positive integer or auto, got " + k);
    }
    double target = training().path("communication_target").asDouble(-1);
    if (!training().path("communication_target").isNumber() || target <= 0 || target >= 1) {
      p.add("training.communication_target: must be a number in (0, 1), got "
          + training().path("communication_target"));
    }
    if (!Set.of("driver", "sharded", "auto").contains(aggregation())) {
      p.add("training.aggregation: must be driver, sharded or auto, got " + training().path("aggregation"));
    }
    JsonNode net = training().path("network");
    if (!(net.path("gbps").isNumber() && net.path("gbps").asDouble() > 0)) {
      p.add("training.network.gbps: must be a number > 0, got " + net.path("gbps"));
    }
    if (!(net.path("latency_ms").isNumber() && net.path("latency_ms").asDouble() >= 0)) {
      p.add("training.network.latency_ms: must be a number >= 0, got " + net.path("latency_ms"));
    }
    JsonNode avg = training().path("averaging");
    if (!Set.of("average", "reset").contains(avg.path("optimizer_state").asText())) {
      p.add("training.averaging.optimizer_state: must be average or reset, got " + avg.path("optimizer_state"));
    }
    JsonNode bm = avg.path("block_momentum");
    if (!bm.asText().equals("auto") && (!bm.isNumber() || bm.asDouble() < 0 || bm.asDouble() >= 1)) {
      p.add("training.averaging.block_momentum: must be auto or a number in [0, 1), got " + bm);
    }
    if (!Set.of("none", "linear").contains(avg.path("lr_scaling").asText())) {
      p.add("training.averaging.lr_scaling: must be none or linear, got " + avg.path("lr_scaling"));
    }
    if (!avg.path("warmup_epochs").isNumber() || avg.path("warmup_epochs").asDouble() < 0
        || !Double.isFinite(avg.path("warmup_epochs").asDouble())) {
      p.add("training.averaging.warmup_epochs: must be a number >= 0, got " + avg.path("warmup_epochs"));
    }
    if (!training().path("seed").isIntegralNumber()) {
      p.add("training.seed: must be an integer, got " + training().path("seed"));
    }
    try {
      backend();
    } catch (IllegalArgumentException e) {
      p.add("training.backend: " + e.getMessage());
    }
    nonNegative(p, "training.threads_per_worker", training().path("threads_per_worker"));
    positive(p, "checkpoint.every_rounds", tree.path("checkpoint").path("every_rounds"));
    if (tree.path("checkpoint").path("keep_last").asInt() < 1) {
      p.add("checkpoint.keep_last: must be at least 1, got " + tree.path("checkpoint").path("keep_last"));
    }
    if (!Set.of("loss", "accuracy", "val_loss", "val_accuracy").contains(monitor())) {
      p.add("checkpoint.monitor: must be loss, accuracy, val_loss or val_accuracy, got '" + monitor() + "'");
    } else if (monitor().startsWith("val_") && vs.equals("none")) {
      p.add("checkpoint.monitor: '" + monitor() + "' needs validation (validation.source is none)");
    }
    if (!Set.of("min", "max", "auto").contains(tree.path("checkpoint").path("mode").asText())) {
      p.add("checkpoint.mode: must be min, max or auto, got " + tree.path("checkpoint").path("mode"));
    }
    if (!checkpointDir().isBlank()) {
      try {
        URI ckpt = Locations.toUri(checkpointDir());
        if (Locations.isLocal(ckpt) && Files.isRegularFile(Path.of(ckpt))) {
          p.add("checkpoint.dir: " + Path.of(ckpt) + " is a file, not a directory");
        }
      } catch (IllegalArgumentException e) {
        p.add("checkpoint.dir: " + e.getMessage());
      }
    }
    for (String key : List.of("tensorboard", "histograms", "html", "spark_event_log")) {
      if (!tree.path("report").path(key).isBoolean()) {
        p.add("report." + key + ": must be true or false, got " + tree.path("report").path(key));
      }
    }
    if (reportFlag("spark_event_log") && reportDir().isBlank()) {
      p.add("report.spark_event_log: needs a run directory (report.dir or checkpoint.dir)");
    }
    String masterProblem = SparkMasters.problem(sparkMaster());
    if (masterProblem != null) {
      p.add("spark.master: " + masterProblem);
    }
    return p;
  }

  /** Concurrent tasks of a local master ({@code local[4]}: 4; {@code local[*]}: the cores), 0 for a cluster. */
  public int localSlots() {
    return SparkMasters.localSlots(System.getProperty("spark.master", sparkMaster())); // spark-submit's wins
  }

  /**
   * Things that will run but probably not as the user meant: each printed as a warning before training.
   *
   * @param trainExamples the training examples the data holds (its metadata), or -1 when not known yet
   */
  public List<String> warnings(long trainExamples) {
    List<String> w = new ArrayList<>();
    int slots = localSlots();
    if (slots > 0 && workers() > slots) {
      w.add(String.format(Locale.ROOT, "training.workers is %d but spark.master %s runs %d task(s) at a time: each "
          + "round runs its workers in %d waves, so a round takes ~%dx as long as with %d workers", workers(),
          sparkMaster(), slots, (workers() + slots - 1) / slots, (workers() + slots - 1) / slots, slots));
    }
    if (slots > 0 && workers() > Runtime.getRuntime().availableProcessors() && workers() <= slots) {
      w.add("training.workers is " + workers() + " on a machine with " + Runtime.getRuntime().availableProcessors()
          + " cores: the workers share them");
    }
    long perWorker = trainExamples / Math.max(1, workers());
    if (trainExamples < 0) {
      return w;
    }
    if (perWorker < batchSize()) {
      w.add(String.format(Locale.ROOT, "each of the %d workers holds ~%d training examples, fewer than one batch of "
          + "%d: every worker trains one short minibatch per epoch", workers(), perWorker, batchSize()));
    } else if (perWorker < 2L * batchSize() * averagingFrequency()) {
      w.add(String.format(Locale.ROOT, "each of the %d workers holds ~%d training examples: fewer than two rounds of "
          + "%d minibatches of %d per epoch", workers(), perWorker, averagingFrequency(), batchSize()));
    }
    return w;
  }

  /** Throws {@link SpecException} listing every problem, if there are any. */
  public JobSpec validate() {
    List<String> p = problems();
    if (!p.isEmpty()) {
      throw new SpecException(p);
    }
    return this;
  }

  /** The data section: a known type with the options it reads (an option another type would ignore is refused). */
  private void checkData(List<String> p) {
    JsonNode d = dataNode();
    String type = dataType();
    if (!DATA_TYPES.contains(type)) {
      p.add("data.type: '" + type + "' is not supported (supported: " + String.join(", ", DATA_TYPES) + ")");
      return;
    }
    if (dataPath().isBlank() && !Set.of("mnist", "cifar10", "cifar100").contains(type)) {
      p.add("data.path: data.type " + type + " needs a path");
    }
    if (!d.path("test_path").asText("").isBlank() && !type.equals("image_folder") && !TABLES.contains(type)) {
      p.add("data.test_path: only image_folder and the tables (parquet, orc, csv, json) read it (data.type is " + type
          + ")");
    }
    JsonNode shape = d.path("shape");
    if (!shape.isArray() || java.util.stream.StreamSupport.stream(shape.spliterator(), false)
        .anyMatch(n -> !n.isIntegralNumber() || n.asInt() <= 0)) {
      p.add("data.shape: must be [] or a list of positive integers (the example shape), got " + shape);
    } else if (shape.size() > 0 && !TABLES.contains(type)) {
      p.add("data.shape: only the tables (parquet, orc, csv, json) read it (data.type is " + type + ")");
    }
    for (String column : new String[] {"features_column", "label_column"}) {
      if (d.path(column).asText("").isBlank()) {
        p.add("data." + column + ": must name a column");
      }
    }
    String labelMode = d.path("label_mode").asText();
    if (!Set.of("categorical", "binary", "none").contains(labelMode)) {
      p.add("data.label_mode: must be categorical, binary or none, got '" + labelMode + "'");
    } else if (labelMode.equals("none") && !dataType().equals("image_folder")) {
      p.add("data.label_mode: none (images without labels, for predict) is for type image_folder, not "
          + dataType());
    } else if (labelMode.equals("none") && !d.path("test_path").asText("").isBlank()) {
      p.add("data.test_path: label_mode none reads one folder of images (data.path)");
    }
    if (!Set.of("memory", "disk").contains(d.path("shard_storage").asText())) {
      p.add("data.shard_storage: must be memory or disk, got " + d.path("shard_storage"));
    }
    if (!Set.of("fail", "skip").contains(d.path("on_bad_record").asText())) {
      p.add("data.on_bad_record: must be fail or skip, got " + d.path("on_bad_record"));
    }
    JsonNode q = d.path("sequence");
    for (String k : new String[] {"maxlen", "num_words", "oov"}) {
      if (!q.path(k).isIntegralNumber() || q.path(k).asLong() < 0 || q.path(k).asLong() >= (1 << 24)) {
        p.add("data.sequence." + k + ": must be an integer in [0, 2^24), got " + q.path(k));
      }
    }
    for (String k : new String[] {"padding", "truncating"}) {
      if (!Set.of("pre", "post").contains(q.path(k).asText())) {
        p.add("data.sequence." + k + ": must be pre or post, got " + q.path(k));
      }
    }
    if (!q.path("value").isNumber()) {
      p.add("data.sequence.value: must be a number, got " + q.path("value"));
    }
    if (q.path("maxlen").asInt() > 0 && !Set.of("npz", "parquet", "orc", "csv", "json").contains(type)) {
      p.add("data.sequence: only npz and the tables (parquet, orc, csv, json) hold token ids (data.type is " + type
          + ")");
    }
    String color = d.path("color_mode").asText();
    if (!Set.of("grayscale", "rgb", "rgba").contains(color)) {
      p.add("data.color_mode: must be grayscale, rgb or rgba, got '" + color + "'");
    }
    JsonNode ts = d.path("target_size");
    if (!ts.isArray() || !(ts.size() == 0 || (ts.size() == 2 && ts.get(0).isIntegralNumber()
        && ts.get(1).isIntegralNumber() && ts.get(0).asInt() > 0 && ts.get(1).asInt() > 0))) {
      p.add("data.target_size: must be [] (keep the images' size) or [height, width] of positive integers, got "
          + ts);
    } else if (ts.size() == 2 && !Set.of("image_folder", "parquet").contains(type)) {
      p.add("data.target_size: only image_folder and parquet (image columns) read it (data.type is " + type + ")");
    }
    JsonNode rescale = d.path("rescale");
    if (!(rescale.asText().equals("auto") || (rescale.isNumber() && Double.isFinite(rescale.asDouble())
        && rescale.asDouble() > 0))) {
      p.add("data.rescale: must be auto or a positive number (e.g. 0.00392156862745098 for 1/255), got " + rescale);
    }
    if (!Set.of("fine", "coarse").contains(d.path("cifar_labels").asText())) {
      p.add("data.cifar_labels: must be fine or coarse, got " + d.path("cifar_labels"));
    }
    JsonNode names = d.path("class_names");
    Set<String> seen = new java.util.HashSet<>();
    if (!names.isArray()) {
      p.add("data.class_names: must be a list of names, got " + names);
    } else {
      for (JsonNode n : names) {
        if (!n.isTextual() || n.asText().isBlank() || !seen.add(n.asText())) {
          p.add("data.class_names: names must be distinct non-empty strings, got " + n);
        }
      }
    }
    for (String section : new String[] {"files", "arrays"}) {
      d.path(section).properties().forEach(e -> {
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          p.add("data." + section + "." + e.getKey() + ": must be a file or array name, got " + e.getValue());
        }
      });
    }
    checkPath(p);
  }

  private void checkPath(List<String> p) {
    String path = dataPath();
    if (path.isBlank()) {
      return;
    }
    URI uri;
    try {
      uri = Locations.toUri(path);
    } catch (IllegalArgumentException e) {
      p.add("data.path: " + e.getMessage());
      return;
    }
    if (Locations.isLocal(uri)) {
      Path local = Path.of(uri.getPath());
      boolean table = TABLES.contains(dataType());
      boolean file = dataType().equals("npz");
      if (table ? !Files.exists(local) : file ? !Files.isRegularFile(local) : !Files.isDirectory(local)) {
        p.add("data.path: " + (table ? "" : file ? "file " : "directory ") + local + " does not exist");
      }
    }
  }


  private static void positive(List<String> p, String field, JsonNode v) {
    if (!v.isIntegralNumber() || v.asLong() <= 0) {
      p.add(field + ": must be a positive integer, got " + v);
    }
  }

  private static void nonNegative(List<String> p, String field, JsonNode v) {
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
      p.add(field + ": must be an integer >= 0, got " + v);
    }
  }
}
