package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a table: the location itself when it is a file, else its part files as Spark writes them (every
 * non-empty file whose name does not start with {@code _} or {@code .}, so {@code _SUCCESS} and checksums are
 * skipped), in name order: the order that numbers the table's rows.
 */
final class TableFiles {
  private TableFiles() {
  }

  /** A table's example shape: {@code data.shape} (which must hold {@code width} values) or one axis of them. */
  static int[] dims(int[] shape, int width, String location) {
    int[] dims = shape != null ? shape : new int[] {width};
    int n = java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    if (n != width) {
      throw new DataFormatException(location, "rows hold " + width + " features, data.shape "
          + java.util.Arrays.toString(dims) + " needs " + n);
    }
    return dims;
  }

  static List<Path> list(URI table, Configuration conf, String format) throws IOException {
    Path root = new Path(table);
    FileSystem fs = root.getFileSystem(conf);
    FileStatus status;
    try {
      status = fs.getFileStatus(root);
    } catch (FileNotFoundException e) {
      throw new DataFormatException(table.toString(), "missing (a " + format + " file or a directory of part files)");
    }
    if (!status.isDirectory()) {
      return List.of(status.getPath());
    }
    List<FileStatus> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      String n = s.getPath().getName();
      if (s.isFile() && !n.startsWith("_") && !n.startsWith(".") && s.getLen() > 0) {
        parts.add(s);
      }
    }
    if (parts.isEmpty()) {
      throw new DataFormatException(table.toString(), "holds no " + format + " part files");
    }
    parts.sort(Comparator.comparing(s -> s.getPath().getName()));
    return parts.stream().map(FileStatus::getPath).toList();
  }
}
