package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A NumPy {@code .npz} archive as a Keras notebook writes it ({@code np.savez("data.npz", x_train=..., y_train=...,
 * x_test=..., y_test=...)}, compressed or not; other array names through {@code data.arrays}). Inputs of shape
 * (N, H, W) get a channel axis, (N, H, W, C) and (N, F) are kept; labels are class indices (N) or one-hot rows (N, C).
 * Arrays that disagree in length, a label that is not a class, a non-finite input value, a pickled or Fortran-order
 * array are refused with the array and row named. The driver reads the array headers and the labels; an executor
 * streams the input array and converts only its shard's rows.
 */
final class NpzSource implements DataSource {
  private static final long serialVersionUID = 1L;
  private final URI file;
  private final Map<String, String> arrays;
  private final List<String> classNames;
  private final boolean binary;
  private final Rescale rescale;
  private final Sequences sequences;

  /** @param arrays the names of x_train, y_train, x_test and y_test in the archive (keys: those four) */
  NpzSource(URI file, Map<String, String> arrays, List<String> classNames, boolean binary, Rescale rescale,
            Sequences sequences) {
    this.file = file;
    this.arrays = Map.copyOf(arrays);
    this.classNames = List.copyOf(classNames);
    this.binary = binary;
    this.rescale = rescale;
    this.sequences = sequences;
  }

  @Override
  public String type() {
    return "npz";
  }

  @Override
  public String location() {
    return file.toString();
  }

  private String where(String array) {
    return file + " [" + array + "]";
  }

  /** Opens the archive positioned at an array's .npy bytes, or returns null when it has no such array. */
  private DataInputStream openArray(String key, Configuration conf) throws IOException {
    String name = arrays.get(key);
    Path p = new Path(file);
    InputStream raw;
    try {
      raw = p.getFileSystem(conf).open(p);
    } catch (FileNotFoundException e) {
      throw new DataFormatException(file.toString(), "missing (data.path names the .npz file)");
    }
    ZipInputStream zip = new ZipInputStream(new BufferedInputStream(raw, 1 << 16));
    try {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(name + ".npy") || e.getName().equals(name)) {
          return new DataInputStream(new BufferedInputStream(zip, 1 << 16));
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      zip.close();
      throw new DataFormatException(file.toString(), "not a readable .npz (zip) archive: " + e.getMessage(), e);
    }
    zip.close();
    return null;
  }

  private DataInputStream require(String key, Configuration conf) throws IOException {
    DataInputStream in = openArray(key, conf);
    if (in == null) {
      throw new DataFormatException(file.toString(), "has no array '" + arrays.get(key) + "' (" + key + "; "
          + "data.arrays names them)");
    }
    return in;
  }

  /** A part's labels as class indices, checked. */
  private int[] labels(String key, long expected, Configuration conf) throws IOException {
    try (DataInputStream in = require(key, conf)) {
      String where = where(arrays.get(key));
      Npy.Header h = Npy.header(in, where);
      if (h.rows() != expected) {
        throw new DataFormatException(where, "has " + h.rows() + " labels but the inputs have " + expected
            + " rows: the arrays disagree in length");
      }
      if (h.shape().length > 2) {
        throw new DataFormatException(where, "labels of shape " + java.util.Arrays.toString(h.shape()) + ": give "
            + "class indices (N) or one-hot rows (N, classes)");
      }
      int[] out = new int[(int) h.rows()];
      double[] row = new double[(int) h.rowSize()];
      for (int i = 0; i < out.length; i++) {
        Npy.readRow(in, h, row, where, i);
        out[i] = h.shape().length == 1 ? index(row[0], where, i) : oneHot(row, where, i);
      }
      return out;
    }
  }

