package dev.cnnspark.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.worker.io.CorruptStateFileException;
import dev.cnnspark.worker.model.Presets;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.SGD;
import dev.cnnspark.worker.model.Loss;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed-input corpus: for every input the product reads, generated broken variants (truncated at several
 * points, bit flips, wrong sizes and types, out-of-range values, NaN and infinity, empty, missing), each run the way
 * a user would meet it and each asserting the exit code and that the message names the culprit (the file, field or
 * option). Inputs: MNIST IDX data files, job specs, command-line options, retrain options and the model directory,
 * checkpoints, weights files. Grow it with every new input format.
 */
class MalformedInputCorpusTest {
  @TempDir
  static Path tmp;

  /** One corpus entry: how to provoke it, the exit code, and what the message must name. */
  private record Case(String input, String variant, List<String> args, int exit, String names) {
    DynamicTest test() {
      return DynamicTest.dynamicTest(input + ": " + variant, () -> {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(exit, r.code(), r.toString());
        assertTrue(r.output().contains(names), "the message should name '" + names + "': " + r);
        assertFalse(r.output().contains("\tat dev.cnnspark"), "a message, not our stack trace: " + r);
        assertFalse(r.output().contains("Epoch 1/"), "found before any training: " + r);
      });
    }
  }

  /** {@code bench --fit-rounds DIR}: the directories deploy/bench/round-costs.sh leaves, broken. */
  private static List<Case> fitRoundsCases() throws IOException {
    String header = "global_round,epoch,round,loss,examples,wall_ms,local_training_ms,broadcast_ms,state_copies_ms,"
        + "averaging_ms,other_ms,learning_rate\n";
    String row = "1,1,1,2.3,128,300.0,140.0,20.0,60.0,1.0,80.0,1.0\n";
    String console = "aggregation: driver; state per worker: 1199882 floats (4.8 MB)\n";
    List<Case> cases = new ArrayList<>();
    Path empty = Files.createDirectories(tmp.resolve("fit-empty"));
    cases.add(new Case("fit-rounds", "no runs", List.of("bench", "--fit-rounds", empty.toString()), ExitCodes.USAGE,
        "holds no runs of deploy/bench/round-costs.sh"));
    cases.add(new Case("fit-rounds", "no directory", List.of("bench", "--fit-rounds", tmp.resolve("fit-none")
        .toString()), ExitCodes.USAGE, "no such directory"));
    Path noState = Files.createDirectories(tmp.resolve("fit-nostate/driver-e1-cnn"));
    Files.writeString(noState.resolve("rounds.csv"), header + row.repeat(5));
    Files.writeString(noState.resolve("console.txt"), "job 'x': 1 workers\n");
    cases.add(new Case("fit-rounds", "console without the state size", List.of("bench", "--fit-rounds",
        noState.getParent().toString()), ExitCodes.USAGE, "console.txt does not say the state size"));
    Path warmOnly = Files.createDirectories(tmp.resolve("fit-warm/driver-e1-cnn"));
    Files.writeString(warmOnly.resolve("rounds.csv"), header + row.repeat(3));
    Files.writeString(warmOnly.resolve("console.txt"), console);
    cases.add(new Case("fit-rounds", "only warm-up rounds", List.of("bench", "--fit-rounds",
        warmOnly.getParent().toString()), ExitCodes.USAGE, "rounds.csv has no rounds after the 3 warm-up ones"));
    Path badRow = Files.createDirectories(tmp.resolve("fit-bad/sharded-e2-cnn"));
    Files.writeString(badRow.resolve("rounds.csv"), header + row.repeat(3) + "4,1,4,2.3,128,fast\n");
    Files.writeString(badRow.resolve("console.txt"), console);
    cases.add(new Case("fit-rounds", "a malformed round", List.of("bench", "--fit-rounds",
        badRow.getParent().toString()), ExitCodes.USAGE, "rounds.csv line 5 is not a round of this version"));
    return cases;
  }

  // ---- MNIST IDX files ----

  private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

