package dev.cnnspark.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.worker.MnistData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The IDX reader on good and malformed files; every error names the file and the problem. */
class IdxReaderTest {

  static byte[] idx(int magic, int[] dims, int dataBytes) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bos);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    for (int i = 0; i < dataBytes; i++) {
      out.writeByte(i % 10);
    }
    return bos.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(raw);
    }
    return bos.toByteArray();
  }

  private static DataFormatException fails(byte[] bytes, int rank) {
    return assertThrows(DataFormatException.class,
        () -> IdxReader.read(new ByteArrayInputStream(bytes), "some/file.idx", rank));
  }

  @Test
  void readsPlainAndGzipped() throws IOException {
    byte[] raw = idx(0x00000803, new int[] {2, 3, 4}, 24);
    for (byte[] b : new byte[][] {raw, gzip(raw)}) {
      IdxReader.Idx t = IdxReader.read(new ByteArrayInputStream(b), "x", 3);
      assertArrayEquals(new int[] {2, 3, 4}, t.dims());
      assertEquals(24, t.data().length);
      assertEquals(3, t.data()[13]);
    }
  }

  @Test
  void badMagic() throws IOException {
    DataFormatException e = fails(idx(0x12345678, new int[] {1}, 1), 1);
    assertTrue(e.getMessage().startsWith("some/file.idx: bad magic number 0x12345678"), e.getMessage());
  }

  @Test
  void wrongRank() throws IOException {
    DataFormatException e = fails(idx(0x00000801, new int[] {5}, 5), 3);
    assertTrue(e.getMessage().contains("has 1 dimensions, expected 3"), e.getMessage());
  }

  @Test
  void wrongElementType() throws IOException {
    DataFormatException e = fails(idx(0x00000d01, new int[] {5}, 20), 1);
    assertTrue(e.getMessage().contains("element type 0x0d not supported"), e.getMessage());
  }

  @Test
  void truncatedData() throws IOException {
    byte[] full = idx(0x00000803, new int[] {10, 28, 28}, 7840);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 100);
    DataFormatException e = fails(cut, 3);
    assertTrue(e.getMessage().contains("truncated: header promises 7840 data bytes (10 x 28 x 28), file has 7740"),
        e.getMessage());
    e = fails(gzip(cut), 3);
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void truncatedHeaderAndEmpty() throws IOException {
    assertTrue(fails(new byte[0], 1).getMessage().contains("empty"));
    byte[] head = java.util.Arrays.copyOf(idx(0x00000803, new int[] {10, 28, 28}, 0), 9);
    assertTrue(fails(head, 3).getMessage().contains("truncated header"));
  }

  @Test
  void gzipCutShortOrCorruptNamesTheFileAndTheCause() throws IOException {
    byte[] raw = idx(0x00000803, new int[] {10, 28, 28}, 7840);
    byte[] noise = new byte[7840]; // incompressible, so the deflate stream is long
    new java.util.Random(1).nextBytes(noise);
    System.arraycopy(noise, 0, raw, 16, noise.length);
    byte[] gz = gzip(raw);
    for (int cut : new int[] {gz.length / 2, gz.length - 4, gz.length - 9}) {
      DataFormatException e = fails(java.util.Arrays.copyOf(gz, cut), 3);
      assertTrue(e.getMessage().startsWith("some/file.idx: the gzip stream is cut short"), cut + ": " + e.getMessage());
    }
    byte[] badCrc = gz.clone();
    badCrc[gz.length - 6] ^= 0x40; // inside the CRC-32 of the trailer
    DataFormatException e = fails(badCrc, 3);
    assertTrue(e.getMessage().startsWith("some/file.idx: corrupt gzip data"), e.getMessage());
    int flips = 0;
    for (int at = 20; at < gz.length - 8; at += 37) { // bit flips through the deflate stream
      byte[] flipped = gz.clone();
      flipped[at] ^= 0x10;
      try {
        IdxReader.read(new java.io.ByteArrayInputStream(flipped), "some/file.idx", 3);
      } catch (DataFormatException f) {
        flips++;
        assertTrue(f.getMessage().startsWith("some/file.idx: "), f.getMessage());
        assertTrue(!f.getMessage().contains("trailing bytes") || f.getMessage().contains("gzip stream itself is "
            + "intact"), "a damaged stream is not reported as trailing bytes: " + f.getMessage());
        continue;
      }
      throw new AssertionError("a bit flip at " + at + " went undetected");
    }
    assertTrue(flips > 10, "flips tried: " + flips);
  }

  @Test
  void trailingBytes() throws IOException {
    DataFormatException e = fails(idx(0x00000801, new int[] {5}, 6), 1);
    assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
  }

  @Test
  void mnistChecksCountsAndSizes() throws IOException {
    byte[] images = idx(0x00000803, new int[] {3, 28, 28}, 3 * 784);
    byte[] labels = idx(0x00000801, new int[] {4}, 4);
    DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.read(
        new ByteArrayInputStream(images), "imgs", new ByteArrayInputStream(labels), "labs"));
    assertEquals("labs: has 4 labels but imgs has 3 images", e.getMessage());
    byte[] small = idx(0x00000803, new int[] {3, 27, 28}, 3 * 27 * 28);
    e = assertThrows(DataFormatException.class, () -> Mnist.read(new ByteArrayInputStream(small), "imgs",
        new ByteArrayInputStream(idx(0x00000801, new int[] {3}, 3)), "labs"));
    assertTrue(e.getMessage().contains("27x28"), e.getMessage());
    byte[] badLabel = idx(0x00000801, new int[] {3}, 0);
    byte[] withTen = java.util.Arrays.copyOf(badLabel, badLabel.length + 3);
    withTen[withTen.length - 1] = 10;
    e = assertThrows(DataFormatException.class, () -> Mnist.read(new ByteArrayInputStream(images), "imgs",
        new ByteArrayInputStream(withTen), "labs"));
    assertTrue(e.getMessage().contains("label 10 at index 2 is not a digit"), e.getMessage());
  }

  @Test
  void readsRealMnist() {
    Mnist.Split s = MnistData.get();
    assertEquals(60000, s.train().count());
    assertEquals(10000, s.test().count());
    // the first training image is a 5, the first test image a 7
    assertEquals(1f, s.train().y()[5]);
    assertEquals(1f, s.test().y()[7]);
    float max = 0;
    for (int i = 0; i < 784; i++) {
      max = Math.max(max, s.train().x()[i]);
    }
    assertEquals(1f, max);
  }
}
