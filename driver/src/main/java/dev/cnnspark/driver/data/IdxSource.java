package dev.cnnspark.driver.data;

import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.IdxReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * MNIST-family IDX files (MNIST, Fashion-MNIST, KMNIST, ...): an images file of unsigned bytes (N x H x W, gzipped
 * or not) and a labels file (N) per part, in one directory under names the spec may change ({@code data.files}).
 * The driver reads the image headers and the (small) label files; an executor decompresses the images and converts
 * only its shard's examples to floats (a gzip stream cannot be entered in the middle).
 */
final class IdxSource implements DataSource {
  private static final long serialVersionUID = 1L;
  private final String type;
  private final URI dir;
  private final String[] files;
  private final List<String> classNames;
  private final boolean binary;
  private final Rescale rescale;
  private final int[] requiredSize;

  /**
   * @param type mnist or idx, for messages
   * @param files train images, train labels, test images, test labels
   * @param classNames the classes in label order; empty: "0", "1", ... up to the largest label
   * @param requiredSize (height, width) every image must have (MNIST's 28x28), or null for any
   */
  IdxSource(String type, URI dir, String[] files, List<String> classNames, boolean binary, Rescale rescale,
            int[] requiredSize) {
    this.type = type;
    this.dir = dir;
    this.files = files.clone();
    this.classNames = List.copyOf(classNames);
    this.binary = binary;
    this.rescale = rescale;
    this.requiredSize = requiredSize == null ? null : requiredSize.clone();
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public String location() {
    return dir.toString();
  }

  private Path path(int i) {
    return new Path(new Path(dir), files[i]);
  }

  private InputStream open(FileSystem fs, int i) throws IOException {
    Path p = path(i);
    try {
      return fs.open(p);
    } catch (FileNotFoundException e) {
      throw new DataFormatException(p.toString(), "missing (this IDX dataset needs " + String.join(", ", files)
          + " in " + dir + "; data.files names them)");
    }
  }

  @Override
  public DataInfo describe(Configuration conf) throws IOException {
    FileSystem fs = new Path(dir).getFileSystem(conf);
    int[][] dims = new int[2][];
    Labels seen = new Labels();
    int[] counts = new int[2];
    for (int part = 0; part < 2; part++) {
      try (InputStream in = open(fs, 2 * part)) {
        dims[part] = IdxReader.dims(in, path(2 * part).toString(), 3);
      }
      if (requiredSize != null && (dims[part][1] != requiredSize[0] || dims[part][2] != requiredSize[1])) {
        throw new DataFormatException(path(2 * part).toString(), "images are " + dims[part][1] + "x" + dims[part][2]
            + ", MNIST's are " + requiredSize[0] + "x" + requiredSize[1] + " (data.type idx reads other sizes)");
      }
      IdxReader.Idx labels;
      try (InputStream in = open(fs, 2 * part + 1)) {
        labels = IdxReader.read(in, path(2 * part + 1).toString(), 1);
      }
      if (labels.count() != dims[part][0]) {
        throw new DataFormatException(path(2 * part + 1).toString(), "has " + labels.count() + " labels but "
            + path(2 * part) + " has " + dims[part][0] + " images");
      }
      for (int k = 0; k < labels.count(); k++) {
        int label = labels.data()[k] & 0xff;
        if (!classNames.isEmpty() && label >= classNames.size()) {
          throw new DataFormatException(path(2 * part + 1).toString(), "index " + k + ": label " + label
              + " is outside the " + classNames.size() + " classes (0.." + (classNames.size() - 1) + ")");
        }
        seen.add(label, path(2 * part + 1).toString(), "index " + k);
      }
      counts[part] = dims[part][0];
    }
    if (dims[0][1] != dims[1][1] || dims[0][2] != dims[1][2]) {
      throw new DataFormatException(path(2).toString(), "test images are " + dims[1][1] + "x" + dims[1][2]
          + ", training images " + dims[0][1] + "x" + dims[0][2]);
    }
    List<String> names = seen.names(classNames, binary, location());
    return new DataInfo(new int[] {dims[0][1], dims[0][2], 1}, names, binary ? 1 : names.size(), counts[0],
        counts[1]);
  }

  @Override
  public int[] labels(Part part, int count, DataInfo info, Configuration conf) throws IOException {
    FileSystem fs = new Path(dir).getFileSystem(conf);
    int i = part == Part.TRAIN ? 1 : 3;
    try (InputStream in = open(fs, i)) {
      byte[] bytes = IdxReader.read(in, path(i).toString(), 1).data();
      int[] out = new int[count];
      for (int k = 0; k < count; k++) {
        out[k] = bytes[k] & 0xff;
      }
      return out;
    }
  }

  @Override
  public Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf)
      throws IOException {
    FileSystem fs = new Path(dir).getFileSystem(conf);
    int i = part == Part.TRAIN ? 0 : 2;
    IdxReader.Idx images;
    IdxReader.Idx labels;
    try (InputStream in = open(fs, i)) {
      images = IdxReader.read(in, path(i).toString(), 3);
    }
    try (InputStream in = open(fs, i + 1)) {
      labels = IdxReader.read(in, path(i + 1).toString(), 1);
    }
    if (images.count() != labels.count()) {
      throw new DataFormatException(path(i + 1).toString(), "has " + labels.count() + " labels but " + path(i)
          + " has " + images.count() + " images");
    }
    int h = images.dims()[1];
    int w = images.dims()[2];
    Examples out = new Examples(Shape.of(h, w, 1), info.classes(), binary, indices.length, mode);
    byte[] px = images.data();
    float[] x = out.x();
    for (int idx : indices) {
      int at = out.nextOffset();
      int from = idx * h * w;
      for (int k = 0; k < h * w; k++) {
        x[at + k] = rescale.pixel(px[from + k] & 0xff);
      }
      try {
        out.label(labels.data()[idx] & 0xff, path(i + 1).toString(), "index " + idx);
      } catch (DataFormatException bad) {
        out.bad(bad);
      }
    }
    return out.build();
  }
}