  private static int index(double v, String where, int row) {
    if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
      throw new DataFormatException(where, "row " + row + ": label " + v + " is not a class index");
    }
    return (int) v;
  }

  private static int oneHot(double[] row, String where, int r) {
    int hot = -1;
    for (int c = 0; c < row.length; c++) {
      if (row[c] == 1 && hot < 0) {
        hot = c;
      } else if (row[c] != 0) {
        hot = -2;
        break;
      }
    }
    if (hot < 0) {
      throw new DataFormatException(where, "row " + r + " is not a one-hot label row");
    }
    return hot;
  }

  private Npy.Header inputs(String key, Configuration conf) throws IOException {
    try (DataInputStream in = require(key, conf)) {
      return Npy.header(in, where(arrays.get(key)));
    }
  }

  private static int[] dims(Npy.Header h, String where) {
    long[] s = h.shape();
    return switch (s.length) {
      case 2 -> new int[] {(int) s[1]};
      case 3 -> new int[] {(int) s[1], (int) s[2], 1};
      case 4 -> new int[] {(int) s[1], (int) s[2], (int) s[3]};
      default -> throw new DataFormatException(where, "inputs of shape " + java.util.Arrays.toString(s) + ": give "
          + "(N, features), (N, height, width) or (N, height, width, channels)");
    };
  }

  @Override
  public DataInfo describe(Configuration conf) throws IOException {
    Npy.Header xTrain = inputs("x_train", conf);
    int[] dims = sequences.on() ? new int[] {sequences.maxlen()} : dims(xTrain, where(arrays.get("x_train")));
    Labels seen = new Labels();
    for (int v : labels("y_train", xTrain.rows(), conf)) {
      seen.add(v, location(), "y_train");
    }
    int testCount = 0;
    if (openArrayExists("x_test", conf)) {
      Npy.Header xTest = inputs("x_test", conf);
      if (!sequences.on() && !java.util.Arrays.equals(dims(xTest, where(arrays.get("x_test"))), dims)) {
        throw new DataFormatException(where(arrays.get("x_test")), "rows of shape " + java.util.Arrays.toString(
            dims(xTest, "")) + ", x_train's are " + java.util.Arrays.toString(dims));
      }
      for (int v : labels("y_test", xTest.rows(), conf)) {
        seen.add(v, location(), "y_test");
      }
      testCount = (int) xTest.rows();
    }
    List<String> names = seen.names(classNames, binary, location());
    return new DataInfo(dims, names, binary ? 1 : names.size(), (int) xTrain.rows(), testCount);
  }

  private boolean openArrayExists(String key, Configuration conf) throws IOException {
    try (DataInputStream in = openArray(key, conf)) {
      return in != null;
    }
  }

  @Override
  public int[] labels(Part part, int count, DataInfo info, Configuration conf) throws IOException {
    String x = part == Part.TRAIN ? "x_train" : "x_test";
    return java.util.Arrays.copyOf(labels(part == Part.TRAIN ? "y_train" : "y_test", inputs(x, conf).rows(), conf),
        count);
  }

  @Override
  public Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf)
      throws IOException {
    String xKey = part == Part.TRAIN ? "x_train" : "x_test";
    String yKey = part == Part.TRAIN ? "y_train" : "y_test";
    String where = where(arrays.get(xKey));
    Examples out = new Examples(info.shape(), info.classes(), binary, indices.length, mode);
    try (DataInputStream in = require(xKey, conf)) {
      Npy.Header h = Npy.header(in, where);
      int[] labels = labels(yKey, h.rows(), conf);
      double[] row = new double[(int) h.rowSize()];
      float[] x = out.x();
      long at = 0;
      for (int idx : indices) {
        Npy.skipRows(in, h, idx - at, where);
        Npy.readRow(in, h, row, where, idx);
        at = idx + 1L;
        int o = out.nextOffset();
        try {
          double[] values = sequences.on() ? sequences.apply(row, where, "row " + idx) : row;
          for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
              throw new DataFormatException(where, "row " + idx + ": value " + values[k] + " at position " + k
                  + " is not finite");
            }
            x[o + k] = sequences.on() ? (float) values[k]
                : h.eightBit() ? rescale.pixel((float) values[k]) : rescale.value(values[k]);
          }
          out.label(labels[idx], where(arrays.get(yKey)), "row " + idx);
        } catch (DataFormatException bad) {
          out.bad(bad);
        }
      }
    }
    return out.build();
  }
}
