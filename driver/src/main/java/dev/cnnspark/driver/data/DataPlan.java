package dev.cnnspark.driver.data;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.train.FitLoop;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * A job's data: its {@link DataSource}, what the driver learned of it ({@link DataInfo}, cut to the spec's limits),
 * and how the examples are used: the training part's first {@code 1 - split} for training and the rest for
 * validation when {@code validation.source} is {@code split}, the source's test part for testing. Shard {@code p} of
 * {@code W} of a use is the permuted examples {@code [n p / W, n (p+1) / W)} of a seeded permutation, so every
 * executor computes its own indices and decodes only those.
 */
public record DataPlan(DataSource source, DataInfo info, double validationSplit, boolean skipBad)
    implements Serializable {
  /** What a set of examples is used for. */
  public enum Use { TRAIN, VALIDATION, TEST }

  /** A plan that fails on the first bad record. */
  public DataPlan(DataSource source, DataInfo info, double validationSplit) {
    this(source, info, validationSplit, false);
  }

  /** Resolves the spec's source and describes it (on the driver). */
  public static DataPlan of(JobSpec spec, Configuration conf, Consumer<String> log) throws IOException {
    DataSource source = DataSources.resolve(spec, log);
    DataInfo info = source.describe(conf).limited(spec.trainLimit(), spec.testLimit());
    double split = spec.validationSource().equals("split") ? spec.validationSplit() : 0;
    return new DataPlan(source, info, split, spec.dataNode().path("on_bad_record").asText("fail").equals("skip"));
  }

  private int cut() {
    return validationSplit > 0 ? (int) (info.trainCount() * (1 - validationSplit)) : info.trainCount();
  }

  /** Examples of a use. */
  public int count(Use use) {
    return switch (use) {
      case TRAIN -> cut();
      case VALIDATION -> info.trainCount() - cut();
      case TEST -> info.testCount();
    };
  }

  private DataSource.Part part(Use use) {
    return use == Use.TEST ? DataSource.Part.TEST : DataSource.Part.TRAIN;
  }

  private int base(Use use) {
    return use == Use.VALIDATION ? cut() : 0;
  }

  /** Every example of a use, in the source's order (single-node training and evaluation). */
  public Dataset all(Use use, Configuration conf) throws IOException {
    int n = count(use);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = base(use) + i;
    }
    return source.read(part(use), idx, info, skipBad, conf);
  }

  /** Shard {@code p} of {@code workers} of a use: its examples in permuted order, decoding only those. */
  public Dataset shard(Use use, int p, int workers, long seed, Configuration conf) throws IOException {
    int n = count(use);
    int[] perm = FitLoop.permutation(n, seed, -1);
    int from = (int) ((long) n * p / workers);
    int to = (int) ((long) n * (p + 1) / workers);
    int[] wanted = new int[to - from];
    for (int i = from; i < to; i++) {
      wanted[i - from] = base(use) + perm[i];
    }
    int[] sorted = wanted.clone();
    Arrays.sort(sorted);
    Dataset read = source.read(part(use), sorted, info, skipBad, conf);
    if (read.count() != sorted.length) { // bad records were skipped: keep the survivors in the sorted order
      return read;
    }
    int s = read.shape().size();
    int w = read.labelWidth();
    float[] x = new float[read.x().length];
    float[] y = new float[read.y().length];
    for (int i = 0; i < wanted.length; i++) {
      int at = Arrays.binarySearch(sorted, wanted[i]);
      System.arraycopy(read.x(), at * s, x, i * s, s);
      System.arraycopy(read.y(), at * w, y, i * w, w);
    }
    return new Dataset(x, y, read.shape(), w, wanted.length);
  }
}
