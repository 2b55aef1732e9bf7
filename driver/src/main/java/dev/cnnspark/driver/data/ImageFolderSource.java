package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Image folders, {@code root/<class>/<image>}, with Keras' {@code image_dataset_from_directory} semantics: the
 * classes are the sub-folders sorted by name (or {@code data.class_names}, which picks and orders them), the images
 * in each sorted by name, PNG, JPEG, BMP and GIF (other files are ignored); {@code target_size} resizes with
 * bilinear interpolation (half-pixel centres, as {@code tf.image.resize}); {@code color_mode} grayscale (ITU-R 601
 * luma, as PIL's "L"), rgb or rgba; {@code label_mode: binary} for two classes and one sigmoid output. The training
 * part is {@code path}, the test part {@code test_path} (same class folders) when given. The driver lists the
 * folders; an executor decodes only its shard's files. {@code label_mode: none} (Keras' {@code labels=None}) reads
 * every image under {@code path}, sub-folders included, sorted by path, without classes: new images for
 * {@code predict}, which names each by its file.
 */
final class ImageFolderSource implements DataSource {
  private static final long serialVersionUID = 1L;
  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
  private final URI train;
  private final URI test;
  private final List<String> classNames;
  private final int[] targetSize;
  private final String colorMode;
  private final boolean binary;
  private final boolean unlabelled;
  private final Rescale rescale;

  /** @param targetSize (height, width), or null to keep the images' size (they must then all agree) */
  ImageFolderSource(URI train, URI test, List<String> classNames, int[] targetSize, String colorMode, boolean binary,
                    boolean unlabelled, Rescale rescale) {
    this.train = train;
    this.test = test;
    this.classNames = List.copyOf(classNames);
    this.targetSize = targetSize == null ? null : targetSize.clone();
    this.colorMode = colorMode;
    this.binary = binary;
    this.unlabelled = unlabelled;
    this.rescale = rescale;
  }

  @Override
  public String type() {
    return "image_folder";
  }

  @Override
  public String location() {
    return train + (test == null ? "" : " (test: " + test + ")");
  }

  private int channels() {
    return switch (colorMode) {
      case "grayscale" -> 1;
      case "rgba" -> 4;
      default -> 3;
    };
  }

  /** One image file and its class. */
  private record Entry(Path file, int cls) {
  }

  /** Every image of a root in the source's order: by class, then by file name. */
  private List<Entry> list(URI root, List<String> classes, Configuration conf) throws IOException {
    FileSystem fs = new Path(root).getFileSystem(conf);
    List<Entry> out = new ArrayList<>();
    if (unlabelled) {
      if (!isDirectory(fs, new Path(root))) {
        throw new DataFormatException(root.toString(), "not a directory (label_mode none: a folder of images)");
      }
      org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(new Path(root),
          true);
      while (it.hasNext()) {
        Path f = it.next().getPath();
        if (isImage(f.getName()) && !f.toString().contains("/.")) {
          out.add(new Entry(f, -1));
        }
      }
      if (out.isEmpty()) {
        throw new DataFormatException(root.toString(), "holds no images (PNG, JPEG, BMP or GIF), sub-folders included");
      }
      out.sort(Comparator.comparing(e -> e.file().toString()));
      return out;
    }
    for (int c = 0; c < classes.size(); c++) {
      Path dir = new Path(new Path(root), classes.get(c));
      if (!isDirectory(fs, dir)) {
        throw new DataFormatException(dir.toString(), "class folder missing (the classes are " + classes + ")");
      }
      FileStatus[] files = fs.listStatus(dir);
      Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
      int before = out.size();
      for (FileStatus f : files) {
        if (f.isFile() && isImage(f.getPath().getName())) {
          out.add(new Entry(f.getPath(), c));
        }
      }
      if (out.size() == before) {
        throw new DataFormatException(dir.toString(), "class folder holds no images (PNG, JPEG, BMP or GIF)");
      }
    }
    return out;
  }

  private static boolean isDirectory(FileSystem fs, Path p) throws IOException {
    return fs.exists(p) && fs.getFileStatus(p).isDirectory();
  }

