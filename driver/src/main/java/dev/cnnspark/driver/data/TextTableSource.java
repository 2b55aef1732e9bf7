package dev.cnnspark.driver.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Text tables, as Spark writes them ({@code df.write.option("header", true).csv(...)}, {@code df.write.json(...)}):
 * a file or a directory of part files read in name order.
 * <ul>
 * <li>CSV with a header row in every file: the label column ({@code data.label_column}) and, as the features, every
 *   other column in order (the Kaggle MNIST layout: {@code label,pixel0,...,pixel783}); plain comma-separated
 *   numbers, no quoting.</li>
 * <li>JSON lines: one object per line with the features column (an array of numbers) and the label column.</li>
 * </ul>
 * Labels are integer class indices or strings (mapped to {@code data.class_names} or the sorted distinct names);
 * {@code data.shape} reshapes the features. A row of the wrong length, a value that is not a finite number, a
 * missing column or label is refused with the file and line named.
 */
final class TextTableSource implements DataSource {
  private static final long serialVersionUID = 1L;
  private final String format;
  private final boolean csv;
  private final URI train;
  private final URI test;
  private final String featuresColumn;
  private final String labelColumn;
  private final int[] shape;
  private final List<String> classNames;
  private final boolean binary;
  private final Rescale rescale;
  private final Sequences sequences;

  TextTableSource(String format, URI train, URI test, String featuresColumn, String labelColumn, int[] shape,
                  List<String> classNames, boolean binary, Rescale rescale, Sequences sequences) {
    this.format = format;
    this.csv = format.equals("csv");
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
    return format;
  }

  /** A record's name in messages: a text file's line, an ORC file's row (both from 1). */
  private String where(int n) {
    return (format.equals("orc") ? "row " : "line ") + n;
  }

  @Override
  public String location() {
    return train + (test == null ? "" : " (test: " + test + ")");
  }

  /** One parsed row: its features and its label (a number or a string). */
  private record Row(double[] features, String label, boolean numeric) {
  }

  /** Reads every row of a table in order, handing each to {@code visit} with its file and line. */
  private void scan(URI table, Configuration conf, RowVisitor visit) throws IOException {
    for (Path p : TableFiles.list(table, conf, format.toUpperCase(java.util.Locale.ROOT))) {
      if (format.equals("orc")) {
        if (!OrcRows.scan(p, conf, featuresColumn, labelColumn, (features, label, numeric, n) ->
            visit.row(new Row(features, label, numeric), p, n))) {
          return;
        }
        continue;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getFileSystem(conf).open(p),
          StandardCharsets.UTF_8), 1 << 16)) {
        int labelAt = -1;
        int line = 0;
        for (String s = r.readLine(); s != null; s = r.readLine()) {
          line++;
          if (s.isBlank()) {
            continue;
          }
          if (csv && labelAt < 0) {
            List<String> header = Arrays.asList(s.split(",", -1));
            labelAt = header.indexOf(labelColumn);
            if (labelAt < 0) {
              throw new DataFormatException(p.toString(), "line 1: the header has no column '" + labelColumn
                  + "' (data.label_column); CSV tables need a header row");
            }
            continue;
          }
          if (!visit.row(csv ? csvRow(s, labelAt, p, line) : jsonRow(s, p, line), p, line)) {
            return;
          }
        }
      }
    }
  }

  @FunctionalInterface
  private interface RowVisitor {
    /** False to stop. */
    boolean row(Row row, Path file, int line) throws IOException;
  }

  private static Row csvRow(String s, int labelAt, Path file, int line) {
    String[] cells = s.split(",", -1);
    if (labelAt >= cells.length) {
      throw new DataFormatException(file.toString(), "line " + line + ": " + cells.length + " columns, no label");
    }
    double[] x = new double[cells.length - 1];
    for (int i = 0, k = 0; i < cells.length; i++) {
      if (i != labelAt) {
        x[k++] = number(cells[i], file, line, i);
      }
    }
    String label = cells[labelAt].trim();
    return new Row(x, label, isInteger(label));
  }

  private Row jsonRow(String s, Path file, int line) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DataFormatException(file.toString(), "line " + line + ": not a JSON object (" + e.getOriginalMessage()
          + ")");
    }
    JsonNode f = n.get(featuresColumn);
    JsonNode l = n.get(labelColumn);
    if (f == null || !f.isArray() || l == null || l.isNull()) {
      throw new DataFormatException(file.toString(), "line " + line + ": needs '" + featuresColumn + "' (an array "
          + "of numbers) and '" + labelColumn + "'");
    }
    double[] x = new double[f.size()];
    for (int i = 0; i < x.length; i++) {
      if (!f.get(i).isNumber()) {
        throw new DataFormatException(file.toString(), "line " + line + ": feature " + i + " is " + f.get(i));
      }
      x[i] = f.get(i).asDouble();
    }
    return new Row(x, l.asText(), l.isIntegralNumber());
  }

  private static double number(String cell, Path file, int line, int column) {
    try {
      return Double.parseDouble(cell.trim());
    } catch (NumberFormatException e) {
      throw new DataFormatException(file.toString(), "line " + line + ", column " + (column + 1) + ": '" + cell
          + "' is not a number");
    }
  }

  private static boolean isInteger(String s) {
    return s.matches("-?\\d+");
  }

  @Override
  public DataInfo describe(Configuration conf) throws IOException {
    int[] counts = new int[2];
    int[] width = {-1};
    Labels labels = new Labels();
    for (int part = 0; part < (test == null ? 1 : 2); part++) {
      int index = part;
      scan(part == 0 ? train : test, conf, (row, file, line) -> {
        if (sequences.on()) {
          width[0] = sequences.maxlen();
        } else if (width[0] < 0) {
          width[0] = row.features().length;
        } else if (row.features().length != width[0]) {
          throw new DataFormatException(file.toString(), where(line) + ": " + row.features().length
              + " features, the first row has " + width[0]);
        }
        if (row.numeric()) {
          labels.add(Long.parseLong(row.label()), file.toString(), where(line));
        } else {
          labels.add(row.label());
        }
        counts[index]++;
        return true;
      });
    }
    if (counts[0] == 0) {
      throw new DataFormatException(train.toString(), "holds no rows");
    }
    List<String> names = labels.names(classNames, binary, location());
    return new DataInfo(TableFiles.dims(shape, width[0], location()), names, binary ? 1 : names.size(), counts[0],
        counts[1]);
  }

  @Override
  public Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf)
      throws IOException {
    Map<String, Integer> byName = Labels.byName(info.classNames());
    Examples out = new Examples(info.shape(), info.classes(), binary, indices.length, mode);
    int[] at = {0};
    int[] next = {0};
    if (indices.length > 0) {
      scan(part == Part.TRAIN ? train : test, conf, (row, file, line) -> {
        if (at[0]++ != indices[next[0]]) {
          return true;
        }
        try {
          double[] x = sequences.on() ? sequences.apply(row.features(), file.toString(), where(line))
              : row.features();
          out.features(x, rescale, file.toString(), where(line));
          out.label(Labels.classOf(row.label(), row.numeric(), byName), file.toString(), where(line));
        } catch (DataFormatException bad) {
          out.bad(bad);
        }
        return ++next[0] < indices.length;
      });
    }
    return out.build();
  }
}
