package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * CIFAR-10 and CIFAR-100 binary batches: fixed-size records, CIFAR-10's a label byte then 3,072 bytes of a 32x32
 * image as planes R, G, B (CHW), CIFAR-100's a coarse and a fine label byte before the same image; converted to NHWC
 * floats. Training part: {@code data_batch_1..5.bin} (CIFAR-10) or {@code train.bin} (CIFAR-100); test part:
 * {@code test_batch.bin} or {@code test.bin}. The driver counts records from file sizes and reads the class names
 * ({@code batches.meta.txt}, {@code fine/coarse_label_names.txt}) when present; an executor seeks to its shard's
 * records. An empty path means the local copy ({@link CifarFiles}, downloading it if needed).
 */
final class CifarSource implements DataSource {
  private static final long serialVersionUID = 1L;
  private static final int IMAGE = 3072;
  static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
      "horse", "ship", "truck");
  private final URI dir;
  private final boolean hundred;
  private final boolean coarse;
  private final List<String> classNames;
  private final boolean binary;
  private final Rescale rescale;

  CifarSource(URI dir, boolean hundred, boolean coarse, List<String> classNames, boolean binary, Rescale rescale) {
    this.dir = dir;
    this.hundred = hundred;
    this.coarse = coarse;
    this.classNames = List.copyOf(classNames);
    this.binary = binary;
    this.rescale = rescale;
  }

  @Override
  public String type() {
    return hundred ? "cifar100" : "cifar10";
  }

  @Override
  public String location() {
    return dir.toString();
  }

  private int recordSize() {
    return (hundred ? 2 : 1) + IMAGE;
  }

  List<String> files(Part part) {
    if (hundred) {
      return List.of(part == Part.TRAIN ? "train.bin" : "test.bin");
    }
    return part == Part.TRAIN ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
        "data_batch_4.bin", "data_batch_5.bin") : List.of("test_batch.bin");
  }

  private long[] sizes(FileSystem fs, Part part) throws IOException {
    List<String> names = files(part);
    long[] out = new long[names.size()];
    for (int i = 0; i < out.length; i++) {
      Path p = new Path(new Path(dir), names.get(i));
      try {
        out[i] = fs.getFileStatus(p).getLen();
      } catch (FileNotFoundException e) {
        throw new DataFormatException(p.toString(), "missing (a " + type() + " binary directory holds "
            + files(Part.TRAIN) + " and " + files(Part.TEST) + ")");
      }
      if (out[i] == 0 || out[i] % recordSize() != 0) {
        throw new DataFormatException(p.toString(), "is " + out[i] + " bytes, not a whole number of " + recordSize()
            + "-byte " + type() + " records (truncated or not a " + type() + " batch)");
      }
    }
    return out;
  }

  @Override
  public DataInfo describe(Configuration conf) throws IOException {
    FileSystem fs = new Path(dir).getFileSystem(conf);
    int[] counts = new int[2];
    for (Part part : Part.values()) {
      for (long size : sizes(fs, part)) {
        counts[part.ordinal()] += (int) (size / recordSize());
      }
    }
    List<String> names = classNames.isEmpty() ? names(fs) : classNames;
    if (binary && names.size() != 2) {
      throw new DataFormatException(location(), "label_mode binary needs 2 classes, " + type() + " has "
          + names.size());
    }
    return new DataInfo(new int[] {32, 32, 3}, names, binary ? 1 : names.size(), counts[0], counts[1]);
  }

  private List<String> names(FileSystem fs) throws IOException {
    String meta = hundred ? (coarse ? "coarse_label_names.txt" : "fine_label_names.txt") : "batches.meta.txt";
    Path p = new Path(new Path(dir), meta);
    List<String> names = new ArrayList<>();
    if (fs.exists(p)) {
      try (InputStream in = fs.open(p)) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            names.add(line.trim());
          }
        }
      }
    }
    int expected = hundred ? (coarse ? 20 : 100) : 10;
    if (names.size() == expected) {
      return names;
    }
    if (!hundred) {
      return CIFAR10_CLASSES;
    }
    names.clear();
    for (int c = 0; c < expected; c++) {
      names.add(Integer.toString(c));
    }
    return names;
  }

  @Override
  public Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf)
      throws IOException {
    FileSystem fs = new Path(dir).getFileSystem(conf);
    List<String> names = files(part);
    long[] sizes = sizes(fs, part);
    Examples out = new Examples(info.shape(), info.classes(), binary, indices.length, mode);
    byte[] record = new byte[recordSize()];
    int file = -1;
    long first = 0;
    FSDataInputStream in = null;
    try {
      for (int idx : indices) {
        while (file < 0 || idx >= first + sizes[file] / recordSize()) {
          first += file < 0 ? 0 : sizes[file] / recordSize();
          file++;
          if (in != null) {
            in.close();
          }
          in = fs.open(new Path(new Path(dir), names.get(file)));
        }
        String where = new Path(new Path(dir), names.get(file)).toString();
        in.seek((idx - first) * recordSize());
        try {
          in.readFully(record);
        } catch (EOFException e) {
          throw new DataFormatException(where, "record " + (idx - first) + " is cut short", e);
        }
        int o = out.nextOffset();
        int img = hundred ? 2 : 1;
        float[] x = out.x();
        for (int c = 0; c < 3; c++) {
          for (int p = 0; p < 1024; p++) {
            x[o + p * 3 + c] = rescale.pixel(record[img + c * 1024 + p] & 0xff);
          }
        }
        int label = hundred ? (coarse ? record[0] : record[1]) & 0xff : record[0] & 0xff;
        try {
          out.label(label, where, "record " + (idx - first));
        } catch (DataFormatException bad) {
          out.bad(bad);
        }
      }
    } finally {
      if (in != null) {
        in.close();
      }
    }
    return out.build();
  }
}
