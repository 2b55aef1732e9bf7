package dev.cnnspark.driver.report;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, what TensorBoard's event files are made of: per record a little-endian uint64 length, the masked
 * CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data. Masking is TensorFlow's
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}.
 */
public final class TfRecords {
  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecords() {
  }

  public static int maskedCrc(byte[] data, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(data, off, len);
    int crc = (int) c.getValue();
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  public static void write(OutputStream out, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 0, 8));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, 0, data.length));
    out.write(header.array());
    out.write(data);
    out.write(footer.array());
  }

  /**
   * Every record of a stream, each checked against both of its CRCs.
   *
   * @throws IOException naming the record and which check failed, or a truncated record
   */
  public static List<byte[]> read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    List<byte[]> records = new ArrayList<>();
    byte[] header = new byte[12];
    while (true) {
      int first = d.read();
      if (first < 0) {
        return records;
      }
      header[0] = (byte) first;
      try {
        d.readFully(header, 1, 11);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long len = h.getLong(0);
        if (h.getInt(8) != maskedCrc(header, 0, 8)) {
          throw new IOException("record " + records.size() + ": the length's CRC does not match");
        }
        if (len < 0 || len > Integer.MAX_VALUE - 8) {
          throw new IOException("record " + records.size() + ": length " + len + " out of range");
        }
        byte[] data = new byte[(int) len];
        d.readFully(data);
        byte[] footer = new byte[4];
        d.readFully(footer);
        if (ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc(data, 0, data.length)) {
          throw new IOException("record " + records.size() + ": the data's CRC does not match");
        }
        records.add(data);
      } catch (EOFException e) {
        throw new IOException("record " + records.size() + " is truncated", e);
      }
    }
  }
}