  private static byte[] idx(int rank, int[] dims, byte[] data) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bos);
      out.writeInt(0x00000800 | rank);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
      return bos.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
        gz.write(raw);
      }
      return bos.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] images(int n, int h, int w) {
    byte[] px = new byte[n * h * w];
    new Random(n).nextBytes(px);
    return gzip(idx(3, new int[] {n, h, w}, px));
  }

  private static byte[] labels(int n, int maxLabel) {
    byte[] l = new byte[n];
    for (int i = 0; i < n; i++) {
      l[i] = (byte) (i % (maxLabel + 1));
    }
    return gzip(idx(1, new int[] {n}, l));
  }

  /** A small, valid MNIST-layout directory (120 training, 40 test examples) with one file replaced. */
  private static Path dataDir(String name, String file, byte[] content) throws IOException {
    Path dir = tmp.resolve("data").resolve(name);
    Files.createDirectories(dir);
    Files.write(dir.resolve(FILES[0]), images(120, 28, 28));
    Files.write(dir.resolve(FILES[1]), labels(120, 9));
    Files.write(dir.resolve(FILES[2]), images(40, 28, 28));
    Files.write(dir.resolve(FILES[3]), labels(40, 9));
    Files.write(dir.resolve(file), content);
    return dir;
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x24;
    return c;
  }

  @TestFactory
  Stream<DynamicTest> dataFiles() throws IOException {
    List<Case> cases = new ArrayList<>();
    Map<String, byte[]> good = Map.of(FILES[0], images(120, 28, 28), FILES[1], labels(120, 9), FILES[2],
        images(40, 28, 28), FILES[3], labels(40, 9));
    for (String file : FILES) {
      byte[] g = good.get(file);
      Map<String, byte[]> variants = new java.util.LinkedHashMap<>();
      variants.put("empty", new byte[0]);
      variants.put("not IDX (text)", "hello, world\n".getBytes());
      for (int pct : new int[] {1, 50, 99}) {
        variants.put("gzip truncated at " + pct + "%", Arrays.copyOf(g, Math.max(1, g.length * pct / 100)));
      }
      variants.put("bit flip in the deflate stream", flip(g, g.length / 2));
      variants.put("bit flip in the CRC", flip(g, g.length - 6));
      variants.put("bit flip in the length", flip(g, g.length - 2));
      for (Map.Entry<String, byte[]> v : variants.entrySet()) {
        Path dir = dataDir(file + "-" + v.getKey().replaceAll("\\W+", "_"), file, v.getValue());
        cases.add(new Case("IDX " + file, v.getKey(), List.of("fit", "--data", dir.toString(), "--epochs", "1"),
            ExitCodes.DATA, file));
      }
    }
    Object[][] specific = {
        {FILES[1], "fewer labels than images", labels(119, 9), "has 119 labels but"},
        {FILES[1], "label out of range", labels(120, 10), "index 10: label 10 is outside the 10 classes (0..9)"},
        {FILES[0], "27x28 images", images(120, 27, 28), "27x28"},
        {FILES[1], "images where labels should be", images(120, 28, 28), FILES[1]},
        {FILES[0], "raw IDX with trailing bytes", Arrays.copyOf(idx(3, new int[] {120, 28, 28},
            new byte[120 * 784]), 16 + 120 * 784 + 5), "trailing bytes"},
        {FILES[0], "raw IDX cut short", Arrays.copyOf(idx(3, new int[] {120, 28, 28}, new byte[120 * 784]), 5000),
            "truncated: header promises 94080 data bytes"},
        {FILES[0], "zero images", gzip(idx(3, new int[] {0, 28, 28}, new byte[0])), "dimension 0 is 0"}};
    for (Object[] s : specific) {
      Path dir = dataDir("specific-" + ((String) s[1]).replaceAll("\\W+", "_"), (String) s[0], (byte[]) s[2]);
      cases.add(new Case("IDX " + s[0], (String) s[1], List.of("fit", "--data", dir.toString(), "--epochs", "1"),
          ExitCodes.DATA, (String) s[3]));
    }
    Path missing = dataDir("missing", FILES[0], images(120, 28, 28));
    Files.delete(missing.resolve(FILES[3]));
    cases.add(new Case("IDX directory", "a file missing", List.of("validate", "--data", missing.toString()),
        ExitCodes.DATA, FILES[3] + ": missing (this IDX dataset needs"));
    cases.add(new Case("IDX directory", "no such directory", List.of("validate", "--data", tmp.resolve("nowhere")
        .toString()), ExitCodes.USAGE, "data.path: directory " + tmp.resolve("nowhere") + " does not exist"));
    return cases.stream().map(Case::test);
  }

  // ---- job specs and their fields ----

  private static final String GOOD_JSON = "{\"name\": \"corpus\", \"training\": {\"epochs\": 2, \"batch_size\": 32, "
      + "\"workers\": 2}, \"optimizer\": {\"type\": \"adam\", \"learning_rate\": 0.001}, \"checkpoint\": "
      + "{\"dir\": \"\"}}";

  private static Path specFile(String name, byte[] content) throws IOException {
    Path p = tmp.resolve("specs").resolve(name);
    Files.createDirectories(p.getParent());
    return Files.write(p, content);
  }

  @TestFactory
  Stream<DynamicTest> jobSpecs() throws IOException {
    List<Case> cases = new ArrayList<>();
    byte[] good = GOOD_JSON.getBytes();
    for (int pct : new int[] {10, 35, 60, 90}) {
      Path f = specFile("truncated-" + pct + ".json", Arrays.copyOf(good, good.length * pct / 100));
      cases.add(new Case("job spec", "JSON truncated at " + pct + "%", List.of("validate", f.toString()),
          ExitCodes.USAGE, f + " is not valid YAML/JSON at line 1"));
    }
    byte[] noise = new byte[200];
    new Random(3).nextBytes(noise);
    Path garbage = specFile("garbage.yaml", noise);
    cases.add(new Case("job spec", "binary garbage", List.of("validate", garbage.toString()), ExitCodes.USAGE,
        garbage.toString()));
    Path list = specFile("list.yaml", "- training\n- epochs\n".getBytes());
    cases.add(new Case("job spec", "a list, not a mapping", List.of("validate", list.toString()), ExitCodes.USAGE,
        list + " must be a mapping"));
    cases.add(new Case("job spec", "missing file", List.of("validate", tmp.resolve("nope.yaml").toString()),
        ExitCodes.USAGE, "spec file " + tmp.resolve("nope.yaml") + " does not exist"));
    cases.add(new Case("job spec", "a directory", List.of("validate", tmp.toString()), ExitCodes.USAGE,
        "spec file " + tmp + " does not exist"));
    String[][] fields = {
        {"training: {epochs: three}", "training.epochs: must be a positive integer, got \"three\""},
        {"training: {epochs: .inf}", "field-1.yaml is not valid YAML/JSON at line 1, column 24: Malformed numeric "
            + "value '.inf'"},
        {"training: {epochs: 0}", "training.epochs: must be a positive integer, got 0"},
        {"training: {batch_size: 2.5}", "training.batch_size: must be a positive integer, got 2.5"},
        {"training: {batch_size: -1}", "training.batch_size: must be a positive integer, got -1"},
        {"training: {batch_size: 100000000}\ndata: {path: \"" + Cli.mnistDir() + "\"}",
            "training.batch_size: 100000000: activations need"},
        {"training: {workers: true}", "training.workers: must be a positive integer, got true"},
        {"training: {averaging_frequency: 0}", "training.averaging_frequency: must be a positive integer"},
        {"training: {seed: x}", "training.seed: must be an integer"},
        {"training: {backend: tpu}", "training.backend:"},
        {"training: {threads_per_worker: -2}", "training.threads_per_worker: must be an integer >= 0, got -2"},
        {"data: {train_limit: -5}", "data.train_limit: must be an integer >= 0, got -5"},
        {"data: {test_limit: .nan}", "line 1, column 24: Malformed numeric value '.nan'"},
        {"data: {type: tfrecord}", "data.type: 'tfrecord' is not supported"},
        {"data: {type: npz}", "data.path: data.type npz needs a path"},
        {"data: {label_mode: sparse}", "data.label_mode: must be categorical, binary or none"},
        {"data: {label_mode: none}", "data.label_mode: none (images without labels, for predict) is for type "
            + "image_folder, not mnist"},
        {"data: {type: image_folder, path: /x, test_path: /y, label_mode: none}",
            "data.test_path: label_mode none reads one folder of images"},
        {"report: {tensorboard: yes please}", "report.tensorboard: must be true or false, got \"yes please\""},
        {"report: {html: 1}", "report.html: must be true or false, got 1"},
        {"report: {spark_event_log: true}\ncheckpoint: {dir: \"\"}",
            "report.spark_event_log: needs a run directory (report.dir or checkpoint.dir)"},
        {"report: {charts: true}", "unknown field 'report.charts'"},
        {"training: {averaging: {optimizer_state: keep}}",
            "training.averaging.optimizer_state: must be average or reset, got \"keep\""},
        {"training: {averaging: {block_momentum: 1}}", "training.averaging.block_momentum: must be auto or a number in [0, 1)"},
        {"training: {averaging: {lr_scaling: sqrt}}", "training.averaging.lr_scaling: must be none or linear"},
        {"training: {averaging: {warmup_epochs: -1}}", "training.averaging.warmup_epochs: must be a number >= 0"},
        {"training: {averaging_frequency: sometimes}",
            "training.averaging_frequency: must be a positive integer or auto, got \"sometimes\""},
        {"training: {averaging_frequency: 0}",
            "training.averaging_frequency: must be a positive integer or auto, got 0"},
        {"training: {communication_target: 1.5}", "training.communication_target: must be a number in (0, 1), got 1.5"},
        {"training: {aggregation: tree}", "training.aggregation: must be driver, sharded or auto, got \"tree\""},
        {"training: {network: {gbps: 0}}", "training.network.gbps: must be a number > 0, got 0"},
        {"training: {network: {latency_ms: fast}}", "training.network.latency_ms: must be a number >= 0"},
        {"training: {network: {bandwidth: 10}}", "unknown field 'training.network.bandwidth'"},
        {"data: {target_size: [28]}", "data.target_size: must be []"},
        {"data: {rescale: .inf}", "Malformed numeric value '.inf'"},
        {"data: {rescale: 0}", "data.rescale: must be auto or a positive number"},
        {"data: {class_names: [a, a]}", "data.class_names: names must be distinct non-empty strings"},
        {"data: {files: {train_images: 3}}", "data.files.train_images: must be a file or array name"},
        {"data: {arrays: {x_tran: x}}", "unknown field 'data.arrays.x_tran' (did you mean 'x_train'?)"},
        {"data: {shard_storage: ram}", "data.shard_storage: must be memory or disk, got \"ram\""},
        {"data: {on_bad_record: ignore}", "data.on_bad_record: must be fail or skip, got \"ignore\""},
        {"data: {type: npz, path: /x.npz, target_size: [8, 8]}", "data.target_size: only image_folder and parquet"},
        {"data: {sequence: {maxlen: -1}}", "data.sequence.maxlen: must be an integer in [0, 2^24), got -1"},
        {"data: {sequence: {padding: middle}}", "data.sequence.padding: must be pre or post, got \"middle\""},
        {"data: {sequence: {maxlen: 100}}", "data.sequence: only npz and the tables (parquet, orc, csv, json) hold"},
        {"validation: {source: data}", "validation.path: validation.source data needs the location"},
        {"validation: {path: /elsewhere}", "validation.path: only read with validation.source data"},
        {"validation: {stratify: 3}", "validation.stratify: must be true or false, got 3"},
        {"augmentation: {rotation: 10}", "unknown field 'augmentation.rotation'"},
        {"augmentation: {fill_mode: mirror}", "fill_mode must be nearest, constant, reflect or wrap"},
        {"augmentation: {zoom_range: 1.5}", "augmentation.zoom_range must be below 1"},
        {"augmentation: {horizontal_flip: sometimes}", "augmentation.horizontal_flip: must be true or false"},
        {"validation: {source: split, split: NaN}", "validation.split: must be in (0, 1) when validation.source is "
            + "split, got NaN"},
        {"validation: {source: split, split: 1.5}", "validation.split: must be in (0, 1)"},
        {"validation: {source: holdout}", "validation.source: must be test, split, data or none"},
        {"optimizer: {type: adam, learning_rate: NaN}", "'learning_rate' must be a number, got \"NaN\""},
        {"optimizer: {type: sgd, learning_rate: .inf}", "line 1, column 43: Malformed numeric value '.inf'"},
        {"optimizer: {type: sgd, learning_rate: 1e999}", "'learning_rate' must be a finite number, got Infinity"},
        {"optimizer: {type: sgd, learning_rate: -0.1}", "learning_rate must be positive"},
        {"optimizer: {type: sgd, momentum: 1.5}", "momentum must be in [0, 1)"},
        {"optimizer: {type: adam, learning_rate: fast}", "'learning_rate' must be a number, got \"fast\""},
        {"loss: hinge", "loss: unknown loss 'hinge'"},
        {"checkpoint: {keep_last: 0}", "checkpoint.keep_last: must be at least 1"},
        {"checkpoint: {monitor: f1}", "checkpoint.monitor: must be loss, accuracy"},
        {"checkpoint: {mode: up}", "checkpoint.mode: must be min, max or auto"},
        {"spark: {master: \"local[abc]\"}", "spark.master: 'local[abc]' is not a Spark master URL"},
        {"spark: {master: \"local[0]\"}", "spark.master: 'local[0]': the number of local threads must be at least 1"},
        {"model: {preset: resnet}", "unknown model preset 'resnet'"},
        {"callbacks: {type: EarlyStopping}", "field 'callbacks' must be a value, got {\"type\":\"EarlyStopping\"}"},
        {"callbacks: [{type: EarlyStoping}]", "callbacks[0]: unknown callback 'EarlyStoping'"},
        {"callbacks: [{type: EarlyStopping, patience: -1}]", "'patience' must be an integer >= 0, got -1"},
        {"callbacks: [{type: EarlyStopping, baseline: 0.9}]", "'baseline' is not supported"},
        {"callbacks: [{type: EarlyStopping, mode: up}]", "'mode' must be auto, min or max"},
        {"callbacks: [{type: ReduceLROnPlateau, factor: 1.5}]", "'factor' must be in (0, 1), got 1.5"},
        {"callbacks: [{type: LearningRateScheduler, schedule: \"lambda e: 0.1\"}]",
            "'schedule' must be step, exponential or cosine"},
        {"callbacks: [{type: LearningRateScheduler, schedule: cosine}]", "the cosine schedule needs 'decay_epochs'"},
        {"callbacks: [{type: ReduceLROnPlateau}, {type: LearningRateScheduler, schedule: step}]",
            "both set the learning rate; use one"},
        {"callbacks: [{type: CSVLogger}]", "CSVLogger needs a filename"},
        {"callbacks: [{type: EarlyStopping}, {type: EarlyStopping}]", "a second EarlyStopping callback"},
        {"trainig: {epochs: 2}", "unknown field 'trainig' (did you mean 'training'?)"}};
    int i = 0;
    for (String[] f : fields) {
      Path p = specFile("field-" + i++ + ".yaml", (f[0] + "\n").getBytes());
      cases.add(new Case("job spec field", f[0], List.of("validate", p.toString()), ExitCodes.USAGE, f[1]));
    }
    return cases.stream().map(Case::test);
  }

  // ---- command-line options ----

  @TestFactory
  Stream<DynamicTest> commandLineOptions() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    String[][] options = {
        {"--batch-size", "abc", "Invalid value for option '--batch-size'"},
        {"--batch-size", "0", "training.batch_size: must be a positive integer, got 0"},
        {"--batch-size", "99999999999", "Invalid value for option '--batch-size'"},
        {"--epochs", "-1", "training.epochs: must be a positive integer, got -1"},
        {"--workers", "0", "training.workers: must be a positive integer, got 0"},
        {"--averaging-frequency", "1.5", "training.averaging_frequency: must be a positive integer or auto, got 1.5"},
        {"--seed", "1.5", "Invalid value for option '--seed'"},
        {"--backend", "tpu", "training.backend:"},
        {"--master", "local[abc]", "spark.master: 'local[abc]' is not a Spark master URL"},
        {"--data", "/nonexistent/mnist", "data.path: directory /nonexistent/mnist does not exist"},
        {"--train-limit", "-1", "data.train_limit: must be an integer >= 0, got -1"},
        {"--checkpoint-dir", file.toString(), "checkpoint.dir: " + file + " is a file, not a directory"},
        {"--checkpoint-dir", "hdfs://nn:8020/a b", "checkpoint.dir: 'hdfs://nn:8020/a b' is not a valid URI"},
        {"--set", "training.epochs=NaN", "training.epochs: must be a positive integer, got \"NaN\""},
        {"--set", "optimizer.learning_rate=.nan", "'learning_rate' must be a number, got \".nan\""},
        {"--set", "training.epoch=3", "override 'training.epoch': unknown field (did you mean 'epochs'?)"},
        {"--set", "optimizer.learning_rate=-1", "learning_rate must be positive"},
        {"--no-such-option", null, "Unknown option: '--no-such-option'"}};
    List<Case> cases = new ArrayList<>();
    for (String[] o : options) {
      List<String> args = new ArrayList<>(List.of("validate", o[0]));
      if (o[1] != null) {
        args.add(o[1]);
      }
      cases.add(new Case("option", String.join(" ", args.subList(1, args.size())), args, ExitCodes.USAGE, o[2]));
    }
    Path underFile = file.resolve("ckpts");
    cases.add(new Case("option", "train --checkpoint-dir under a file", List.of("train", "--data", Cli.mnistDir(),
        "--checkpoint-dir", underFile.toString(), "--train-limit", "200", "--test-limit", "50", "--skip-preflight",
        "--set", "spark.conf={spark.ui.enabled: 'false'}"), ExitCodes.STORAGE, "checkpoint.dir file:" + underFile
        + " cannot be written"));
    cases.add(new Case("option", "fit --output a directory", List.of("fit", "--data", Cli.mnistDir(),
        "--output", tmp.toString()), ExitCodes.STORAGE, "--output " + tmp + " is a directory"));
    cases.add(new Case("option", "fit --output under a file", List.of("fit", "--data", Cli.mnistDir(),
        "--output", underFile.resolve("w.cnn").toString()), ExitCodes.STORAGE, "--output's directory"));
    cases.addAll(fitRoundsCases());
    cases.add(new Case("option", "doctor against no master", List.of("doctor", "--master", "spark://127.0.0.1:9",
        "--wait", "1"), ExitCodes.PREFLIGHT, "the Spark master spark://127.0.0.1:9 cannot be reached"));
    return cases.stream().map(Case::test);
  }

  // ---- retrain options and the model directory ----

  @TestFactory
  Stream<DynamicTest> retrainOptions() throws IOException {
    Path models = tmp.resolve("models");
    String spec = Files.writeString(tmp.resolve("retrain.yaml"), "data: {path: \"" + Cli.mnistDir() + "\", "
        + "train_limit: 200, test_limit: 50}\ntraining: {epochs: 1, backend: java}\n").toString();
    String[][] gates = {
        {"--max-drop", "NaN", "--max-drop must be a fraction of accuracy in [0, 1]"},
        {"--max-drop", "Infinity", "--max-drop must be a fraction of accuracy in [0, 1]"},
        {"--max-drop", "-0.01", "got -0.01"},
        {"--max-drop", "1.5", "got 1.5"},
        {"--max-drop", "abc", "Invalid value for option '--max-drop'"},
        {"--min-accuracy", "99", "(a percentage? use 0.99)"},
        {"--min-accuracy", "-1", "--min-accuracy must be an accuracy in [0, 1]"},
        {"--min-accuracy", "NaN", "--min-accuracy must be an accuracy in [0, 1]"},
        {"--lease-seconds", "0", "--lease-seconds must be at least 10"}};
    List<Case> cases = new ArrayList<>();
    for (String[] g : gates) {
      cases.add(new Case("retrain option", g[0] + " " + g[1], List.of("retrain", spec, "--models", models.toString(),
          g[0], g[1]), ExitCodes.USAGE, g[2]));
    }
    Path file = Files.writeString(tmp.resolve("models-file"), "x");
    cases.add(new Case("retrain option", "--models is a file", List.of("retrain", spec, "--models", file.toString()),
        ExitCodes.STORAGE, "--models " + file.toUri().toString().replaceFirst("^file:///", "file:/")));
    Path broken = tmp.resolve("models-broken");
    Files.createDirectories(broken.resolve("versions"));
    Files.writeString(broken.resolve("current"), "v000001\n");
    Files.write(broken.resolve("versions").resolve("v000001.cnn"), "not a model".getBytes());
    cases.add(new Case("model directory", "the published version is corrupt", List.of("retrain", spec, "--models",
        broken.toString()), ExitCodes.DATA, "v000001.cnn: not a cnnspark state file"));
    return cases.stream().map(Case::test);
  }

  // ---- Keras files, layers and model options of the models issue ----

  private static Path kerasZip(String name, String config) throws IOException {
    Path f = tmp.resolve("keras").resolve(name);
    Files.createDirectories(f.getParent());
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("config.json"));
      zip.write(config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new java.util.zip.ZipEntry("model.weights.h5"));
      zip.write(Files.readAllBytes(keras("keras2_mnist_cnn.weights.h5")));
      zip.closeEntry();
    }
    return f;
  }

  private static Path keras(String name) {
    return Path.of(Cli.mnistDir()).resolve("../../keras").resolve(name).normalize();
  }

  private static Path cut(Path file, double fraction) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Path out = tmp.resolve("keras").resolve("cut-" + (int) (fraction * 100) + "-" + file.getFileName());
    Files.createDirectories(out.getParent());
    return Files.write(out, java.util.Arrays.copyOf(b, (int) (b.length * fraction)));
  }

  @TestFactory
  Stream<DynamicTest> kerasFilesAndModelOptions() throws IOException {
    String layer = "{\"class_name\": \"%s\", \"config\": %s}";
    String seq = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [%s]}}";
    Path text = Files.writeString(tmp.resolve("not-keras.keras"), "hello");
    Files.createDirectories(tmp.resolve("keras"));
    Path badJson = Files.writeString(tmp.resolve("keras").resolve("bad.json"), "{\"class_name\": \"Sequential\",");
    Path otherJson = Files.writeString(tmp.resolve("keras").resolve("other.json"), "{\"layers\": []}");
    Path functional = kerasZip("functional.keras", "{\"class_name\": \"Functional\", \"config\": {\"layers\": "
        + "[{\"class_name\": \"InputLayer\"}, {\"class_name\": \"Add\"}]}}");
    Path lambda = kerasZip("lambda.keras", String.format(seq, String.format(layer, "InputLayer",
        "{\"batch_shape\": [null, 4]}") + ", " + String.format(layer, "Lambda", "{\"function\": \"x\"}")));
    Path dilated = kerasZip("dilated.keras", String.format(seq, String.format(layer, "InputLayer",
        "{\"batch_shape\": [null, 8, 8, 1]}") + ", " + String.format(layer, "Conv2D", "{\"filters\": 2, "
        + "\"kernel_size\": [3, 3], \"dilation_rate\": [2, 2]}")));
    Path noConfig = Files.createDirectories(tmp.resolve("keras")).resolve("x.zip");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(noConfig))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("other.txt"));
      zip.closeEntry();
    }
    String[][] specs = {
        {"model: {keras: \"" + text + "\"}", "is not a Keras file: neither a .keras zip, HDF5 (.h5, .weights.h5) "
            + "nor a model's JSON"},
        {"model: {keras: \"" + cut(keras("keras3_mnist_mlp.keras"), 0.4) + "\"}", "cut-40-keras3_mnist_mlp.keras"},
        {"model: {keras: \"" + cut(keras("keras3_mnist_mlp_legacy.h5"), 0.3) + "\"}",
            "cut-30-keras3_mnist_mlp_legacy.h5 is damaged or cut short"},
        {"model: {keras: \"" + noConfig + "\"}", "is a zip but not a Keras 3 .keras file"},
        {"model: {keras: \"" + badJson + "\"}", "bad.json is not valid JSON"},
        {"model: {keras: \"" + otherJson + "\"}", "other.json is JSON but not a Keras model config (no class_name)"},
        {"model: {keras: \"" + keras("keras2_mnist_cnn.weights.h5") + "\"}", "is a weights file with no model config"},
        {"model: {keras: \"" + functional + "\"}", "holds a Functional model; only Sequential models import"},
        {"model: {keras: \"" + lambda + "\"}", "a Lambda layer runs Python code"},
        {"model: {keras: \"" + dilated + "\"}", "'dilation_rate' = [2,2] is not supported (only 1)"},
        {"model: {keras: x.keras, preset: mnist_cnn}", "give a Keras file or a preset or layers, not both"},
        {"model: {preset: mnist_cnn, freeze: [conv9]}", "model.freeze: the model has no layer 'conv9'"},
        {"model: {preset: mnist_cnn, freeze: conv2d}", "model.freeze must be a list of layer names"},
        {"model: {preset: mnist_cnn, freeze_up_to: top}", "model.freeze_up_to: the model has no layer 'top'"},
        {"model: {preset: mnist_cnn, alpha: 0.5}", "model.alpha applies to the mobilenet_v1 preset only"},
        {"model: {preset: mobilenet_v1, include_top: true}", "include_top: true is not supported"},
        {"model: {preset: mobilenet_v1, input_shape: [16, 16, 3]}", "mobilenet_v1 needs an input of at least 32x32"},
        {"model: {preset: mnist_cnn, head: {type: Dense}}", "model.head must be a list of layers"},
        {"model: {preset: mnist_cnn, size: large}", "model.size: unknown key"},
        {"loss: {type: binary_crossentropy, label_smoothing: 0.1}", "loss.label_smoothing: not supported"},
        {"loss: {type: categorical_crossentropy, from_logits: yes please}", "loss.from_logits: must be true or false"},
        {"loss: {type: mse, from_logits: true}", "mean_squared_error has no from_logits option"},
        {"loss: {type: categorical_crossentropy, from_logits: true}", "expects logits, but the last layer (dense_1) "
            + "ends in softmax"},
        {"model: {layers: [{type: Embedding, input_dim: 10, output_dim: 4, input_length: 5, mask_zero: true}, "
            + "{type: Flatten}, {type: Dense, units: 10, activation: softmax}]}", "'mask_zero' = true is not supported"},
        {"model: {layers: [{type: Conv1D, filters: 4, kernel_size: 3, input_shape: [28, 28, 1]}]}",
            "Conv1D 'conv1d' expects (steps, channels) input, got (28, 28, 1)"},
        {"model: {layers: [{type: GlobalMaxPooling1D, input_shape: [28, 28, 1]}]}",
            "expects (steps, channels) input, got (28, 28, 1)"},
        {"model: {layers: [{type: Cropping2D, cropping: 14, input_shape: [28, 28, 1]}]}", "leaves nothing of a 28x28"},
        {"model: {layers: [{type: Reshape, target_shape: [5, -1], input_shape: [28, 28, 1]}]}",
            "cannot reshape (28, 28, 1) (784 values) to [5, -1]"},
        {"model: {layers: [{type: ReLU, max_value: -1, input_shape: [4]}]}", "ReLU max_value must be >= 0"},
        {"model: {layers: [{type: ReLU, threshold: 0.5, input_shape: [4]}]}", "'threshold' = 0.5 is not supported"},
        {"model: {layers: [{type: DepthwiseConv2D, kernel_size: 3, depth_multiplier: 0, input_shape: [8, 8, 1]}]}",
            "depth_multiplier=0"},
        {"model: {layers: [{type: BatchNormalization, axis: 1, input_shape: [8, 8, 3]}]}",
            "only the channels axis (-1, or 3 for an input (8, 8, 3)) is supported, got axis 1"},
        {"model: {layers: [{type: Conv2D, filters: 2, kernel_size: 3, kernel_initializer: he_normal, input_shape: "
            + "[8, 8, 1]}]}", "'kernel_initializer' he_normal is not supported"}};
    List<Case> cases = new ArrayList<>();
    int i = 0;
    for (String[] f : specs) {
      Path p = specFile("keras-" + i++ + ".yaml", (f[0] + "\ndata: {path: \"" + Cli.mnistDir() + "\"}\n").getBytes());
      cases.add(new Case("model / Keras file", f[0].length() > 90 ? f[0].substring(0, 90) + "..." : f[0],
          List.of("validate", p.toString()), ExitCodes.USAGE, f[1]));
    }
    Path wrong = tmp.resolve("keras").resolve("wrong-model.weights.h5");
    Files.copy(keras("keras2_mnist_cnn.weights.h5"), wrong, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String[][] weights = {
        {"{path: /nowhere/w.h5}", "model.weights.path: no file at /nowhere/w.h5"},
        {"{path: \"" + wrong + "\"}", "weights of layer 'dense' do not fit Dense 'dense': the file has 204928 values"},
        {"{path: \"" + wrong + "\", skip_mismatch: true}", "skip_mismatch needs by_name, as in Keras"},
        {"{path: \"" + wrong + "\", by_nam: true}", "model.weights.by_nam: unknown key"},
        {"{path: \"" + text + "\"}", "not-keras.keras: not a cnnspark state file"}};
    for (String[] w : weights) {
      Path p = specFile("weights-" + i++ + ".yaml", ("model: {preset: mnist_cnn, weights: " + w[0] + "}\ndata: {path: "
          + "\"" + Cli.mnistDir() + "\", train_limit: 64, test_limit: 64}\ntraining: {epochs: 1}\n").getBytes());
      cases.add(new Case("model.weights", w[0], List.of("fit", p.toString()), w[1].contains("state file")
          ? ExitCodes.DATA : ExitCodes.USAGE, w[1]));
    }
    cases.add(new Case("export", "--weights not a weights file", List.of("export", "--weights", text.toString(),
        "--output", tmp.resolve("o.keras").toString()), ExitCodes.DATA, "not-keras.keras"));
    cases.add(new Case("export", "--output of another kind", List.of("export", "--weights", text.toString(),
        "--output", tmp.resolve("o.onnx").toString()), ExitCodes.USAGE, "--output must end in .keras or .weights.h5"));
    Path spec = specFile("serve.yaml", ("data: {path: \"" + Cli.mnistDir() + "\", test_limit: 50}\n"
        + "spark: {master: \"local[1]\", conf: {spark.ui.enabled: \"false\"}}\n").getBytes());
    Path configOnly = tmp.resolve("keras").resolve("config-only.json");
    Files.writeString(configOnly, "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": "
        + "\"InputLayer\", \"config\": {\"batch_shape\": [null, 28, 28, 1]}}, {\"class_name\": \"Flatten\", "
        + "\"config\": {}}, {\"class_name\": \"Dense\", \"config\": {\"units\": 10}}]}}");
    Path cifarModel = tmp.resolve("cifar.weights");
    try (dev.cnnspark.worker.model.Sequential m = Presets.named("cifar_gmp")) {
      m.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      m.saveWeights(cifarModel);
    }
    String[][] serve = {
        {"predict --model nowhere", "predict|--model|" + tmp.resolve("no-model") + "|--output|" + tmp.resolve("p1"),
            "--model: nothing at"},
        {"predict --model not a model", "predict|--model|" + text + "|--output|" + tmp.resolve("p2"),
            "not-keras.keras"},
        {"predict --model a weights-only Keras file", "predict|--model|" + keras("keras2_mnist_cnn.weights.h5")
            + "|--output|" + tmp.resolve("p3"), "holds weights only; a model to run needs its config"},
        {"predict --model a config without weights", "predict|--model|" + configOnly + "|--output|"
            + tmp.resolve("p7"), "holds a model config without weights"},
        {"predict with a model of other inputs", "predict|--model|" + cifarModel + "|--output|" + tmp.resolve("p4"),
            "takes inputs of shape (32, 32, 3) but the data's examples are (28, 28, 1)"},
        {"predict --format json", "predict|--model|" + keras("keras3_mnist_mlp.keras") + "|--output|"
            + tmp.resolve("p5") + "|--format|json", "--format must be parquet or csv"},
        {"predict --part holdout", "predict|--model|" + keras("keras3_mnist_mlp.keras") + "|--output|"
            + tmp.resolve("p6") + "|--part|holdout", "--part must be train or test"},
        {"evaluate --model a directory without a model", "evaluate|--model|" + tmp.resolve("keras"),
            "is a directory with neither a published model (current) nor a valid checkpoint"}};
    for (String[] c : serve) {
      List<String> args = new ArrayList<>(List.of(c[1].split("\\|")));
      args.add(1, spec.toString());
      cases.add(new Case("predict / evaluate", c[0], args, c[2].equals("not-keras.keras") ? ExitCodes.DATA
          : ExitCodes.USAGE, c[2]));
    }
    cases.add(new Case("convert", "--classes naming a class the data lacks", List.of("convert", "--data",
        Cli.mnistDir(), "--to", "npz", "--classes", "6=six,cat", "--output", tmp.resolve("c.npz").toString()),
        ExitCodes.USAGE, "--classes names class 'cat', which the data does not have"));
    cases.add(new Case("convert", "--per-class without --classes", List.of("convert", "--data", Cli.mnistDir(), "--to",
        "npz", "--per-class", "5", "--output", tmp.resolve("d.npz").toString()), ExitCodes.USAGE,
        "--per-class must be positive and needs --classes"));
    return cases.stream().map(Case::test);
  }

  // ---- checkpoints and weights files (state files) ----

  private static List<Map.Entry<String, UnaryOperator<byte[]>>> stateFileDamage() {
    List<Map.Entry<String, UnaryOperator<byte[]>>> d = new ArrayList<>();
    d.add(Map.entry("empty", b -> new byte[0]));
    for (int pct : new int[] {1, 30, 70, 99}) {
      d.add(Map.entry("truncated at " + pct + "%", b -> Arrays.copyOf(b, b.length * pct / 100)));
    }
    d.add(Map.entry("bit flip in the magic", b -> flip(b, 2)));
    d.add(Map.entry("bit flip in the header", b -> flip(b, 12)));
    d.add(Map.entry("bit flip in the floats", b -> flip(b, b.length / 2)));
    d.add(Map.entry("bit flip in the checksum", b -> flip(b, b.length - 3)));
    d.add(Map.entry("appended bytes", b -> Arrays.copyOf(b, b.length + 7)));
    return d;
  }

  @TestFactory
  Stream<DynamicTest> weightsFiles() throws IOException {
    Path good = tmp.resolve("weights-good.cnn");
    try (Sequential m = tiny()) {
      m.saveWeights(good);
    }
    byte[] bytes = Files.readAllBytes(good);
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, UnaryOperator<byte[]>> d : stateFileDamage()) {
      tests.add(DynamicTest.dynamicTest("weights file: " + d.getKey(), () -> {
        Path bad = Files.write(tmp.resolve("weights-" + d.getKey().replaceAll("\\W+", "_") + ".cnn"),
            d.getValue().apply(bytes));
        try (Sequential m = tiny()) {
          CorruptStateFileException e = assertThrows(CorruptStateFileException.class, () -> m.loadWeights(bad));
          assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
          assertEquals(ExitCodes.DATA, Main.exitCode(e));
        }
      }));
    }
    tests.add(DynamicTest.dynamicTest("weights file: another model's", () -> {
      Path other = tmp.resolve("weights-other.cnn");
      try (Sequential big = Presets.build(dev.cnnspark.worker.model.Json.MAPPER.readTree("{\"preset\":"
          + "\"mnist_cnn\"}"))) {
        big.seed(1).compile(new SGD(0.1, 0, false, 0), Loss.CATEGORICAL_CROSSENTROPY);
        big.saveWeights(other);
      }
      try (Sequential m = tiny()) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadWeights(other));
        assertTrue(e.getMessage().startsWith(other + " holds weights of a different model"), e.getMessage());
      }
    }));
    tests.add(DynamicTest.dynamicTest("weights file: missing", () -> {
      try (Sequential m = tiny()) {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> m.loadWeights(tmp.resolve("none.cnn")));
      }
    }));
    return tests.stream();
  }

  private static Sequential tiny() throws IOException {
    Sequential m = Presets.build(dev.cnnspark.worker.model.Json.MAPPER.readTree("{\"preset\":\"tiny_cnn\"}"));
    m.seed(1).compile(new SGD(0.1, 0, false, 0), Loss.CATEGORICAL_CROSSENTROPY);
    return m;
  }

  @TestFactory
  Stream<DynamicTest> checkpoints() throws IOException {
    Path dir = tmp.resolve("ckpt-corpus");
    Files.createDirectories(dir);
    // a real checkpoint of a small job, then damaged copies of it
    Path spec = Files.writeString(tmp.resolve("ckpt-job.yaml"), String.join("\n",
        "data: {path: \"" + Cli.mnistDir() + "\", train_limit: 200, test_limit: 50}",
        "training: {epochs: 1, batch_size: 20, workers: 2, averaging_frequency: 5, backend: java}",
        "checkpoint: {dir: \"" + dir + "\"}",
        "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}", ""));
    assertEquals(ExitCodes.OK, Cli.run("train", spec.toString(), "--skip-preflight").code());
    CheckpointStore store = new CheckpointStore(dir.toUri(), new Configuration(), 10);
    String newest = store.checkpoints().get(0);
    byte[] bytes = Files.readAllBytes(dir.resolve(newest));
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, UnaryOperator<byte[]>> d : stateFileDamage()) {
      tests.add(DynamicTest.dynamicTest("checkpoint: " + d.getKey(), () -> {
        String name = "ckpt-9" + String.format("%07d", Math.abs(d.getKey().hashCode()) % 10_000_000) + ".cnn";
        Files.write(dir.resolve(name), d.getValue().apply(bytes));
        Files.writeString(dir.resolve("latest"), name + "\n"); // as if it were the newest written
        try {
          List<String> warnings = new ArrayList<>();
          var loaded = store.latestValid(warnings::add).orElseThrow();
          assertEquals(newest, loaded.name(), "the damaged newer checkpoint is passed over");
          assertTrue(warnings.stream().anyMatch(w -> w.startsWith("checkpoint " + name + " is unusable")),
              warnings.toString());
        } finally {
          Files.delete(dir.resolve(name));
          Files.writeString(dir.resolve("latest"), newest + "\n");
        }
      }));
    }
    tests.add(DynamicTest.dynamicTest("checkpoint: every one damaged", () -> {
      for (String c : store.checkpoints()) {
        byte[] b = Files.readAllBytes(dir.resolve(c));
        Files.write(dir.resolve(c), Arrays.copyOf(b, b.length / 2));
      }
      Cli.Result r = Cli.run("train", spec.toString(), "--skip-preflight", "--epochs", "2");
      assertEquals(ExitCodes.DATA, r.code(), r.toString());
      assertTrue(r.output().contains("none of them verifies"), r.toString());
      assertTrue(r.output().contains(newest), r.toString());
      assertEquals(store.checkpoints().size(), Files.list(dir).filter(p -> p.getFileName().toString()
          .startsWith("ckpt-")).count(), "nothing overwritten");
    }));
    return tests.stream();
  }
}
