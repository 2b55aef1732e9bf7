package dev.cnnspark.driver.serve;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.DataSource;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.train.ConfusionMatrix;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What {@code predict} and {@code evaluate} run on an executor: partition p of W takes the part's examples
 * {@code [n p / W, n (p + 1) / W)} in the source's order (so every example is named once, by {@link
 * DataSource#ids}), decodes only those, and runs the broadcast model over them in inference mode.
 */
public final class ServeTask implements Serializable {
  private static final long serialVersionUID = 1L;
  private final DataPlan plan;
  private final DataSource.Part part;
  private final int count;
  private final int slices;
  private final Broadcast<HashMap<String, String>> hadoopConf;
  private final Broadcast<TrainedModel> model;
  private final String backend;
  private final int threads;
  private final int batch;

  public ServeTask(DataPlan plan, DataSource.Part part, int count, int slices,
                   Broadcast<HashMap<String, String>> hadoopConf, Broadcast<TrainedModel> model, String backend,
                   int threads, int batch) {
    this.plan = plan;
    this.part = part;
    this.count = count;
    this.slices = slices;
    this.hadoopConf = hadoopConf;
    this.model = model;
    this.backend = backend;
    this.threads = threads;
    this.batch = batch;
  }

  /** The examples of slice p: the p-th of {@code slices} consecutive ranges ({@link #sliceSize}). */
  private int[] indices(int p) {
    int from = (int) ((long) count * p / slices);
    int to = (int) ((long) count * (p + 1) / slices);
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    return idx;
  }

  /** Examples in slice p of {@code slices} over {@code count}. */
  static int sliceSize(int count, int slices, int p) {
    return (int) ((long) count * (p + 1) / slices) - (int) ((long) count * p / slices);
  }

  private Configuration conf() {
    Configuration conf = new Configuration(false);
    hadoopConf.value().forEach(conf::set);
    return conf;
  }

  private Backend open() {
    return TrainedModel.openBackend(backend, threads);
  }

  /**
   * Rows of partition p: the example's id, its labelled class (the data's name for it), the predicted class and the
   * probability of each class ({@code names}, the model's outputs).
   */
  public Iterator<Row> predict(int p, List<String> names) throws IOException {
    List<String> dataClasses = plan.info().classNames();
    int[] idx = indices(p);
    if (idx.length == 0) {
      return java.util.Collections.emptyIterator();
    }
    Configuration conf = conf();
    Dataset d = plan.source().read(part, idx, plan.info(), DataSource.ReadMode.FAIL, conf);
    List<String> ids = plan.source().ids(part, idx, plan.info(), conf);
    float[] out;
    int outputs;
    try (Sequential m = model.value().build(null); Backend b = open()) {
      m.useBackend(b);
      outputs = m.layout().output().size();
      out = m.predict(d.x(), d.count(), batch);
    }
    List<Row> rows = new ArrayList<>(d.count());
    int w = d.labelWidth();
    for (int i = 0; i < d.count(); i++) {
      float[] probs = outputs == 1 ? new float[] {1 - out[i], out[i]} : java.util.Arrays.copyOfRange(out,
          i * outputs, (i + 1) * outputs);
      int best = 0;
      for (int c = 1; c < probs.length; c++) {
        if (probs[c] > probs[best]) {
          best = c;
        }
      }
      int truth = w == 1 ? (d.y()[i] >= 0.5f ? 1 : 0) : argmax(d.y(), i * w, w);
      Object[] values = new Object[3 + probs.length];
      values[0] = ids.get(i);
      values[1] = truth < dataClasses.size() ? dataClasses.get(truth) : null;
      values[2] = names.get(best);
      for (int c = 0; c < probs.length; c++) {
        values[3 + c] = probs[c];
      }
      rows.add(RowFactory.create(values));
    }
    return rows.iterator();
  }

  /** Loss and accuracy sums and the confusion matrix of partition p, with {@code loss}. */
  public EvalResult evaluate(int p, Loss loss, int classes) throws IOException {
    int[] idx = indices(p);
    if (idx.length == 0) {
      return new EvalResult();
    }
    Dataset d = plan.source().read(part, idx, plan.info(), DataSource.ReadMode.FAIL, conf());
    try (Sequential m = model.value().build(loss); Backend b = open()) {
      m.useBackend(b);
      m.checkData(d, "evaluation data");
      ConfusionMatrix cm = new ConfusionMatrix(classes);
      double[] s = m.trainer(batch).evaluate(d, cm);
      return new EvalResult(s[0], s[1], (long) s[2], cm);
    }
  }

  private static int argmax(float[] a, int off, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (a[off + j] > a[off + best]) {
        best = j;
      }
    }
    return best;
  }
}
