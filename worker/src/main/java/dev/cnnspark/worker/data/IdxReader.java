package dev.cnnspark.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format of MNIST (gzipped or not: detected by the gzip magic bytes). Unsigned-byte tensors only,
 * which is what MNIST and Fashion-MNIST use. Every structural problem (bad magic, wrong type, wrong rank, a size
 * that disagrees with the caller's expectation, a truncated or overlong file) is a {@link DataFormatException}
 * naming the file.
 */
public final class IdxReader {
  private IdxReader() {
  }

  /** An IDX tensor: its dimensions and its bytes (row-major), each an unsigned value in 0..255. */
  public record Idx(int[] dims, byte[] data) {
    public int count() {
      return dims[0];
    }
  }

  /**
   * @param name for messages (a path or URI)
   * @param expectedRank 1 for labels, 3 for images
   */
  public static Idx read(InputStream raw, String name, int expectedRank) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream in = buffered;
    if (b0 == 0x1f && b1 == 0x8b) {
      try {
        in = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
      } catch (IOException e) {
        throw new DataFormatException(name, "looks gzipped but the gzip header is broken: " + e.getMessage(), e);
      }
    }
    DataInputStream data = new DataInputStream(in);
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new DataFormatException(name, "file is empty or shorter than the 4-byte IDX header");
    }
    if ((magic >>> 16) != 0) {
      throw new DataFormatException(name, String.format("bad magic number 0x%08x: not an IDX file "
          + "(expected 0x0000080%d)", magic, expectedRank));
    }
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    if (type != 0x08) {
      throw new DataFormatException(name, String.format("IDX element type 0x%02x not supported (only unsigned bytes, "
          + "0x08)", type));
    }
    if (rank != expectedRank) {
      throw new DataFormatException(name, "IDX tensor has " + rank + " dimensions, expected " + expectedRank
          + (expectedRank == 1 ? " (a labels file)" : " (an images file)"));
    }
    int[] dims = new int[rank];
    long total = 1;
    try {
      for (int i = 0; i < rank; i++) {
        dims[i] = data.readInt();
        if (dims[i] <= 0) {
          throw new DataFormatException(name, "dimension " + i + " is " + dims[i]);
        }
        total *= dims[i];
      }
    } catch (EOFException e) {
      throw new DataFormatException(name, "truncated header: " + rank + " dimension sizes expected");
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new DataFormatException(name, "tensor of " + total + " bytes is too large");
    }
    byte[] bytes = new byte[(int) total];
    int read = data.readNBytes(bytes, 0, bytes.length);
    if (read < bytes.length) {
      throw new DataFormatException(name, "truncated: header promises " + total + " data bytes (" + dimsText(dims)
          + "), file has " + read);
    }
    if (data.read() != -1) {
      throw new DataFormatException(name, "trailing bytes after the " + total + " data bytes the header promises");
    }
    return new Idx(dims, bytes);
  }

  private static String dimsText(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : " x ").append(dims[i]);
    }
    return sb.toString();
  }
}
