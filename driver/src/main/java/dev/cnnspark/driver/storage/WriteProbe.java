package dev.cnnspark.driver.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The pre-flight check that a run can write where it will write, before any training: in the directory it creates
 * (if missing) a probe file, writes it, renames it (checkpoints and published models are renamed into place), reads
 * it back and deletes it. A read-only mount, a missing permission, a file where the directory should be or a full
 * quota then fails in seconds with the location named ({@link StorageException}), not after an epoch of training.
 */
public final class WriteProbe {
  private WriteProbe() {
  }

  /**
   * Probes a directory.
   *
   * @param what what the directory is for, for the message ("checkpoint.dir", "--models")
   */
  public static void directory(URI dir, Configuration conf, String what) {
    Path d = new Path(dir);
    FileSystem fs;
    try {
      fs = d.getFileSystem(conf);
    } catch (IOException | RuntimeException e) {
      throw new StorageException(what + " " + dir + ": no file system for it (" + e.getMessage() + ")", e);
    }
    String where = what + " " + fs.makeQualified(d);
    try {
      if (fs.exists(d)) {
        FileStatus s = fs.getFileStatus(d);
        if (!s.isDirectory()) {
          throw new StorageException(where + " is a file, not a directory: remove it or point " + what
              + " elsewhere");
        }
      } else if (!fs.mkdirs(d)) {
        throw new StorageException(where + " cannot be created");
      }
      String id = UUID.randomUUID().toString();
      Path probe = new Path(d, "_probe-" + id);
      Path renamed = new Path(d, "_probe-" + id + ".renamed");
      byte[] content = ("cnnspark write probe " + id).getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = fs.create(probe, false)) {
        out.write(content);
      }
      if (!fs.rename(probe, renamed)) {
        fs.delete(probe, false);
        throw new StorageException(where + ": a file written there cannot be renamed (checkpoints are renamed "
            + "into place)");
      }
      byte[] back;
      try (InputStream in = fs.open(renamed)) {
        back = in.readAllBytes();
      }
      fs.delete(renamed, false);
      if (!java.util.Arrays.equals(back, content)) {
        throw new StorageException(where + ": a file written there reads back different bytes");
      }
    } catch (IOException e) {
      throw new StorageException(where + " cannot be written: " + firstLine(e), e);
    }
  }

  /** Probes the directory an output file goes to, and that the file itself is not a directory. */
  public static void outputFile(java.nio.file.Path file, String what) {
    java.nio.file.Path abs = file.toAbsolutePath().normalize();
    if (java.nio.file.Files.isDirectory(abs)) {
      throw new StorageException(what + " " + abs + " is a directory; give a file name");
    }
    java.nio.file.Path parent = abs.getParent();
    directory(parent.toUri(), new Configuration(), what + "'s directory");
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)) + (e.getMessage() == null ? "" : " (" + e.getClass().getSimpleName()
        + ")");
  }
}
