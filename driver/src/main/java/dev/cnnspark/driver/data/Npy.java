package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1-3): the magic, a header dict ({@code descr}, {@code fortran_order},
 * {@code shape}), then the array in C order. Numbers of dtype uint8, int8, int32, int64, float32 and float64, either
 * byte order; a pickled object array ({@code |O}) or a Fortran-order array is refused with the reason. Rows (the
 * first axis) are read one at a time, so a reader can skip to the rows it needs.
 */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** An array's header: element type, byte order, shape. */
  record Header(char kind, int itemSize, ByteOrder order, long[] shape) {
    long rows() {
      return shape.length == 0 ? 1 : shape[0];
    }

    /** Values per row (the product of the other axes). */
    long rowSize() {
      long n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return n;
    }

    boolean eightBit() {
      return kind == 'u' && itemSize == 1;
    }

    String describe() {
      return (kind == 'f' ? "float" : kind == 'u' ? "uint" : "int") + itemSize * 8 + " " + Arrays.toString(shape);
    }
  }

  private Npy() {
  }

  static Header header(InputStream in, String name) throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[6];
    try {
      d.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new DataFormatException(name, "not a NumPy .npy array (bad magic)");
      }
      int major = d.readUnsignedByte();
      d.readUnsignedByte();
      int len;
      if (major == 1) {
        len = Short.toUnsignedInt(Short.reverseBytes(d.readShort()));
      } else if (major == 2 || major == 3) {
        len = Integer.reverseBytes(d.readInt());
      } else {
        throw new DataFormatException(name, ".npy format version " + major + " not supported (1-3)");
      }
      if (len < 0 || len > 1 << 20) {
        throw new DataFormatException(name, "implausible .npy header length " + len);
      }
      byte[] h = new byte[len];
      d.readFully(h);
      return parse(new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), name);
    } catch (EOFException e) {
      throw new DataFormatException(name, "truncated inside the .npy header", e);
    }
  }

  private static Header parse(String dict, String name) {
    Matcher descr = DESCR.matcher(dict);
    Matcher fortran = FORTRAN.matcher(dict);
    Matcher shape = SHAPE.matcher(dict);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new DataFormatException(name, "unreadable .npy header: " + dict.trim());
    }
    String t = descr.group(1);
    if (t.contains("O")) {
      throw new DataFormatException(name, "an array of Python objects (dtype " + t + ", pickled): save numbers, "
          + "e.g. np.asarray(x, dtype=np.float32)");
    }
    if (fortran.group(1).equals("True")) {
      throw new DataFormatException(name, "Fortran-order array: save it in C order (np.ascontiguousarray)");
    }
    if (t.length() < 3 || "<>|=".indexOf(t.charAt(0)) < 0) {
      throw new DataFormatException(name, "dtype '" + t + "' not supported");
    }
    char kind = t.charAt(1);
    int size;
    try {
      size = Integer.parseInt(t.substring(2));
    } catch (NumberFormatException e) {
      throw new DataFormatException(name, "dtype '" + t + "' not supported");
    }
    boolean ok = (kind == 'u' && size == 1) || (kind == 'i' && (size == 1 || size == 4 || size == 8))
        || (kind == 'f' && (size == 4 || size == 8));
    if (!ok) {
      throw new DataFormatException(name, "dtype '" + t + "' not supported (uint8, int8, int32, int64, float32, "
          + "float64)");
    }
    String[] parts = shape.group(1).split(",");
    long[] dims = Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong)
        .toArray();
    ByteOrder order = t.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return new Header(kind, size, order, dims);
  }

  /** Reads one row's values into {@code out} as doubles. */
  static void readRow(DataInputStream in, Header h, double[] out, String name, long row) throws IOException {
    int n = (int) h.rowSize();
    byte[] raw = new byte[n * h.itemSize()];
    try {
      in.readFully(raw);
    } catch (EOFException e) {
      throw new DataFormatException(name, "truncated: row " + row + " of " + h.rows() + " is cut short (the header "
          + "promises " + h.describe() + ")", e);
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(h.order());
    for (int i = 0; i < n; i++) {
      out[i] = switch (h.kind()) {
        case 'u' -> raw[i] & 0xff;
        case 'f' -> h.itemSize() == 4 ? b.getFloat(i * 4) : b.getDouble(i * 8);
        default -> switch (h.itemSize()) {
          case 1 -> raw[i];
          case 4 -> b.getInt(i * 4);
          default -> (double) b.getLong(i * 8);
        };
      };
    }
  }

  /** Skips whole rows. */
  static void skipRows(DataInputStream in, Header h, long rows, String name) throws IOException {
    try {
      in.skipNBytes(rows * h.rowSize() * h.itemSize());
    } catch (EOFException e) {
      throw new DataFormatException(name, "truncated: fewer rows than the " + h.rows() + " the header promises ("
          + h.describe() + ")", e);
    }
  }
}
