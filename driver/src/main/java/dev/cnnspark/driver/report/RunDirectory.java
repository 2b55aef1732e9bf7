package dev.cnnspark.driver.report;

import dev.cnnspark.driver.storage.Locations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run directory on a Hadoop file system: whole files written under a temporary name and renamed into place, and
 * streams for the event files. It has a file system instance of its own that writes no {@code .crc} side files (on
 * the local file system those would sit beside the event files, and TensorBoard reads every file whose name holds
 * {@code tfevents}).
 */
public final class RunDirectory implements java.io.Closeable {
  private final FileSystem fs;
  private final Path root;

  private RunDirectory(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  /** The directory at {@code location} (created when missing). */
  public static RunDirectory at(String location, Configuration conf) throws IOException {
    URI uri = Locations.toUri(location);
    FileSystem fs = FileSystem.newInstance(uri, conf);
    fs.setWriteChecksum(false);
    Path root = fs.makeQualified(new Path(uri));
    fs.mkdirs(root);
    return new RunDirectory(fs, root);
  }

  public URI uri() {
    return root.toUri();
  }

  /** {@code name} (a path relative to the directory) as a URI string, for messages. */
  public String describe(String name) {
    return new Path(root, name).toString();
  }

  /** Writes {@code bytes} as {@code name}, replacing it: readers see the old file or the new one, never a part. */
  public void write(String name, byte[] bytes) throws IOException {
    Path target = new Path(root, name);
    fs.mkdirs(target.getParent());
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(bytes);
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not rename " + tmp + " to " + target);
    }
  }

  public void write(String name, String text) throws IOException {
    write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A new file to stream into (TensorBoard's event files grow while the run lives). */
  public OutputStream create(String name) throws IOException {
    Path target = new Path(root, name);
    fs.mkdirs(target.getParent());
    return fs.create(target, false);
  }

  /** The text of {@code name}, or empty when there is no such file. */
  public Optional<String> read(String name) throws IOException {
    Path p = new Path(root, name);
    if (!fs.exists(p)) {
      return Optional.empty();
    }
    try (FSDataInputStream in = fs.open(p)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }
}