  static boolean isImage(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private List<String> classes(Configuration conf) throws IOException {
    if (unlabelled) {
      return List.of();
    }
    if (!classNames.isEmpty()) {
      return classNames;
    }
    FileSystem fs = new Path(train).getFileSystem(conf);
    if (!isDirectory(fs, new Path(train))) {
      throw new DataFormatException(train.toString(), "not a directory (image folders: root/<class>/<image>)");
    }
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path(train))) {
      if (s.isDirectory() && !s.getPath().getName().startsWith(".")) {
        names.add(s.getPath().getName());
      }
    }
    names.sort(Comparator.naturalOrder());
    if (names.size() < 2) {
      throw new DataFormatException(train.toString(), "holds " + names.size() + " class folder(s) " + names
          + ": image folders need one sub-folder per class, at least two");
    }
    return names;
  }

  @Override
  public DataInfo describe(Configuration conf) throws IOException {
    List<String> classes = classes(conf);
    if (binary && classes.size() != 2) {
      throw new DataFormatException(train.toString(), "label_mode binary needs exactly 2 class folders, found "
          + classes.size() + " " + classes);
    }
    List<Entry> trainFiles = list(train, classes, conf);
    int testCount = test == null ? 0 : list(test, classes, conf).size();
    int[] dims;
    if (targetSize != null) {
      dims = new int[] {targetSize[0], targetSize[1], channels()};
    } else {
      BufferedImage first = null;
      DataFormatException firstProblem = null;
      for (int i = 0; i < trainFiles.size() && first == null; i++) { // the first image that decodes sets the size
        try {
          first = decode(trainFiles.get(i).file(), conf);
        } catch (DataFormatException e) {
          firstProblem = firstProblem == null ? e : firstProblem;
        }
      }
      if (first == null) {
        throw firstProblem;
      }
      dims = new int[] {first.getHeight(), first.getWidth(), channels()};
    }
    return new DataInfo(dims, classes, binary ? 1 : classes.size(), trainFiles.size(), testCount);
  }

  @Override
  public int[] labels(Part part, int count, DataInfo info, Configuration conf) throws IOException {
    List<Entry> files = list(part == Part.TRAIN ? train : test, info.classNames(), conf);
    return files.stream().limit(count).mapToInt(Entry::cls).toArray();
  }

  @Override
  public List<String> ids(Part part, int[] indices, DataInfo info, Configuration conf) throws IOException {
    List<Entry> files = list(part == Part.TRAIN ? train : test, info.classNames(), conf);
    List<String> out = new ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(files.get(i).file().toString());
    }
    return out;
  }

  @Override
  public Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf)
      throws IOException {
    List<Entry> files = list(part == Part.TRAIN ? train : test, info.classNames(), conf);
    Examples out = new Examples(info.shape(), info.classes(), binary, indices.length, mode);
    int h = info.dims()[0];
    int w = info.dims()[1];
    int ch = info.dims()[2];
    for (int idx : indices) {
      Entry e = files.get(idx);
      try {
        BufferedImage img = decode(e.file(), conf);
        if (targetSize == null && (img.getHeight() != h || img.getWidth() != w)) {
          throw new DataFormatException(e.file().toString(), "is " + img.getHeight() + "x" + img.getWidth()
              + ", the first image " + h + "x" + w + ": set data.target_size to resize them all");
        }
        Pixels.fill(img, h, w, ch, rescale, out.x(), out.nextOffset());
        if (unlabelled) {
          out.unlabelled();
        } else {
          out.label(e.cls(), e.file().toString(), "image");
        }
      } catch (DataFormatException bad) {
        out.bad(bad);
      }
    }
    return out.build();
  }

  private static BufferedImage decode(Path file, Configuration conf) throws IOException {
    BufferedImage img;
    try (InputStream in = file.getFileSystem(conf).open(file)) {
      img = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(file.toString(), "not a readable image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new DataFormatException(file.toString(), "not a readable image (no PNG, JPEG, BMP or GIF decoder "
          + "recognised its content)");
    }
    return img;
  }
}
