package dev.cnnspark.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.Writers;
import dev.cnnspark.driver.spec.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Using a trained model: {@code predict} over the 10,000 MNIST test images writes 10,000 rows, one per image, whose
 * accuracy equals what {@code evaluate} prints for the same model and data (a weights file of {@code fit}, and Keras'
 * own {@code .keras} file); over an image folder of new images the rows name each file, its folder's class and the
 * class the model (trained on the IDX files, whose class names its weights file records) predicts.
 */
class PredictEvaluateTest {
  private static final String SPARK = "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}\n";

  private static List<String[]> csvRows(Path dir) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (String line : lines.subList(1, lines.size())) {
          rows.add(line.split(","));
        }
      }
    }
    return rows;
  }

  private static double evaluated(Cli.Result r) {
    assertEquals(0, r.code(), r.output());
    Matcher m = Pattern.compile("accuracy ([0-9.]+)\\n").matcher(r.output());
    assertTrue(m.find(), r.output());
    return Double.parseDouble(m.group(1));
  }

  private static void predictEqualsEvaluate(Path spec, String model, Path out, int expectedRows) throws IOException {
    Cli.Result p = Cli.run("predict", spec.toString(), "--model", model, "--output", out.toString(), "--format",
        "csv");
    assertEquals(0, p.code(), p.output());
    String bar = expectedRows + "/" + expectedRows + " [==============================]";
    assertTrue(p.output().contains(bar), "predict's progress bar ends full: " + p.output());
    List<String[]> rows = csvRows(out);
    assertEquals(expectedRows, rows.size(), "one row per test image");
    Set<String> ids = new HashSet<>();
    int right = 0;
    for (String[] r : rows) {
      assertTrue(ids.add(r[0]), "id " + r[0] + " twice");
      right += r[1].equals(r[2]) ? 1 : 0;
    }
    assertTrue(ids.contains("test:0") && ids.contains("test:" + (expectedRows - 1)), "ids are test:0 ..");
    double accuracy = right / (double) expectedRows;
    Cli.Result e = Cli.run("evaluate", spec.toString(), "--model", model);
    assertTrue(e.output().contains(bar), "evaluate's progress bar ends full: " + e.output());
    double evaluate = evaluated(e);
    assertEquals(evaluate, accuracy, 0.00005, "predict's rows against evaluate's accuracy (printed to 4 places)");
  }

  @Test
  void predictOverTheMnistTestSetMatchesEvaluate(@TempDir Path tmp) throws IOException {
    Path spec = Files.writeString(tmp.resolve("job.yaml"), "model: {preset: tiny_cnn}\ndata: {path: \""
        + Cli.mnistDir() + "\", train_limit: 3000}\ntraining: {epochs: 1, batch_size: 64, backend: java}\n"
        + "validation: {source: none}\ncheckpoint: {monitor: accuracy}\n" + SPARK);
    Path weights = tmp.resolve("tiny.weights");
    Cli.Result fit = Cli.run("fit", spec.toString(), "--output", weights.toString());
    assertEquals(0, fit.code(), fit.output());
    predictEqualsEvaluate(spec, weights.toString(), tmp.resolve("pred"), 10_000);
    // Keras' own file: its import predicts as Keras' arrays say (KerasImportTest); here through the cluster commands
    predictEqualsEvaluate(spec, Path.of(Cli.mnistDir()).resolve("../../keras/keras3_mnist_mlp.keras").normalize()
        .toString(), tmp.resolve("pred-keras"), 10_000);
  }

  @Test
  void predictOverAnImageFolderNamesFilesAndClasses(@TempDir Path tmp) throws IOException {
    Configuration conf = new Configuration();
    DataPlan mnist = DataPlan.of(JobSpec.parse("data: {path: \"" + Cli.mnistDir() + "\", train_limit: 60}\n", "t",
        Map.of()).validate(), conf, s -> { });
    Path images = tmp.resolve("images");
    Writers.imageFolders(images, List.of(new Writers.Part("new", mnist.all(DataPlan.Use.TRAIN, conf))),
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    Path spec = Files.writeString(tmp.resolve("job.yaml"), "model: {preset: tiny_cnn}\ndata: {path: \""
        + Cli.mnistDir() + "\", train_limit: 2000}\ntraining: {epochs: 1, backend: java}\nvalidation: {source: "
        + "none}\ncheckpoint: {monitor: accuracy}\n" + SPARK);
    Path weights = tmp.resolve("tiny.weights");
    assertEquals(0, Cli.run("fit", spec.toString(), "--output", weights.toString()).code());
    Path folderSpec = Files.writeString(tmp.resolve("folder.yaml"), "data: {type: image_folder, path: \""
        + images.resolve("new") + "\", color_mode: grayscale}\n" + SPARK);
    Cli.Result r = Cli.run("predict", folderSpec.toString(), "--model", weights.toString(), "--output",
        tmp.resolve("pred").toString(), "--format", "csv");
    assertEquals(0, r.code(), r.output());
    List<String[]> rows = csvRows(tmp.resolve("pred"));
    assertEquals(60, rows.size());
    Set<String> names = Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    for (String[] row : rows) {
      assertTrue(row[0].endsWith(".png") && row[0].contains("/new/" + row[1] + "/"), "the file and its class: "
          + String.join(",", row));
      assertTrue(names.contains(row[2]), "a class name predicted: " + row[2]);
    }

    // the same images as new, unlabelled data (Keras' labels=None): every image under the folder, named by its file,
    // the model's class names, the same predictions
    Path unlabelled = Files.writeString(tmp.resolve("unlabelled.yaml"), "data: {type: image_folder, path: \""
        + images.resolve("new") + "\", color_mode: grayscale, label_mode: none}\n" + SPARK);
    Cli.Result u = Cli.run("predict", unlabelled.toString(), "--model", weights.toString(), "--output",
        tmp.resolve("pred-unlabelled").toString(), "--format", "csv");
    assertEquals(0, u.code(), u.output());
    Map<String, String> predicted = new java.util.HashMap<>();
    rows.forEach(row -> predicted.put(row[0], row[2]));
    List<String[]> unlabelledRows = csvRows(tmp.resolve("pred-unlabelled"));
    assertEquals(60, unlabelledRows.size());
    for (String[] row : unlabelledRows) {
      assertEquals("", row[1], "no label: " + String.join(",", row));
      assertEquals(predicted.get(row[0]), row[2], "the labelled run's prediction for " + row[0]);
    }
    Cli.Result e = Cli.run("evaluate", unlabelled.toString(), "--model", weights.toString());
    assertTrue(e.code() != 0 && e.output().contains("data.label_mode: none reads images without labels"),
        e.output());
    Cli.Result t = Cli.run("fit", unlabelled.toString(), "--output", tmp.resolve("never").toString());
    assertTrue(t.code() != 0 && t.output().contains("not trained on or evaluated"), t.output());
  }
}
