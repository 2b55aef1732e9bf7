package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet table (a file, or a directory of part files as Spark writes them: {@code part-*.parquet}, read in name
 * order) with a features column and a label column ({@code data.features_column}, {@code data.label_column}). The
 * features are an array of numbers (Spark's {@code array<float|double|int|long>}) or a Spark ML vector (dense or
 * sparse), reshaped to {@code data.shape} when given; the label an integer class index or a string, mapped to
 * {@code data.class_names} or, without them, to the sorted distinct strings. The driver reads the footers (row
 * counts, schema) and the label column; an executor reads the rows of its shard through parquet-hadoop's record
 * reader, without a SparkSession, so a lost shard is rebuilt from the files alone. The training part is
 * {@code path}, the test part {@code test_path} when given.
 */
final class ParquetSource implements DataSource {
  private static final long serialVersionUID = 1L;
  private final URI train;
  private final URI test;
  private final String featuresColumn;
  private final String labelColumn;
  private final int[] shape;
  private final List<String> classNames;
  private final boolean binary;
  private final Rescale rescale;
  private final Sequences sequences;
  private final int[] targetSize;
  private final String colorMode;

  /**
   * @param shape the example shape the features are reshaped to, or null for (features)
   * @param sequences token-id rows cut or padded to one length, or {@link Sequences#OFF}
   */
  ParquetSource(URI train, URI test, String featuresColumn, String labelColumn, int[] shape, List<String> classNames,
                boolean binary, Rescale rescale, Sequences sequences) {
    this(train, test, featuresColumn, labelColumn, shape, classNames, binary, rescale, sequences, null, "rgb");
  }

  /**
   * @param targetSize for image features (encoded bytes, Spark's image struct): (height, width) to resize to, or
   *                   null to keep the first image's size
   * @param colorMode for image features: grayscale, rgb or rgba
   */
  ParquetSource(URI train, URI test, String featuresColumn, String labelColumn, int[] shape, List<String> classNames,
                boolean binary, Rescale rescale, Sequences sequences, int[] targetSize, String colorMode) {
    this.targetSize = targetSize == null ? null : targetSize.clone();
    this.colorMode = colorMode;
    this.train = train;
    this.test = test;
    this.featuresColumn = featuresColumn;
    this.labelColumn = labelColumn;
    this.shape = shape == null ? null : shape.clone();
    this.classNames = List.copyOf(classNames);
    this.binary = binary;
    this.rescale = rescale;
    this.sequences = sequences;
  }

  @Override
  public String type() {
    return "parquet";
  }

  @Override
  public String location() {
    return train + (test == null ? "" : " (test: " + test + ")");
  }

  /** The table's files in read order, with their row counts. */
  private record Files(List<Path> paths, long[] rows) {
    long total() {
      return Arrays.stream(rows).sum();
    }
  }

