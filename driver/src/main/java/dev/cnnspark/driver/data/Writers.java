package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes a dataset in the formats the sources read, for {@code cnnspark convert} and for tests: PNG image folders
 * ({@code root/train/<class>/<n>.png}, {@code root/test/...}), a NumPy {@code .npz} (uint8 for pixel data in [0, 1],
 * else float32; labels as int64 class indices), CIFAR-10 binary batches (32x32x3 only), IDX files. Pixel data is
 * written as {@code round(255 x)}, which the sources' {@code rescale: auto} maps back to the same floats for 8-bit
 * originals.
 */
public final class Writers {
  private Writers() {
  }

  /** A part of a dataset: its name ("train", "test") and examples. */
  public record Part(String name, Dataset data) {
  }

  static int label(Dataset d, int i) {
    int w = d.labelWidth();
    if (w == 1) {
      return d.y()[i] >= 0.5f ? 1 : 0;
    }
    for (int c = 0; c < w; c++) {
      if (d.y()[i * w + c] == 1f) {
        return c;
      }
    }
    throw new IllegalArgumentException("example " + i + " has no one-hot label");
  }

  private static int byteOf(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }

  /** PNG image folders, one sub-folder per class under {@code root/<part>/}. */
  public static void imageFolders(Path root, List<Part> parts, List<String> classNames) throws IOException {
    for (Part part : parts) {
      Dataset d = part.data();
      int[] dims = d.shape().dims();
      if (dims.length != 3 || (dims[2] != 1 && dims[2] != 3)) {
        throw new IllegalArgumentException("image folders need examples of (height, width, 1 or 3), got "
            + d.shape());
      }
      int h = dims[0];
      int w = dims[1];
      int ch = dims[2];
      for (String c : classNames) {
        Files.createDirectories(root.resolve(part.name()).resolve(c));
      }
      int digits = Integer.toString(d.count()).length();
      for (int i = 0; i < d.count(); i++) {
        BufferedImage img = new BufferedImage(w, h, ch == 1 ? BufferedImage.TYPE_BYTE_GRAY
            : BufferedImage.TYPE_INT_RGB);
        int base = i * h * w * ch;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int o = base + (y * w + x) * ch;
            if (ch == 1) {
              img.getRaster().setSample(x, y, 0, byteOf(d.x()[o]));
            } else {
              img.setRGB(x, y, byteOf(d.x()[o]) << 16 | byteOf(d.x()[o + 1]) << 8 | byteOf(d.x()[o + 2]));
            }
          }
        }
        Path file = root.resolve(part.name()).resolve(classNames.get(label(d, i)))
            .resolve(String.format(Locale.ROOT, "%0" + digits + "d.png", i));
        ImageIO.write(img, "png", file.toFile());
      }
    }
  }

  /** A NumPy archive with x_&lt;part&gt; and y_&lt;part&gt; arrays. */
  public static void npz(Path file, List<Part> parts, boolean floats) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Part part : parts) {
        Dataset d = part.data();
        long[] shape = new long[d.shape().dims().length + 1];
        shape[0] = d.count();
        int[] dims = d.shape().dims();
        for (int i = 0; i < dims.length; i++) {
          shape[i + 1] = dims[i];
        }
        if (dims.length == 3 && dims[2] == 1) {
          shape = new long[] {d.count(), dims[0], dims[1]}; // what Keras' mnist.load_data() gives
        }
        zip.putNextEntry(new ZipEntry("x_" + part.name() + ".npy"));
        writeNpyHeader(zip, floats ? "<f4" : "|u1", shape);
        ByteBuffer b = ByteBuffer.allocate(floats ? 4 * 65536 : 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : d.x()) {
          if (floats) {
            b.putFloat(v);
          } else {
            b.put((byte) byteOf(v));
          }
          if (!b.hasRemaining()) {
            zip.write(b.array(), 0, b.position());
            b.clear();
          }
        }
        zip.write(b.array(), 0, b.position());
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry("y_" + part.name() + ".npy"));
        writeNpyHeader(zip, "<i8", new long[] {d.count()});
        DataOutputStream out = new DataOutputStream(zip);
        for (int i = 0; i < d.count(); i++) {
          out.writeLong(Long.reverseBytes(label(d, i)));
        }
        out.flush();
        zip.closeEntry();
      }
    }
  }

  static void writeNpyHeader(OutputStream out, String descr, long[] shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long s : shape) {
      dims.append(s).append(", ");
    }
    String t = shape.length == 1 ? dims.toString().trim() : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + t + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.write(header.length() & 0xff);
    b.write(header.length() >> 8);
    b.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(b.toByteArray());
  }

  /**
   * A Parquet table per part, {@code dir/<part>/part-00000.parquet}, as Spark writes a DataFrame of
   * {@code features: array<float>} (the example flattened) and {@code label: int}.
   */
  public static void parquet(Path dir, List<Part> parts) throws IOException {
    org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
        "message example { required group features (LIST) { repeated group list { required float element; } } "
            + "required int32 label; }");
    org.apache.parquet.example.data.simple.SimpleGroupFactory groups =
        new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
    for (Part part : parts) {
      Path file = dir.resolve(part.name()).resolve("part-00000.parquet");
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Dataset d = part.data();
      int s = d.shape().size();
      try (org.apache.parquet.hadoop.ParquetWriter<org.apache.parquet.example.data.Group> w =
               org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                   new org.apache.hadoop.fs.Path(file.toUri())).withType(schema)
                   .withConf(new org.apache.hadoop.conf.Configuration()).build()) {
        for (int i = 0; i < d.count(); i++) {
          org.apache.parquet.example.data.Group g = groups.newGroup();
          org.apache.parquet.example.data.Group features = g.addGroup("features");
          for (int k = 0; k < s; k++) {
            features.addGroup("list").append("element", d.x()[i * s + k]);
          }
          g.append("label", label(d, i));
          w.write(g);
        }
      }
    }
  }

  /** A CSV table per part, {@code dir/<part>/part-00000.csv}: a header, then {@code label,x0,x1,...} per example. */
  public static void csv(Path dir, List<Part> parts) throws IOException {
    for (Part part : parts) {
      Path file = dir.resolve(part.name()).resolve("part-00000.csv");
      Files.createDirectories(file.getParent());
      Dataset d = part.data();
      int s = d.shape().size();
      try (java.io.BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        StringBuilder header = new StringBuilder("label");
        for (int k = 0; k < s; k++) {
          header.append(",x").append(k);
        }
        w.write(header.append('\n').toString());
        for (int i = 0; i < d.count(); i++) {
          StringBuilder row = new StringBuilder().append(label(d, i));
          for (int k = 0; k < s; k++) {
            row.append(',').append(d.x()[i * s + k]);
          }
          w.write(row.append('\n').toString());
        }
      }
    }
  }

  /** CIFAR-10 binary batches: the training part split over data_batch_1..5.bin, the test part test_batch.bin. */
  public static void cifar10(Path dir, Dataset train, Dataset test, List<String> classNames) throws IOException {
    Files.createDirectories(dir);
    for (Dataset d : List.of(train, test)) {
      if (!d.shape().equals(dev.cnnspark.worker.Shape.of(32, 32, 3))) {
        throw new IllegalArgumentException("CIFAR batches hold 32x32x3 images, got " + d.shape());
      }
    }
    for (int b = 0; b < 5; b++) {
      int from = (int) ((long) train.count() * b / 5);
      int to = (int) ((long) train.count() * (b + 1) / 5);
      writeCifar(dir.resolve("data_batch_" + (b + 1) + ".bin"), train, from, to);
    }
    writeCifar(dir.resolve("test_batch.bin"), test, 0, test.count());
    Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", classNames) + "\n");
  }

  private static void writeCifar(Path file, Dataset d, int from, int to) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      byte[] rec = new byte[3073];
      for (int i = from; i < to; i++) {
        rec[0] = (byte) label(d, i);
        for (int p = 0; p < 1024; p++) {
          for (int c = 0; c < 3; c++) {
            rec[1 + c * 1024 + p] = (byte) byteOf(d.x()[i * 3072 + p * 3 + c]);
          }
        }
        out.write(rec);
      }
    }
  }
}
