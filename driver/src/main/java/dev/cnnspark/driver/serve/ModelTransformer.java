package dev.cnnspark.driver.serve;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.worker.model.Sequential;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A trained model applied to a Spark {@code Dataset<Row>}, in the shape of a Spark ML {@code Transformer}: every row's
 * features column (an array of numbers, the example's values in the model's input layout, NHWC for images) goes
 * through the model in inference mode, a partition at a time in minibatches, and the row comes back with a
 * {@code prediction} column (the class name) and a {@code probability} column (each class's probability).
 *
 * <pre>
 * Dataset&lt;Row&gt; scored = ModelTransformer.load("runs/mnist/model.cnn", spark.sparkContext().hadoopConfiguration())
 *     .setFeaturesCol("pixels").transform(images);
 * </pre>
 */
public final class ModelTransformer implements Serializable {
  private static final long serialVersionUID = 1L;
  private final TrainedModel model;
  private String featuresCol = "features";
  private String predictionCol = "prediction";
  private String probabilityCol = "probability";
  private String backend = "java";
  private int batch = 256;

  public ModelTransformer(TrainedModel model) {
    this.model = model;
  }

  /** A model from any place {@link TrainedModel#load} reads. */
  public static ModelTransformer load(String location, Configuration conf) throws IOException {
    return new ModelTransformer(TrainedModel.load(location, conf));
  }

  public ModelTransformer setFeaturesCol(String name) {
    this.featuresCol = name;
    return this;
  }

  public ModelTransformer setPredictionCol(String name) {
    this.predictionCol = name;
    return this;
  }

  public ModelTransformer setProbabilityCol(String name) {
    this.probabilityCol = name;
    return this;
  }

  /** The backend each partition runs on ({@code java}, {@code gpu}, {@code cpu}, {@code auto}); default java. */
  public ModelTransformer setBackend(String kind) {
    this.backend = kind;
    return this;
  }

  public ModelTransformer setBatchSize(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + size);
    }
    this.batch = size;
    return this;
  }

  /** The input schema with the prediction and probability columns appended; checks the features column. */
  public StructType transformSchema(StructType schema) {
    int at;
    try {
      at = schema.fieldIndex(featuresCol);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("no features column '" + featuresCol + "' (columns: "
          + List.of(schema.fieldNames()) + ")");
    }
    if (!(schema.fields()[at].dataType() instanceof ArrayType a && a.elementType() instanceof NumericType)) {
      throw new IllegalArgumentException("column '" + featuresCol + "' must be an array of numbers, got "
          + schema.fields()[at].dataType().simpleString());
    }
    for (String c : new String[] {predictionCol, probabilityCol}) {
      if (List.of(schema.fieldNames()).contains(c)) {
        throw new IllegalArgumentException("the data already has a column '" + c + "'");
      }
    }
    return schema.add(DataTypes.createStructField(predictionCol, DataTypes.StringType, false))
        .add(DataTypes.createStructField(probabilityCol, DataTypes.createArrayType(DataTypes.FloatType, false),
            false));
  }

  public Dataset<Row> transform(Dataset<Row> data) {
    StructType out = transformSchema(data.schema());
    int featureIndex = data.schema().fieldIndex(featuresCol);
    return data.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> scores(rows, featureIndex),
        Encoders.row(out));
  }

  private Iterator<Row> scores(Iterator<Row> rows, int featureIndex) throws IOException {
    List<Row> result = new ArrayList<>();
    try (Sequential m = model.build(null); Backend b = TrainedModel.openBackend(backend, 0)) {
      m.useBackend(b);
      int size = m.layout().input().size();
      int outputs = m.layout().output().size();
      List<String> names = model.classNames(outputs, List.of());
      List<Row> pending = new ArrayList<>(batch);
      float[] x = new float[batch * size];
      while (rows.hasNext() || !pending.isEmpty()) {
        if (rows.hasNext()) {
          Row r = rows.next();
          List<Object> values = r.getList(featureIndex);
          if (values.size() != size) {
            throw new IllegalArgumentException("row " + (result.size() + pending.size()) + " of this partition has "
                + values.size() + " features; the model takes " + m.layout().input() + " = " + size);
          }
          int off = pending.size() * size;
          for (int i = 0; i < size; i++) {
            x[off + i] = ((Number) values.get(i)).floatValue();
          }
          pending.add(r);
        }
        if (pending.size() == batch || (!rows.hasNext() && !pending.isEmpty())) {
          float[] y = m.predict(pending.size() == batch ? x : java.util.Arrays.copyOf(x, pending.size() * size),
              pending.size(), batch);
          for (int i = 0; i < pending.size(); i++) {
            float[] probs = outputs == 1 ? new float[] {1 - y[i], y[i]}
                : java.util.Arrays.copyOfRange(y, i * outputs, (i + 1) * outputs);
            int best = 0;
            for (int c = 1; c < probs.length; c++) {
              best = probs[c] > probs[best] ? c : best;
            }
            Object[] v = new Object[pending.get(i).length() + 2];
            for (int c = 0; c < pending.get(i).length(); c++) {
              v[c] = pending.get(i).get(c);
            }
            v[v.length - 2] = names.get(best);
            Float[] boxed = new Float[probs.length];
            for (int c = 0; c < probs.length; c++) {
              boxed[c] = probs[c];
            }
            v[v.length - 1] = boxed;
            result.add(RowFactory.create(v));
          }
          pending.clear();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result.iterator();
  }
}