  private Files files(URI table, Configuration conf) throws IOException {
    List<Path> listed = TableFiles.list(table, conf, "Parquet");
    List<Path> paths = new ArrayList<>();
    long[] rows = new long[listed.size()];
    for (int i = 0; i < rows.length; i++) {
      Path p = listed.get(i);
      paths.add(p);
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(p, conf))) {
        rows[i] = r.getRecordCount();
        checkSchema(r.getFooter().getFileMetaData().getSchema(), p);
      } catch (RuntimeException | IOException e) {
        if (e instanceof DataFormatException d) {
          throw d;
        }
        throw new DataFormatException(p.toString(), "not a readable Parquet file (" + e.getMessage() + ")", e);
      }
    }
    return new Files(paths, rows);
  }

  private void checkSchema(MessageType schema, Path p) {
    for (String c : new String[] {featuresColumn, labelColumn}) {
      if (!schema.containsField(c)) {
        throw new DataFormatException(p.toString(), "has no column '" + c + "' (its columns: " + schema.getFields()
            .stream().map(Type::getName).toList() + "; data.features_column and data.label_column name them)");
      }
    }
    Type label = schema.getType(labelColumn);
    if (!label.isPrimitive()) {
      throw new DataFormatException(p.toString(), "label column '" + labelColumn + "' is not a number or string");
    }
  }

  private static boolean stringLabels(Group row, String column) {
    PrimitiveType t = row.getType().getType(column).asPrimitiveType();
    return t.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY;
  }

  private static long intLabel(Group row, String column) {
    PrimitiveType t = row.getType().getType(column).asPrimitiveType();
    return switch (t.getPrimitiveTypeName()) {
      case INT32 -> row.getInteger(column, 0);
      case INT64 -> row.getLong(column, 0);
      case DOUBLE -> (long) row.getDouble(column, 0);
      case FLOAT -> (long) row.getFloat(column, 0);
      default -> throw new IllegalStateException("label type " + t);
    };
  }

  /** The features of a row as doubles (an array column, or a Spark ML vector struct). */
  private double[] features(Group row, Path file, long index) {
    if (row.getFieldRepetitionCount(featuresColumn) == 0) {
      throw new DataFormatException(file.toString(), "row " + index + ": the features are null");
    }
    Type t = row.getType().getType(featuresColumn);
    if (t.isPrimitive()) {
      int n = row.getFieldRepetitionCount(featuresColumn);
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = number(row, featuresColumn, i);
      }
      return out;
    }
    Group g = row.getGroup(featuresColumn, 0);
    GroupType gt = t.asGroupType();
    if (gt.containsField("values") && gt.containsField("type")) { // Spark ML VectorUDT
      int kind = g.getInteger("type", 0);
      double[] values = list(g, "values");
      if (kind == 1) {
        return values;
      }
      double[] out = new double[g.getInteger("size", 0)];
      double[] idx = list(g, "indices");
      for (int i = 0; i < idx.length; i++) {
        out[(int) idx[i]] = values[i];
      }
      return out;
    }
    return listOf(g, gt);
  }

  private static double[] list(Group parent, String field) {
    if (parent.getFieldRepetitionCount(field) == 0) {
      return new double[0];
    }
    Group g = parent.getGroup(field, 0);
    return listOf(g, g.getType());
  }

  /** A Parquet LIST (3-level {@code list.element}, or a 2-level repeated field). */
  private static double[] listOf(Group g, GroupType gt) {
    String repeated = gt.getFieldName(0);
    int n = g.getFieldRepetitionCount(repeated);
    double[] out = new double[n];
    boolean threeLevel = !gt.getType(0).isPrimitive();
    for (int i = 0; i < n; i++) {
      if (threeLevel) {
        Group e = g.getGroup(repeated, i);
        out[i] = e.getFieldRepetitionCount(0) == 0 ? Double.NaN : number(e, e.getType().getFieldName(0), 0);
      } else {
        out[i] = number(g, repeated, i);
      }
    }
    return out;
  }

  private static double number(Group g, String field, int i) {
    PrimitiveType t = g.getType().getType(field).asPrimitiveType();
    return switch (t.getPrimitiveTypeName()) {
      case FLOAT -> g.getFloat(field, i);
      case DOUBLE -> g.getDouble(field, i);
      case INT32 -> g.getInteger(field, i);
      case INT64 -> g.getLong(field, i);
      default -> throw new DataFormatException(field, "values of type " + t + " are not numbers");
    };
  }

  private ParquetReader<Group> reader(Path p, Configuration conf) throws IOException {
    return ParquetReader.builder(new GroupReadSupport(), p).withConf(conf).build();
  }

  @Override
  public DataInfo describe(Configuration conf) throws IOException {
    Files trainFiles = files(train, conf);
    Files testFiles = test == null ? null : files(test, conf);
    Labels labels = new Labels();
    int width = -1;
    int[] imageDims = null;
    for (Files f : testFiles == null ? List.of(trainFiles) : List.of(trainFiles, testFiles)) {
      for (Path p : f.paths()) {
        try (ParquetReader<Group> r = reader(p, conf)) {
          long i = 0;
          for (Group row = r.read(); row != null; row = r.read(), i++) {
            if (row.getFieldRepetitionCount(labelColumn) == 0) {
              throw new DataFormatException(p.toString(), "row " + i + ": the label is null");
            }
            if (stringLabels(row, labelColumn)) {
              labels.add(row.getString(labelColumn, 0));
            } else {
              labels.add(intLabel(row, labelColumn), p.toString(), "row " + i);
            }
            if (width < 0 && image(row) != null) {
              BufferedImage first = image(row, p, i);
              imageDims = new int[] {targetSize != null ? targetSize[0] : first.getHeight(),
                  targetSize != null ? targetSize[1] : first.getWidth(), channels()};
              width = imageDims[0] * imageDims[1] * imageDims[2];
            } else if (width < 0) {
              width = sequences.on() ? sequences.maxlen() : features(row, p, i).length;
            }
          }
        }
      }
    }
    List<String> names = labels.names(classNames, binary, location());
    int[] dims = shape == null && imageDims != null ? imageDims : TableFiles.dims(shape, width, location());
    return new DataInfo(dims, names, binary ? 1 : names.size(), (int) trainFiles.total(),
        testFiles == null ? 0 : (int) testFiles.total());
  }

  @Override
  public Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf)
      throws IOException {
    Files f = files(part == Part.TRAIN ? train : test, conf);
    Map<String, Integer> byName = Labels.byName(info.classNames());
    Examples out = new Examples(info.shape(), info.classes(), binary, indices.length, mode);
    int next = 0;
    long first = 0;
    for (int file = 0; file < f.paths().size() && next < indices.length; file++) {
      long last = first + f.rows()[file];
      if (indices[next] >= last) {
        first = last;
        continue;
      }
      Path p = f.paths().get(file);
      try (ParquetReader<Group> r = reader(p, conf)) {
        long at = first;
        for (Group row = r.read(); row != null && next < indices.length && indices[next] < last;
             row = r.read(), at++) {
          if (at != indices[next]) {
            continue;
          }
          long local = at - first;
          next++;
          try {
            record(row, p, local, byName, out);
          } catch (DataFormatException bad) {
            out.bad(bad);
          }
        }
      }
      first = last;
    }
    return out.build();
  }

  /** One row into {@code out}, or a {@link DataFormatException} naming it. */
  private void record(Group row, Path p, long local, Map<String, Integer> byName, Examples out) {
    if (image(row) != null) {
      int[] d = out.shape().dims();
      BufferedImage img = image(row, p, local);
      if (targetSize == null && (img.getHeight() != d[0] || img.getWidth() != d[1])) {
        throw new DataFormatException(p.toString(), "row " + local + ": the image is " + img.getHeight() + "x"
            + img.getWidth() + ", the first " + d[0] + "x" + d[1] + ": set data.target_size to resize them all");
      }
      Pixels.fill(img, d[0], d[1], d[2], rescale, out.x(), out.nextOffset());
      out.label(label(row, byName), p.toString(), "row " + local);
      return;
    }
    double[] x = features(row, p, local);
    if (sequences.on()) {
      x = sequences.apply(x, p.toString(), "row " + local);
    }
    out.features(x, rescale, p.toString(), "row " + local);
    out.label(label(row, byName), p.toString(), "row " + local);
  }

  private int label(Group row, Map<String, Integer> byName) {
    boolean numeric = !stringLabels(row, labelColumn);
    return Labels.classOf(numeric ? Long.toString(intLabel(row, labelColumn)) : row.getString(labelColumn, 0),
        numeric, byName);
  }

  private int channels() {
    return switch (colorMode) {
      case "grayscale" -> 1;
      case "rgba" -> 4;
      default -> 3;
    };
  }

  /** "bytes" for encoded image bytes (Spark's binaryFile content), "struct" for Spark's image source, else null. */
  private String image(Group row) {
    Type t = row.getType().getType(featuresColumn);
    if (t.isPrimitive()) {
      return t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY ? "bytes" : null;
    }
    GroupType g = t.asGroupType();
    return g.containsField("data") && g.containsField("height") && g.containsField("width")
        && g.containsField("nChannels") ? "struct" : null;
  }

  /**
   * The row's image: encoded bytes (PNG, JPEG, BMP, GIF) decoded, or Spark's image struct (height, width, nChannels
   * and row-major bytes in OpenCV's BGR or BGRA order, or one grey channel) turned into an image.
   */
  private BufferedImage image(Group row, Path file, long index) {
    if (row.getFieldRepetitionCount(featuresColumn) == 0) {
      throw new DataFormatException(file.toString(), "row " + index + ": the image is null");
    }
    if (image(row).equals("bytes")) {
      byte[] bytes = row.getBinary(featuresColumn, 0).getBytes();
      BufferedImage img;
      try {
        img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
      } catch (IOException | RuntimeException e) {
        img = null;
      }
      if (img == null) {
        throw new DataFormatException(file.toString(), "row " + index + ": the bytes are not a readable image (PNG, "
            + "JPEG, BMP or GIF)");
      }
      return img;
    }
    Group s = row.getGroup(featuresColumn, 0);
    int h = s.getInteger("height", 0);
    int w = s.getInteger("width", 0);
    int c = s.getInteger("nChannels", 0);
    byte[] data = s.getBinary("data", 0).getBytes();
    if ((c != 1 && c != 3 && c != 4) || data.length != h * w * c) {
      throw new DataFormatException(file.toString(), "row " + index + ": an image struct of " + h + "x" + w + "x" + c
          + " holds " + data.length + " bytes");
    }
    BufferedImage img = new BufferedImage(w, h, c == 4 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * c;
        int b = data[o] & 0xff;
        int g = c == 1 ? b : data[o + 1] & 0xff;
        int r = c == 1 ? b : data[o + 2] & 0xff;
        int a = c == 4 ? data[o + 3] & 0xff : 0xff;
        img.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
      }
    }
    return img;
  }
}
