package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.cli.Cli;
import dev.cnnspark.driver.cli.ExitCodes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed-input corpus of the image-folder, NumPy and CIFAR sources (the IDX files are in
 * {@code MalformedInputCorpusTest}): each broken input run through the command line, asserting exit code 3 (2 for
 * a spec that cannot name such data) and that the message names the file, array or record.
 */
class DataCorpusTest {
  @TempDir
  static Path tmp;

  private record Case(String input, String variant, String spec, String command, int exit, String names) {
    DynamicTest test() {
      return DynamicTest.dynamicTest(input + ": " + variant, () -> {
        Path file = Files.writeString(tmp.resolve("spec-" + Math.abs((input + variant).hashCode()) + ".yaml"), spec);
        Cli.Result r = command.equals("fit") ? Cli.run("fit", file.toString(), "--epochs", "1")
            : Cli.run("validate", file.toString());
        assertEquals(exit, r.code(), r.toString());
        assertTrue(r.output().contains(names), "the message should name '" + names + "': " + r);
        assertFalse(r.output().contains("\tat dev.cnnspark"), "a message, not our stack trace: " + r);
        assertFalse(r.output().contains("Epoch 1/"), "found before any training: " + r);
      });
    }
  }

  private static Path images(String name, Map<String, Integer> classes, int size) throws IOException {
    Path root = tmp.resolve(name);
    for (Map.Entry<String, Integer> c : classes.entrySet()) {
      Files.createDirectories(root.resolve(c.getKey()));
      for (int i = 0; i < c.getValue(); i++) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(img, "png", root.resolve(c.getKey()).resolve(i + ".png").toFile());
      }
    }
    return root;
  }

  private static String folderSpec(Path root, String extra) {
    return "data: {type: image_folder, path: \"" + root + "\", color_mode: grayscale" + extra + "}\n"
        + "model: {layers: [{type: Flatten, input_shape: [4, 4, 1]}, {type: Dense, units: 2, activation: softmax}]}\n"
        + "validation: {source: none}\ncheckpoint: {monitor: loss}\ntraining: {batch_size: 2, backend: java}\n";
  }

  private static String npzSpec(Path file) {
    return "data: {type: npz, path: \"" + file + "\"}\nmodel: {layers: [{type: Dense, units: 2, activation: "
        + "softmax, input_shape: [3]}]}\nvalidation: {source: none}\ncheckpoint: {monitor: loss}\n"
        + "training: {batch_size: 2, backend: java}\n";
  }

  private static Path npz(String name, Map<String, byte[]> arrays) throws IOException {
    Path f = tmp.resolve(name + ".npz");
    DataSourcesTest.writeNpz(f, arrays);
    return f;
  }

  @TestFactory
  Stream<DynamicTest> brokenSources() throws IOException {
    List<Case> cases = new ArrayList<>();
    Map<String, Integer> two = new LinkedHashMap<>(Map.of("a", 2, "b", 2));
    Path one = images("one-class", Map.of("a", 3), 4);
    cases.add(new Case("image folders", "one class folder", folderSpec(one, ""), "validate", ExitCodes.DATA,
        "holds 1 class folder(s) [a]"));
    Path empty = images("empty-class", two, 4);
    Files.createDirectories(empty.resolve("c"));
    cases.add(new Case("image folders", "an empty class folder", folderSpec(empty, ""), "validate", ExitCodes.DATA,
        empty.resolve("c") + ": class folder holds no images"));
    Path unreadable = images("unreadable", two, 4);
    Files.writeString(unreadable.resolve("b").resolve("1.png"), "not a png");
    cases.add(new Case("image folders", "an unreadable image", folderSpec(unreadable, ""), "fit", ExitCodes.DATA,
        unreadable.resolve("b").resolve("1.png") + ": not a readable image"));
    Path truncated = images("truncated-png", two, 4);
    byte[] png = Files.readAllBytes(truncated.resolve("a").resolve("0.png"));
    Files.write(truncated.resolve("a").resolve("1.png"), Arrays.copyOf(png, png.length / 2));
    cases.add(new Case("image folders", "a PNG cut short", folderSpec(truncated, ""), "fit", ExitCodes.DATA,
        truncated.resolve("a").resolve("1.png").toString()));
    Path mixed = images("mixed", two, 4);
    ImageIO.write(new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY), "png", mixed.resolve("b").resolve("9.png")
        .toFile());
    cases.add(new Case("image folders", "sizes differ, no target_size", folderSpec(mixed, ""), "fit", ExitCodes.DATA,
        "9.png: is 4x5, the first image 4x4: set data.target_size"));
    Path three = images("three", Map.of("a", 1, "b", 1, "c", 1), 4);
    cases.add(new Case("image folders", "binary with three classes", folderSpec(three, ", label_mode: binary")
        .replace("units: 2", "units: 1") + "loss: binary_crossentropy\n", "validate", ExitCodes.DATA,
        "label_mode binary needs exactly 2 class folders, found 3"));
    cases.add(new Case("image folders", "a listed class missing", folderSpec(images("listed", two, 4),
        ", class_names: [a, z]"), "validate", ExitCodes.DATA, "z: class folder missing"));
    cases.add(new Case("image folders", "no such directory", folderSpec(tmp.resolve("none"), ""), "validate",
        ExitCodes.USAGE, "data.path: directory " + tmp.resolve("none") + " does not exist"));

    byte[] x = DataSourcesTest.npy("<f4", "(2, 3)", false, 1, 2, 3, 4, 5, 6);
    byte[] y = DataSourcesTest.npy("<i8", "(2,)", false, 0, 1);
    Path noX = npz("no-x", Map.of("y_train", y));
    cases.add(new Case("npz", "no x_train", npzSpec(noX), "validate", ExitCodes.DATA, "has no array 'x_train'"));
    Path notZip = Files.writeString(tmp.resolve("text.npz"), "just text");
    cases.add(new Case("npz", "not a zip", npzSpec(notZip), "validate", ExitCodes.DATA, notZip.toString()));
    Path fortran = npz("fortran", Map.of("x_train", DataSourcesTest.npy("<f4", "(2, 3)", true, 1, 2, 3, 4, 5, 6),
        "y_train", y));
    cases.add(new Case("npz", "Fortran order", npzSpec(fortran), "validate", ExitCodes.DATA, "[x_train]: "
        + "Fortran-order array"));
    Path object = npz("object", Map.of("x_train", DataSourcesTest.npy("|O", "(2,)", false), "y_train", y));
    cases.add(new Case("npz", "pickled objects", npzSpec(object), "validate", ExitCodes.DATA, "[x_train]: an array "
        + "of Python objects"));
    Path complex = npz("complex", Map.of("x_train", DataSourcesTest.npy("<c8", "(2, 3)", false), "y_train", y));
    cases.add(new Case("npz", "complex numbers", npzSpec(complex), "validate", ExitCodes.DATA, "dtype '<c8' not "
        + "supported"));
    Path lengths = npz("lengths", Map.of("x_train", x, "y_train", DataSourcesTest.npy("<i8", "(3,)", false, 0, 1,
        1)));
    cases.add(new Case("npz", "arrays disagree in length", npzSpec(lengths), "validate", ExitCodes.DATA,
        "[y_train]: has 3 labels but the inputs have 2 rows"));
    Path negative = npz("negative", Map.of("x_train", x, "y_train", DataSourcesTest.npy("<i8", "(2,)", false, 0,
        -1)));
    cases.add(new Case("npz", "a negative label", npzSpec(negative), "validate", ExitCodes.DATA, "row 1: label -1.0 "
        + "is not a class index"));
    Path nan = npz("nan", Map.of("x_train", DataSourcesTest.npy("<f4", "(2, 3)", false, 1, 2, 3, 4, Double.NaN, 6),
        "y_train", y));
    cases.add(new Case("npz", "NaN input", npzSpec(nan), "fit", ExitCodes.DATA, "[x_train]: row 1: value NaN at "
        + "position 1 is not finite"));
    Path inf = npz("inf", Map.of("x_train", DataSourcesTest.npy("<f8", "(2, 3)", false, 1, 2, 3,
        Double.POSITIVE_INFINITY, 5, 6), "y_train", y));
    cases.add(new Case("npz", "infinite input", npzSpec(inf), "fit", ExitCodes.DATA, "value Infinity at position 0"));
    byte[] whole = Files.readAllBytes(npz("whole", Map.of("x_train", x, "y_train", y)));
    Path cut = Files.write(tmp.resolve("cut.npz"), Arrays.copyOf(whole, whole.length / 3));
    cases.add(new Case("npz", "archive cut short", npzSpec(cut), "validate", ExitCodes.DATA, cut.toString()));
    Path oneHotBad = npz("onehot", Map.of("x_train", x, "y_train", DataSourcesTest.npy("<f4", "(2, 2)", false, 1, 1,
        0, 1)));
    cases.add(new Case("npz", "a label row not one-hot", npzSpec(oneHotBad), "validate", ExitCodes.DATA,
        "row 0 is not a one-hot label row"));
    cases.add(new Case("npz", "missing file", npzSpec(tmp.resolve("none.npz")), "validate", ExitCodes.USAGE,
        "data.path: file " + tmp.resolve("none.npz") + " does not exist"));

    String tableModel = "model: {layers: [{type: Dense, units: 2, activation: softmax, input_shape: [2]}]}\n"
        + "validation: {source: none}\ncheckpoint: {monitor: loss}\ntraining: {batch_size: 2, backend: java}\n";
    String[][] tables = {
        {"csv", "no header label column", "x,y\n1,2\n", "line 1: the header has no column 'label'"},
        {"csv", "a cell not a number", "label,x,y\n0,1,2\n1,3,abc\n", "line 3, column 3: 'abc' is not a number"},
        {"csv", "a short row", "label,x,y\n0,1,2\n1,3\n", "line 3: 1 features, the first row has 2"},
        {"csv", "a negative label", "label,x,y\n0,1,2\n-1,3,4\n", "line 3: label -1 is not a class index"},
        {"csv", "NaN feature", "label,x,y\n0,1,2\n1,NaN,4\n", "line 3: feature 0 is NaN"},
        {"csv", "only a header", "label,x,y\n", "holds no rows"},
        {"json", "not JSON", "{\"features\": [1, 2], \"label\": 0}\n{oops\n", "line 2: not a JSON object"},
        {"json", "features missing", "{\"label\": 0}\n", "line 1: needs 'features'"},
        {"json", "a feature not a number", "{\"features\": [1, \"a\"], \"label\": 0}\n", "line 1: feature 1 is \"a\""}};
    for (String[] t : tables) {
      Path f = Files.writeString(tmp.resolve(t[1].replaceAll("\\W+", "_") + "." + t[0]), t[2]);
      boolean atRead = t[1].equals("NaN feature");
      cases.add(new Case(t[0], t[1], "data: {type: " + t[0] + ", path: \"" + f + "\"}\n" + tableModel,
          atRead ? "fit" : "validate", ExitCodes.DATA, f.getFileName() + ": " + t[3]));
    }
    Path notOrc = Files.writeString(tmp.resolve("not.orc"), "ORC? no");
    cases.add(new Case("orc", "a file that is not ORC", "data: {type: orc, path: \"" + notOrc + "\"}\n" + tableModel,
        "validate", ExitCodes.DATA, "not.orc: not a readable ORC file"));
    String seqModel = tableModel.replace("input_shape: [2]", "input_shape: [3]");
    String[][] sequences = {
        {"a token id of 2^24", "{\"features\": [16777216], \"label\": 0}\n{\"features\": [1], \"label\": 1}\n",
            "line 1: token id 16777216 is 2^24 or more"},
        {"a fractional token id", "{\"features\": [1.5], \"label\": 0}\n{\"features\": [1], \"label\": 1}\n",
            "line 1: token 0 is 1.5, not a token id"},
        {"a negative token id", "{\"features\": [-3], \"label\": 0}\n{\"features\": [1], \"label\": 1}\n",
            "line 1: token 0 is -3.0, not a token id"}};
    for (String[] q : sequences) {
      Path f = Files.writeString(tmp.resolve(q[0].replaceAll("\\W+", "_") + ".json"), q[1]);
      cases.add(new Case("token sequences", q[0], "data: {type: json, path: \"" + f + "\", sequence: {maxlen: 3}}\n"
          + seqModel, "fit", ExitCodes.DATA, f.getFileName() + ": " + q[2]));
    }
    Path parquetDir = tmp.resolve("not-parquet");
    Files.createDirectories(parquetDir);
    Files.writeString(parquetDir.resolve("part-00000.parquet"), "PAR1 but not really");
    cases.add(new Case("parquet", "a part file that is not Parquet", "data: {type: parquet, path: \"" + parquetDir
        + "\"}\n" + tableModel, "validate", ExitCodes.DATA, "part-00000.parquet: not a readable Parquet file"));
    Path emptyDir = Files.createDirectories(tmp.resolve("empty-table"));
    Files.writeString(emptyDir.resolve("_SUCCESS"), "");
    cases.add(new Case("parquet", "no part files", "data: {type: parquet, path: \"" + emptyDir + "\"}\n"
        + tableModel, "validate", ExitCodes.DATA, "holds no Parquet part files"));

    Path cifar = DataSourcesTest.cifar10(tmp.resolve("cifar-good"), 50);
    String cifarSpec = "model: {preset: cifar_cnn}\nvalidation: {source: none}\ncheckpoint: {monitor: loss}\n"
        + "training: {batch_size: 5, backend: java}\n";
    Path short1 = copy(cifar, "cifar-short");
    byte[] b1 = Files.readAllBytes(short1.resolve("data_batch_1.bin"));
    Files.write(short1.resolve("data_batch_1.bin"), Arrays.copyOf(b1, b1.length - 7));
    cases.add(new Case("cifar10", "a batch cut short", "data: {type: cifar10, path: \"" + short1 + "\"}\n" + cifarSpec,
        "validate", ExitCodes.DATA, "data_batch_1.bin: is " + (b1.length - 7) + " bytes, not a whole number"));
    Path noBatch = copy(cifar, "cifar-missing");
    Files.delete(noBatch.resolve("data_batch_4.bin"));
    cases.add(new Case("cifar10", "a batch missing", "data: {type: cifar10, path: \"" + noBatch + "\"}\n" + cifarSpec,
        "validate", ExitCodes.DATA, "data_batch_4.bin: missing"));
    Path badLabel = copy(cifar, "cifar-label");
    byte[] b2 = Files.readAllBytes(badLabel.resolve("data_batch_2.bin"));
    b2[3073] = 10;
    Files.write(badLabel.resolve("data_batch_2.bin"), b2);
    cases.add(new Case("cifar10", "a label out of range", "data: {type: cifar10, path: \"" + badLabel + "\"}\n"
        + cifarSpec, "fit", ExitCodes.DATA, "data_batch_2.bin: record 1: label 10 is outside the 10 classes"));
    return cases.stream().map(Case::test);
  }

  @org.junit.jupiter.api.Test
  void onBadRecordSkipLeavesThemOutAndSaysHowMany() throws IOException {
    Path root = images("skip", new LinkedHashMap<>(Map.of("a", 4, "b", 4)), 4);
    Files.writeString(root.resolve("b").resolve("2.png"), "not a png");
    Files.writeString(root.resolve("a").resolve("0.png"), "nor this");
    String spec = folderSpec(root, ", on_bad_record: skip").replace("training: {batch_size: 2, backend: java}",
        "training: {batch_size: 2, workers: 2, averaging_frequency: 2, epochs: 2, backend: java}")
        + "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}\n";
    Path file = Files.writeString(tmp.resolve("skip.yaml"), spec);
    Cli.Result train = Cli.run("train", file.toString(), "--skip-preflight", "--checkpoint-dir",
        tmp.resolve("skip-ckpt").toString());
    assertEquals(ExitCodes.OK, train.code(), train.toString());
    assertTrue(train.output().contains("WARNING: 2 of 8 training examples are bad records, skipped"), train.toString());
    assertTrue(train.output().contains("epoch 2 trained on 6 examples; 2 bad records skipped"), train.toString());
    Cli.Result fit = Cli.run("fit", file.toString());
    assertEquals(ExitCodes.OK, fit.code(), fit.toString());
    assertTrue(fit.output().contains("2 of 8 training examples are bad records"), fit.toString());
    Path failing = Files.writeString(tmp.resolve("fail.yaml"), spec.replace(", on_bad_record: skip", ""));
    Cli.Result refused = Cli.run("fit", failing.toString());
    assertEquals(ExitCodes.DATA, refused.code(), refused.toString());
  }

  private static Path copy(Path dir, String name) throws IOException {
    Path to = tmp.resolve(name);
    Files.createDirectories(to);
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
    return to;
  }
}
