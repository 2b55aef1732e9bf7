package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every source against the others on the same examples: MNIST's first 300 training and 100 test examples read from
 * the IDX files, then written as PNG folders, a uint8 and a float32 {@code .npz}, and read back through their own
 * sources bit for bit; shards of a plan partition its examples; the image, NumPy and CIFAR specifics.
 */
class DataSourcesTest {
  @TempDir
  static Path tmp;
  static final Configuration CONF = new Configuration();
  static Dataset train;
  static Dataset test;

  static DataPlan plan(String yaml) throws IOException {
    return DataPlan.of(JobSpec.parse(yaml, "test", Map.of()).validate(), CONF, s -> { });
  }

  static String mnist() {
    return Path.of(System.getProperty("cnnspark.mnist.dir")).toAbsolutePath().normalize().toString();
  }

  @BeforeAll
  static synchronized void readMnist() throws IOException {
    DataPlan p = plan("data: {path: \"" + mnist() + "\", train_limit: 300, test_limit: 100}\n");
    assertEquals("mnist", p.source().type());
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), p.info().classNames());
    train = p.all(DataPlan.Use.TRAIN, CONF);
    test = p.all(DataPlan.Use.TEST, CONF);
    assertEquals(300, train.count());
    assertEquals(100, test.count());
  }

  /** The examples sorted by class, stable: the order image folders list them in. */
  static Dataset byClass(Dataset d) {
    Integer[] order = new Integer[d.count()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(Writers.label(d, a), Writers.label(d, b)));
    int s = d.shape().size();
    int w = d.labelWidth();
    float[] x = new float[d.x().length];
    float[] y = new float[d.y().length];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(d.x(), order[i] * s, x, i * s, s);
      System.arraycopy(d.y(), order[i] * w, y, i * w, w);
    }
    return new Dataset(x, y, d.shape(), w, d.count());
  }

  static void assertSame(Dataset expected, Dataset actual) {
    assertEquals(expected.shape(), actual.shape());
    assertEquals(expected.count(), actual.count());
    assertArrayEquals(expected.x(), actual.x());
    assertArrayEquals(expected.y(), actual.y());
  }

  @Test
  void pngFoldersAndNpzArchivesReadBackTheSameExamples() throws IOException {
    List<Writers.Part> parts = List.of(new Writers.Part("train", train), new Writers.Part("test", test));
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    Path png = tmp.resolve("png");
    Writers.imageFolders(png, parts, digits);
    DataPlan folders = plan("data: {type: image_folder, path: \"" + png.resolve("train") + "\", test_path: \""
        + png.resolve("test") + "\", color_mode: grayscale}\n");
    assertEquals(digits, folders.info().classNames());
    assertSame(byClass(train), folders.all(DataPlan.Use.TRAIN, CONF));
    assertSame(byClass(test), folders.all(DataPlan.Use.TEST, CONF));

    for (boolean floats : new boolean[] {false, true}) {
      Path npz = tmp.resolve(floats ? "f32.npz" : "u8.npz");
      Writers.npz(npz, parts, floats);
      DataPlan arrays = plan("data: {type: npz, path: \"" + npz + "\"}\n");
      assertEquals(List.of(28, 28, 1), Arrays.stream(arrays.info().dims()).boxed().toList());
      assertSame(train, arrays.all(DataPlan.Use.TRAIN, CONF));
      assertSame(test, arrays.all(DataPlan.Use.TEST, CONF));
    }
  }

  @Test
  void shardsPartitionAUseAndDecodeOnlyTheirExamples() throws IOException {
    DataPlan p = plan("data: {path: \"" + mnist() + "\", train_limit: 300, test_limit: 100}\n"
        + "validation: {source: split, split: 0.2}\n");
    assertEquals(240, p.count(DataPlan.Use.TRAIN));
    assertEquals(60, p.count(DataPlan.Use.VALIDATION));
    Dataset all = p.all(DataPlan.Use.TRAIN, CONF);
    Set<String> rows = new HashSet<>();
    int total = 0;
    for (int shard = 0; shard < 3; shard++) {
      Dataset s = p.shard(DataPlan.Use.TRAIN, shard, 3, 11, CONF);
      assertSame(s, p.shard(DataPlan.Use.TRAIN, shard, 3, 11, CONF));
      total += s.count();
      for (int i = 0; i < s.count(); i++) {
        rows.add(Arrays.toString(Arrays.copyOfRange(s.x(), i * 784, (i + 1) * 784)));
      }
    }
    assertEquals(240, total);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < all.count(); i++) {
      expected.add(Arrays.toString(Arrays.copyOfRange(all.x(), i * 784, (i + 1) * 784)));
    }
    assertEquals(expected, rows, "the shards hold exactly the training use's examples");
    Dataset validation = p.all(DataPlan.Use.VALIDATION, CONF);
    assertArrayEquals(Arrays.copyOfRange(train.x(), 240 * 784, 300 * 784), validation.x(), "the last 20%");
  }

  @Test
  void aStratifiedSplitHoldsOutEachClassesShare() throws IOException {
    String base = "data: {path: \"" + mnist() + "\", train_limit: 300}\nvalidation: {source: split, split: 0.2";
    DataPlan plain = plan(base + "}\n");
    DataPlan strat = plan(base + ", stratify: true}\n");
    int[] perClass = new int[10];
    for (int i = 0; i < 300; i++) {
      perClass[Writers.label(train, i)]++;
    }
    Dataset v = strat.all(DataPlan.Use.VALIDATION, CONF);
    int[] held = new int[10];
    for (int i = 0; i < v.count(); i++) {
      held[Writers.label(v, i)]++;
    }
    int expected = 0;
    for (int c = 0; c < 10; c++) {
      assertEquals((int) Math.ceil(perClass[c] * 0.2), held[c], "class " + c + " of " + perClass[c]);
      expected += held[c];
    }
    assertEquals(expected, strat.count(DataPlan.Use.VALIDATION));
    assertEquals(300 - expected, strat.count(DataPlan.Use.TRAIN));
    assertEquals(60, plain.count(DataPlan.Use.VALIDATION), "the plain split: the last 20%");
    Set<String> seen = new HashSet<>();
    Dataset t = strat.all(DataPlan.Use.TRAIN, CONF);
    for (Dataset d : List.of(t, v)) {
      for (int i = 0; i < d.count(); i++) {
        assertTrue(seen.add(Arrays.toString(Arrays.copyOfRange(d.x(), i * 784, (i + 1) * 784))), "disjoint");
      }
    }
    int shardTotal = 0;
    for (int s = 0; s < 2; s++) {
      shardTotal += strat.shard(DataPlan.Use.TRAIN, s, 2, 3, CONF).count();
    }
    assertEquals(t.count(), shardTotal, "shards of the stratified training use");
  }

  @Test
  void aSeparateValidationLocationOfTheSameType() throws IOException {
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    Path trainRoot = tmp.resolve("val-train");
    Path valRoot = tmp.resolve("val-held");
    Writers.imageFolders(trainRoot, List.of(new Writers.Part("train", train)), digits);
    Writers.imageFolders(valRoot, List.of(new Writers.Part("train", test)), digits);
    String spec = "data: {type: image_folder, path: \"" + trainRoot.resolve("train") + "\", color_mode: grayscale}\n"
        + "validation: {source: data, path: \"" + valRoot.resolve("train") + "\"}\n";
    DataPlan p = plan(spec);
    assertEquals(300, p.count(DataPlan.Use.TRAIN));
    assertEquals(100, p.count(DataPlan.Use.VALIDATION));
    assertSame(byClass(test), p.all(DataPlan.Use.VALIDATION, CONF));
    assertEquals(List.of(), DataChecks.problems(JobSpec.parse(spec, "t", Map.of()).validate(), p));
    int total = 0;
    for (int s = 0; s < 2; s++) {
      total += p.shard(DataPlan.Use.VALIDATION, s, 2, 1, CONF).count();
    }
    assertEquals(100, total);
    Files.createDirectories(valRoot.resolve("train").resolve("extra"));
    ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", valRoot.resolve("train")
        .resolve("extra").resolve("x.png").toFile());
    DataPlan mismatch = plan(spec);
    List<String> problems = DataChecks.problems(JobSpec.parse(spec, "t", Map.of()).validate(), mismatch);
    assertTrue(problems.stream().anyMatch(q -> q.startsWith("validation.path: its classes")), problems.toString());
    assertThrows(dev.cnnspark.driver.spec.SpecException.class, () -> JobSpec.parse("validation: {source: data}\n",
        "t", Map.of()).validate());
  }

  @Test
  void imageFoldersResizeConvertColoursAndFollowKerasClassRules() throws IOException {
    Path root = tmp.resolve("pets");
    Random r = new Random(5);
    Map<String, Integer> sizes = new LinkedHashMap<>(Map.of("cat", 3, "dog", 2, "zebra", 1));
    for (Map.Entry<String, Integer> e : sizes.entrySet()) {
      Files.createDirectories(root.resolve(e.getKey()));
      for (int i = 0; i < e.getValue(); i++) {
        BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < 8; x++) {
            img.setRGB(x, y, 0x80000000 | r.nextInt(1 << 24));
          }
        }
        ImageIO.write(img, "png", root.resolve(e.getKey()).resolve("img" + i + ".png").toFile());
      }
    }
    Files.writeString(root.resolve("cat").resolve("notes.txt"), "not an image");
    DataPlan rgb = plan("data: {type: image_folder, path: \"" + root + "\"}\nmodel: {layers: [{type: Flatten, "
        + "input_shape: [6, 8, 3]}, {type: Dense, units: 3, activation: softmax}]}\n");
    assertEquals(List.of("cat", "dog", "zebra"), rgb.info().classNames(), "sub-folders sorted by name");
    assertEquals(6, rgb.info().trainCount(), "notes.txt is not an image");
    Dataset d = rgb.all(DataPlan.Use.TRAIN, CONF);
    BufferedImage first = ImageIO.read(root.resolve("cat").resolve("img0.png").toFile());
    int p = first.getRGB(3, 2);
    assertEquals(((p >> 16) & 0xff) / 255f, d.x()[(2 * 8 + 3) * 3], "R of pixel (2, 3), scaled by 1/255");
    assertEquals((p & 0xff) / 255f, d.x()[(2 * 8 + 3) * 3 + 2], "B");
    assertEquals(1f, d.y()[5 * 3 + 2], "the last image is a zebra");

    DataPlan gray = plan("data: {type: image_folder, path: \"" + root + "\", color_mode: grayscale, "
        + "target_size: [3, 4], class_names: [zebra, cat], rescale: 1}\n");
    assertEquals(List.of("zebra", "cat"), gray.info().classNames(), "class_names picks and orders");
    assertEquals(4, gray.info().trainCount());
    Dataset g = gray.all(DataPlan.Use.TRAIN, CONF);
    assertEquals(List.of(3, 4, 1), Arrays.stream(g.shape().dims()).boxed().toList());
    // a 2x downscale with half-pixel centres samples exactly between 4 source pixels: their mean luma
    BufferedImage z = ImageIO.read(root.resolve("zebra").resolve("img0.png").toFile());
    double mean = 0;
    for (int[] at : new int[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}}) {
      int q = z.getRGB(at[0], at[1]);
      mean += (((q >> 16) & 0xff) * 299 + ((q >> 8) & 0xff) * 587 + (q & 0xff) * 114) / 1000 / 4.0;
    }
    assertEquals(mean, g.x()[0], 1e-3, "bilinear resize of the luma");

    DataPlan binary = plan("data: {type: image_folder, path: \"" + root + "\", class_names: [cat, dog], "
        + "label_mode: binary}\nloss: binary_crossentropy\n");
    assertEquals(1, binary.info().labelWidth());
    assertArrayEquals(new float[] {0, 0, 0, 1, 1}, binary.all(DataPlan.Use.TRAIN, CONF).y());

    Files.createDirectories(root.resolve("empty"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> plan("data: {type: image_folder, path: \""
        + root + "\"}\n"));
    assertTrue(e.getMessage().contains("empty: class folder holds no images"), e.getMessage());
    Files.delete(root.resolve("empty"));
    Files.writeString(root.resolve("dog").resolve("broken.png"), "PNG? no");
    DataPlan broken = plan("data: {type: image_folder, path: \"" + root + "\"}\n");
    e = assertThrows(DataFormatException.class, () -> broken.all(DataPlan.Use.TRAIN, CONF));
    assertTrue(e.getMessage().contains("broken.png: not a readable image"), e.getMessage());
  }

  @Test
  void npzRefusesWhatItCannotReadNamingTheArrayAndRow() throws IOException {
    Path bad = tmp.resolve("bad.npz");
    writeNpz(bad, Map.of("x_train", npy("<f8", "(2, 3)", false, 1.0, 2.0, Double.NaN, 4, 5, 6),
        "y_train", npy("<i8", "(2,)", false, 0, 1)));
    DataPlan p = plan("data: {type: npz, path: \"" + bad + "\"}\nmodel: {layers: [{type: Dense, units: 2, "
        + "activation: softmax, input_shape: [3]}]}\n");
    assertEquals(0, p.info().testCount(), "no x_test: no test part");
    DataFormatException e = assertThrows(DataFormatException.class, () -> p.all(DataPlan.Use.TRAIN, CONF));
    assertTrue(e.getMessage().contains("bad.npz [x_train]: row 0: value NaN at position 2 is not finite"),
        e.getMessage());

    writeNpz(bad, Map.of("x_train", npy("<f4", "(2, 3)", true, 1, 2, 3, 4, 5, 6), "y_train",
        npy("<i8", "(2,)", false, 0, 1)));
    e = assertThrows(DataFormatException.class, () -> plan("data: {type: npz, path: \"" + bad + "\"}\n"));
    assertTrue(e.getMessage().contains("Fortran-order array"), e.getMessage());

    writeNpz(bad, Map.of("x_train", npy("|O", "(2,)", false), "y_train", npy("<i8", "(2,)", false, 0, 1)));
    e = assertThrows(DataFormatException.class, () -> plan("data: {type: npz, path: \"" + bad + "\"}\n"));
    assertTrue(e.getMessage().contains("an array of Python objects"), e.getMessage());

    writeNpz(bad, Map.of("x_train", npy("<i4", "(2, 3)", false, 1, 2, 3, 4, 5, 6), "y_train",
        npy("<i8", "(3,)", false, 0, 1, 1)));
    e = assertThrows(DataFormatException.class, () -> plan("data: {type: npz, path: \"" + bad + "\"}\n"));
    assertTrue(e.getMessage().contains("bad.npz [y_train]: has 3 labels but the inputs have 2 rows"),
        e.getMessage());

    writeNpz(bad, Map.of("x_train", npy(">f8", "(2, 3)", false, 1, 2, 3, 4, 5, 6), "y_train",
        npy("<f4", "(2, 2)", false, 0, 1, 1, 0)));
    DataPlan oneHot = plan("data: {type: npz, path: \"" + bad + "\"}\nmodel: {layers: [{type: Dense, units: 2, "
        + "activation: softmax, input_shape: [3]}]}\n");
    Dataset d = oneHot.all(DataPlan.Use.TRAIN, CONF);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.x(), "big-endian float64, kept as stored");
    assertArrayEquals(new float[] {0, 1, 1, 0}, d.y(), "one-hot label rows");
  }

  /** An .npy file: header and values written as the dtype says (only the dtypes the tests use). */
  static byte[] npy(String descr, String shape, boolean fortran, double... values) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
        + shape + ", }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
    out.write(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 8)
        .order(descr.startsWith(">") ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      switch (descr.substring(1)) {
        case "f8" -> b.putDouble(v);
        case "f4" -> b.putFloat((float) v);
        case "i4" -> b.putInt((int) v);
        default -> b.putLong((long) v);
      }
    }
    out.write(b.array(), 0, b.position());
    return out.toByteArray();
  }

  static void writeNpz(Path file, Map<String, byte[]> arrays) throws IOException {
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }

  /** CIFAR-10-format batches of random 32x32x3 images: {@code n} training, {@code n / 5} test. */
  static Path cifar10(Path dir, int n) throws IOException {
    Random r = new Random(n);
    Dataset[] parts = new Dataset[2];
    for (int k = 0; k < 2; k++) {
      int count = k == 0 ? n : n / 5;
      float[] x = new float[count * 3072];
      int[] labels = new int[count];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(256) / 255f;
      }
      for (int i = 0; i < count; i++) {
        labels[i] = r.nextInt(10);
      }
      parts[k] = new Dataset(x, Dataset.oneHot(labels, 10), dev.cnnspark.worker.Shape.of(32, 32, 3), 10, count);
    }
    Writers.cifar10(dir, parts[0], parts[1], CifarSource.CIFAR10_CLASSES);
    return dir;
  }

  @Test
  void cifarBatchesReadBackAndCifar100HasFineAndCoarseLabels() throws IOException {
    Path dir = cifar10(tmp.resolve("cifar10"), 250);
    DataPlan p = plan("data: {type: cifar10, path: \"" + dir + "\"}\nmodel: {preset: cifar_cnn}\n");
    assertEquals(CifarSource.CIFAR10_CLASSES, p.info().classNames());
    assertEquals(250, p.info().trainCount());
    assertEquals(50, p.info().testCount());
    Dataset d = p.all(DataPlan.Use.TRAIN, CONF);
    byte[] batch = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
    int label = batch[3073] & 0xff; // the second record of batch 2 is example 51
    assertEquals(1f, d.y()[51 * 10 + label]);
    assertEquals((batch[3073 + 1 + 1024 + 5] & 0xff) / 255f, d.x()[51 * 3072 + 5 * 3 + 1], "G of pixel 5, NHWC");
    Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(batch, 3073 * 2 + 100));
    DataFormatException e = assertThrows(DataFormatException.class, () -> plan("data: {type: cifar10, path: \""
        + dir + "\"}\nmodel: {preset: cifar_cnn}\n"));
    assertTrue(e.getMessage().contains("test_batch.bin: is 6246 bytes, not a whole number of 3073-byte cifar10 "
        + "records"), e.getMessage());

    Path hundred = tmp.resolve("cifar100");
    Files.createDirectories(hundred);
    byte[] rec = new byte[3074 * 4];
    for (int i = 0; i < 4; i++) {
      rec[i * 3074] = (byte) (i % 20);
      rec[i * 3074 + 1] = (byte) (90 + i);
    }
    Files.write(hundred.resolve("train.bin"), rec);
    Files.write(hundred.resolve("test.bin"), Arrays.copyOf(rec, 3074));
    for (String mode : new String[] {"fine", "coarse"}) {
      DataPlan h = plan("data: {type: cifar100, path: \"" + hundred + "\", cifar_labels: " + mode + "}\n"
          + "model: {layers: [{type: Flatten, input_shape: [32, 32, 3]}, {type: Dense, units: "
          + (mode.equals("fine") ? 100 : 20) + ", activation: softmax}]}\n");
      Dataset t = h.all(DataPlan.Use.TRAIN, CONF);
      int w = t.labelWidth();
      assertEquals(1f, t.y()[3 * w + (mode.equals("fine") ? 93 : 3)], mode);
    }
  }

  @Test
  void everySourceIsSerializableForItsShards() throws Exception {
    List<DataSource> sources = new ArrayList<>();
    sources.add(plan("data: {path: \"" + mnist() + "\"}\n").source());
    sources.add(new NpzSource(tmp.toUri(), Map.of("x_train", "a"), List.of(), false, Rescale.parse("auto"),
        Sequences.OFF));
    sources.add(new ImageFolderSource(tmp.toUri(), null, List.of(), new int[] {2, 2}, "rgb", false, false,
        Rescale.parse("0.5")));
    sources.add(new CifarSource(tmp.toUri(), true, true, List.of(), false, Rescale.parse("auto")));
    for (DataSource s : sources) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(new DataPlan(s, TestData.MNIST, 0.1));
      }
      assertTrue(bytes.size() > 0, s.type());
    }
  }
}
