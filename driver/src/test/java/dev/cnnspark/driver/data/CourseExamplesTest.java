package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.cli.Cli;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Keras course's models in {@code deploy/examples/course/}: {@code cnnspark validate} on each spec, with its data
 * pointed at small data of its type made here, prints Keras' summary: the output shapes and parameter counts Keras'
 * {@code model.summary()} gives for the same model (totals from the issue where it names them: 179,306 for the
 * GlobalMaxPooling2D CIFAR model, 1,315,937 for the IMDB model; the others by Keras' formulas, worked out in the
 * comments; MobileNet's 3,228,864 and 21,888 as Keras' summary of {@code MobileNet(include_top=False)} says).
 */
class CourseExamplesTest {
  @TempDir
  static Path tmp;
  static Path six;
  static Path cifar;
  static Path imdb;
  static Path features;

  static Path course(String name) {
    return Path.of(System.getProperty("cnnspark.examples.dir", "../deploy/examples")).resolve("course").resolve(name);
  }

  @BeforeAll
  static void data() throws IOException {
    DataSourcesTest.readMnist();
    ClassSelection sel = ClassSelection.parse("6=six,*=not_six");
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    six = tmp.resolve("six");
    Writers.imageFolders(six, List.of(new Writers.Part("train", sel.apply(DataSourcesTest.train, digits, 30)),
        new Writers.Part("test", sel.apply(DataSourcesTest.test, digits, 0))), sel.names());
    cifar = DataSourcesTest.cifar10(tmp.resolve("cifar"), 60);
    imdb = tmp.resolve("imdb");
    Files.createDirectories(imdb);
    Random r = new Random(1);
    for (String part : new String[] {"train", "test"}) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        StringBuilder ids = new StringBuilder();
        for (int t = 0, n = 50 + r.nextInt(700); t < n; t++) {
          ids.append(t == 0 ? "" : ", ").append(1 + r.nextInt(20000));
        }
        lines.add("{\"features\": [" + ids + "], \"label\": " + (i % 2) + "}");
      }
      Files.write(imdb.resolve(part + ".jsonl"), lines);
    }
    features = tmp.resolve("features.npz");
    Shape f = Shape.of(5, 5, 1024);
    float[] x = new float[20 * f.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    float[] y = new float[40];
    for (int i = 0; i < 20; i++) {
      y[2 * i + i % 2] = 1f;
    }
    Dataset d = new Dataset(x, y, f, 2, 20);
    Writers.npz(features, List.of(new Writers.Part("train", d), new Writers.Part("test", d)), true);
  }

  /** Runs validate on a course spec with overrides; returns its output after checking it passed. */
  private static String validate(String spec, String... sets) {
    List<String> args = new ArrayList<>(List.of("validate", course(spec).toString(), "--set",
        "checkpoint.dir=" + JobSpec.literal(tmp.resolve("ckpt-" + spec))));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("spec OK"), r.output());
    return r.output();
  }

  private static void totals(String out, String total, String trainable, String nonTrainable) {
    assertTrue(out.contains("Total params: " + total + "\n"), out);
    assertTrue(out.contains("Trainable params: " + trainable + "\n"), out);
    assertTrue(out.contains("Non-trainable params: " + nonTrainable + "\n"), out);
  }

  private static void row(String out, String name, String type, String shape, long params) {
    String line = String.format(java.util.Locale.ROOT, " %-28s%-26s%-10d", name + " (" + type + ")", shape, params);
    assertTrue(out.contains(line), "no row '" + line + "' in\n" + out);
  }

  private static String mnist() {
    return "data.path=" + JobSpec.literal(DataSourcesTest.mnist());
  }

  @Test
  void mnistCnn() {
    String out = validate("mnist_cnn.yaml", mnist(), "data.train_limit=300");
    row(out, "conv2d_1", "Conv2D", "(None, 24, 24, 64)", 18_496);
    row(out, "flatten", "Flatten", "(None, 9216)", 0);
    totals(out, "1,199,882", "1,199,882", "0");
  }

  @Test
  void mnistBatchNorm() {
    // convs 320 + 9,248 + 18,496 + 36,928 + 73,856 + 147,584; batchnorms 4 x (32 + 64 + 128) = 896, half moving;
    // dense 3 x 3 x 128 -> 10: 11,530
    String out = validate("mnist_batchnorm.yaml", mnist(), "data.train_limit=300");
    row(out, "batch_normalization", "BatchNormalization", "(None, 14, 14, 32)", 128);
    row(out, "max_pooling2d_2", "MaxPooling2D", "(None, 3, 3, 128)", 0);
    row(out, "dense", "Dense", "(None, 10)", 11_530);
    totals(out, "298,858", "298,410", "448");
  }

  @Test
  void sixVsNotSix() {
    // 320 + 18,496 + (5 x 5 x 64 = 1,600) x 64 + 64 = 102,464 + 65
    String out = validate("six_vs_not_six.yaml", "data.path=" + JobSpec.literal(six.resolve("train")),
        "data.test_path=" + JobSpec.literal(six.resolve("test")));
    row(out, "dense_1", "Dense", "(None, 1)", 65);
    totals(out, "121,345", "121,345", "0");
    assertTrue(out.contains("2 classes [not_six, six]"), out);
  }

  @Test
  void cifarCnnAndItsGlobalMaxPoolingVariant() {
    String data = "data.path=" + JobSpec.literal(cifar);
    String out = validate("cifar10_cnn.yaml", data);
    row(out, "flatten", "Flatten", "(None, 576)", 0);
    totals(out, "703,594", "703,594", "0");
    out = validate("cifar10_gmp.yaml", data);
    row(out, "global_max_pooling2d", "GlobalMaxPooling2D", "(None, 64)", 0);
    row(out, "dense", "Dense", "(None, 1024)", 66_560);
    totals(out, "179,306", "179,306", "0");
  }

  @Test
  void imdbConv1d() {
    // 10,000 x 128 = 1,280,000; 7 x 128 x 32 + 32 = 28,704; 7 x 32 x 32 + 32 = 7,200; 32 + 1 = 33
    String out = validate("imdb_conv1d.yaml", "data.path=" + JobSpec.literal(imdb.resolve("train.jsonl")),
        "data.test_path=" + JobSpec.literal(imdb.resolve("test.jsonl")));
    row(out, "embedding", "Embedding", "(None, 500, 128)", 1_280_000);
    row(out, "conv1d", "Conv1D", "(None, 494, 32)", 28_704);
    row(out, "max_pooling1d", "MaxPooling1D", "(None, 98, 32)", 0);
    row(out, "conv1d_1", "Conv1D", "(None, 92, 32)", 7_200);
    row(out, "global_max_pooling1d", "GlobalMaxPooling1D", "(None, 32)", 0);
    row(out, "dense", "Dense", "(None, 1)", 33);
    totals(out, "1,315,937", "1,315,937", "0");
  }

  @Test
  void mobileNetFeatureHead() {
    String out = validate("mobilenet_features_head.yaml", "data.path=" + JobSpec.literal(features));
    row(out, "dense", "Dense", "(None, 256)", 262_400);
    totals(out, "262,657", "262,657", "0");
  }

  @Test
  void mobileNetTransferFreezesTheBase() {
    String out = validate("mobilenet_transfer.yaml", "data.path=" + JobSpec.literal(six.resolve("train")),
        "data.test_path=" + JobSpec.literal(six.resolve("test")), "data.class_names=[not_six, six]",
        // 1.4 GB of activations per worker engine at batch 20: one worker in the tests' 4 GiB heap
        "training.workers=1");
    row(out, "conv1_pad", "ZeroPadding2D", "(None, 161, 161, 3)", 0);
    row(out, "conv1", "Conv2D", "(None, 80, 80, 32)", 864);
    row(out, "conv1_bn", "BatchNormalization", "(None, 80, 80, 32)", 128);
    row(out, "conv_dw_1", "DepthwiseConv2D", "(None, 80, 80, 32)", 288);
    row(out, "conv_pw_13_relu", "ReLU", "(None, 5, 5, 1024)", 0);
    row(out, "global_max_pooling2d", "GlobalMaxPooling2D", "(None, 1024)", 0);
    // MobileNet(include_top=False): 3,228,864 (21,888 of them moving statistics), all frozen; the head trains
    totals(out, "3,491,521", "262,657", "3,228,864");
  }
}
