package dev.cnnspark.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

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
   * Only the dimensions from a file's header (its data is not read): what the driver needs to count examples.
   *
   * @param name for messages (a path or URI)
   */
  public static int[] dims(InputStream raw, String name, int expectedRank) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 12);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    DataInputStream data;
    try {
      data = new DataInputStream(b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 12) : buffered);
      checkMagic(data.readInt(), name, expectedRank);
      int[] dims = new int[expectedRank];
      for (int i = 0; i < expectedRank; i++) {
        dims[i] = data.readInt();
        if (dims[i] <= 0) {
          throw new DataFormatException(name, "dimension " + i + " is " + dims[i]);
        }
      }
      return dims;
    } catch (EOFException e) {
      throw new DataFormatException(name, "file is empty or shorter than its IDX header");
    } catch (ZipException e) {
      throw new DataFormatException(name, "corrupt gzip data (" + e.getMessage() + "): the file is damaged; "
          + "download or copy it again", e);
    }
  }

  private static void checkMagic(int magic, String name, int expectedRank) {
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
    try {
      return parse(data, name, expectedRank, in != buffered);
    } catch (DataFormatException e) {
      if (in != buffered) { // a damaged gzip stream decodes to garbage first: say what is really wrong
        String damage = gzipDamage(data);
        if (damage != null) {
          throw new DataFormatException(name, damage + " (it decoded to: " + e.getMessage().substring(name.length()
              + 2) + ")", e);
        }
      }
      throw e;
    } catch (ZipException e) {
      throw new DataFormatException(name, "corrupt gzip data (" + e.getMessage() + "): the file is damaged; "
          + "download or copy it again", e);
    } catch (EOFException e) {
      throw new DataFormatException(name, "the gzip stream is cut short (the file is truncated): download or copy "
          + "it again", e);
    }
  }

  /** What is wrong with the rest of a gzip stream, or null when it ends cleanly with a good CRC. */
  private static String gzipDamage(DataInputStream rest) {
    try {
      rest.skip(Long.MAX_VALUE);
      return null;
    } catch (EOFException e) {
      return "the gzip stream is cut short (the file is truncated): download or copy it again";
    } catch (IOException e) {
      return "corrupt gzip data (" + e.getMessage() + "): the file is damaged; download or copy it again";
    }
  }

  private static Idx parse(DataInputStream data, String name, int expectedRank, boolean gzipped) throws IOException {
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new DataFormatException(name, "file is empty or shorter than the 4-byte IDX header");
    }
    checkMagic(magic, name, expectedRank);
    int rank = expectedRank;
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
    int read;
    try {
      read = data.readNBytes(bytes, 0, bytes.length);
    } catch (EOFException e) {
      throw new DataFormatException(name, "the gzip stream is cut short (the file is truncated) before the " + total
          + " data bytes the header promises (" + dimsText(dims) + "): download or copy it again", e);
    } catch (ZipException e) {
      throw new DataFormatException(name, "corrupt gzip data (" + e.getMessage() + "): the file is damaged; "
          + "download or copy it again", e);
    }
    if (read < bytes.length) {
      throw new DataFormatException(name, "truncated: header promises " + total + " data bytes (" + dimsText(dims)
          + "), file has " + read);
    }
    long extra;
    try {
      extra = data.skip(Long.MAX_VALUE) + (data.read() == -1 ? 0 : 1); // a gzip stream checks its CRC at its end
    } catch (EOFException e) {
      throw new DataFormatException(name, "the gzip stream is cut short after its data (the file is truncated): "
          + "download or copy it again", e);
    } catch (ZipException e) {
      throw new DataFormatException(name, "corrupt gzip data (" + e.getMessage() + "; its CRC check failed): the "
          + "file is damaged; download or copy it again", e);
    }
    if (extra > 0) {
      throw new DataFormatException(name, "trailing bytes after the " + total + " data bytes the header promises"
          + (gzipped ? " (the gzip stream itself is intact)" : ""));
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
