package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ListColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.orc.TypeDescription;

/**
 * The rows of an ORC file, as Spark writes a DataFrame of {@code features: array<number>} and a label (integer or
 * string), read with ORC's own reader in batches: each row handed over as its features and label.
 */
final class OrcRows {
  private OrcRows() {
  }

  /** Receives one row; false to stop. */
  @FunctionalInterface
  interface RowSink {
    boolean row(double[] features, String label, boolean numeric, int rowNumber) throws IOException;
  }

  /** Reads every row of one ORC file in order; false when the sink stopped early. */
  static boolean scan(Path file, Configuration conf, String featuresColumn, String labelColumn, RowSink sink)
      throws IOException {
    Reader reader;
    try {
      reader = OrcFile.createReader(file, OrcFile.readerOptions(conf));
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(file.toString(), "not a readable ORC file (" + e.getMessage() + ")", e);
    }
    try (reader) {
      TypeDescription schema = reader.getSchema();
      List<String> names = schema.getFieldNames();
      int f = names.indexOf(featuresColumn);
      int l = names.indexOf(labelColumn);
      if (f < 0 || l < 0) {
        throw new DataFormatException(file.toString(), "has no column '" + (f < 0 ? featuresColumn : labelColumn)
            + "' (its columns: " + names + "; data.features_column and data.label_column name them)");
      }
      if (schema.getChildren().get(f).getCategory() != TypeDescription.Category.LIST) {
        throw new DataFormatException(file.toString(), "column '" + featuresColumn + "' is "
            + schema.getChildren().get(f) + ", not an array of numbers");
      }
      VectorizedRowBatch batch = schema.createRowBatch();
      int n = 0;
      try (RecordReader rows = reader.rows()) {
        while (rows.nextBatch(batch)) {
          ListColumnVector features = (ListColumnVector) batch.cols[f];
          ColumnVector label = batch.cols[l];
          for (int r = 0; r < batch.size; r++) {
            n++;
            if (!features.noNulls && features.isNull[r] || !label.noNulls && label.isNull[r]) {
              throw new DataFormatException(file.toString(), "row " + n + ": the features or the label is null");
            }
            int from = (int) features.offsets[r];
            double[] x = new double[(int) features.lengths[r]];
            for (int k = 0; k < x.length; k++) {
              x[k] = features.child instanceof DoubleColumnVector d ? d.vector[from + k]
                  : ((LongColumnVector) features.child).vector[from + k];
            }
            boolean numeric = label instanceof LongColumnVector;
            String value = numeric ? Long.toString(((LongColumnVector) label).vector[r])
                : label instanceof BytesColumnVector b ? new String(b.vector[r], b.start[r], b.length[r],
                    StandardCharsets.UTF_8) : Double.toString(((DoubleColumnVector) label).vector[r]);
            if (!sink.row(x, value, numeric, n)) {
              return false;
            }
          }
        }
      }
      return true;
    }
  }
}
