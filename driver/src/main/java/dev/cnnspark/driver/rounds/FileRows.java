package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Rows;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A shard on an executor's local disk ({@code data.shard_storage: disk}): every input row, then every label row,
 * float32 little-endian, read one row at a time with positional reads, so a worker's heap holds a minibatch rather
 * than its shard and the operating system's page cache does the rest. Written once per shard by
 * {@link #append}-ing chunks, then opened for reading.
 */
final class FileRows implements Rows, Closeable {
  private final Path file;
  private final Shape shape;
  private final int labelWidth;
  private final int count;
  private final FileChannel channel;
  private final ThreadLocal<ByteBuffer> buffers;
  private final int[] rows;

  /** @param rows the file row of each index (the shard's order over a file written in the source's), or null */
  FileRows(Path file, Shape shape, int labelWidth, int count, int[] rows) throws IOException {
    this.file = file;
    this.rows = rows == null ? null : rows.clone();
    this.shape = shape;
    this.labelWidth = labelWidth;
    this.count = count;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    int row = Math.max(shape.size(), labelWidth) * Float.BYTES;
    this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(row).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** Writes a shard file from datasets appended in order: each chunk's inputs first, labels collected after. */
  static final class Writer implements Closeable {
    private final Path file;
    private final Path labels;
    private final FileChannel x;
    private final FileChannel y;
    private int count;

    Writer(Path file) throws IOException {
      this.file = file;
      this.labels = file.resolveSibling(file.getFileName() + ".labels");
      Files.createDirectories(file.getParent());
      this.x = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      this.y = FileChannel.open(labels, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    void append(Dataset d) throws IOException {
      write(x, d.x());
      write(y, d.y());
      count += d.count();
    }

    int count() {
      return count;
    }

    private static void write(FileChannel c, float[] values) throws IOException {
      ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      while (b.hasRemaining()) {
        c.write(b);
      }
    }

    /** Moves the labels behind the inputs, in one file. */
    @Override
    public void close() throws IOException {
      y.position(0);
      long n = y.size();
      long done = 0;
      while (done < n) {
        done += y.transferTo(done, n - done, x);
      }
      x.close();
      y.close();
      Files.deleteIfExists(labels);
    }
  }

  private void read(long position, int floats, float[] dst, int off) {
    ByteBuffer b = buffers.get();
    b.clear().limit(floats * Float.BYTES);
    try {
      while (b.hasRemaining()) {
        if (channel.read(b, position + b.position()) < 0) {
          throw new IOException("unexpected end of shard file " + file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading shard file " + file, e);
    }
    b.flip();
    b.asFloatBuffer().get(dst, off, floats);
  }

  @Override
  public void copyX(int index, float[] dst, int off) {
    int n = shape.size();
    read((long) row(index) * n * Float.BYTES, n, dst, off);
  }

  @Override
  public void copyY(int index, float[] dst, int off) {
    read(((long) count * shape.size() + (long) row(index) * labelWidth) * Float.BYTES, labelWidth, dst, off);
  }

  private int row(int index) {
    return rows == null ? index : rows[index];
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public Shape shape() {
    return shape;
  }

  @Override
  public int labelWidth() {
    return labelWidth;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return file.toString();
  }

  /** Closes and deletes the file (the run that wrote it is over). */
  void delete() {
    try {
      close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover file in spark.local.dir; Spark's own cleanup of the directory removes it
    }
  }
}
