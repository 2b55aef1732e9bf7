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
public record DataPlan(DataSource source, DataInfo info, double validationSplit, boolean skipBad,
                       int[] trainIndices, int[] validationIndices, DataSource validationSource,
                       DataInfo validationInfo) implements Serializable {
  /** What a set of examples is used for. */
  public enum Use { TRAIN, VALIDATION, TEST }

  /** A plan that fails on the first bad record, with the plain (unstratified) split. */
  public DataPlan(DataSource source, DataInfo info, double validationSplit) {
    this(source, info, validationSplit, false, null, null, null, null);
  }

  /** Resolves the spec's source and describes it (on the driver). */
  public static DataPlan of(JobSpec spec, Configuration conf, Consumer<String> log) throws IOException {
    DataSource source = DataSources.resolve(spec, log);
    DataInfo info = source.describe(conf).limited(spec.trainLimit(), spec.testLimit());
    double split = spec.validationSource().equals("split") ? spec.validationSplit() : 0;
    boolean skip = spec.dataNode().path("on_bad_record").asText("fail").equals("skip");
    if (split > 0 && spec.validationStratified()) {
      int[][] cut = stratified(source.labels(DataSource.Part.TRAIN, info.trainCount(), info, conf), info.classes(),
          split);
      return new DataPlan(source, info, split, skip, cut[0], cut[1], null, null);
    }
    if (spec.validationSource().equals("data")) {
      JobSpec other = JobSpec.parse(spec.toJson(), "validation.path", java.util.Map.of("data.path",
          JobSpec.literal(spec.validationPath()), "data.test_path", "''", "data.train_limit", "0")).validate();
      DataSource v = DataSources.resolve(other, log);
      return new DataPlan(source, info, 0, skip, null, null, v, v.describe(conf));
    }
    return new DataPlan(source, info, split, skip, null, null, null, null);
  }

  /**
   * A split that keeps each class's share: of every class, its last {@code ceil(split n_c)} examples in the source's
   * order are held out (deterministic, as the plain split is); returns the training and validation indices, sorted.
   */
  static int[][] stratified(int[] labels, int classes, double split) {
    int[] perClass = new int[classes];
    for (int l : labels) {
      perClass[l]++;
    }
    int[] held = new int[classes];
    for (int c = 0; c < classes; c++) {
      held[c] = (int) Math.ceil(perClass[c] * split);
    }
    int[] seen = new int[classes];
    int[] train = new int[labels.length];
    int[] validation = new int[labels.length];
    int t = 0;
    int v = 0;
    for (int i = 0; i < labels.length; i++) {
      int c = labels[i];
      if (seen[c]++ >= perClass[c] - held[c]) {
        validation[v++] = i;
      } else {
        train[t++] = i;
      }
    }
    return new int[][] {Arrays.copyOf(train, t), Arrays.copyOf(validation, v)};
  }

  private int cut() {
    return validationSplit > 0 ? (int) (info.trainCount() * (1 - validationSplit)) : info.trainCount();
  }

  /** Examples of a use. */
  public int count(Use use) {
    if (validationSource != null && use == Use.VALIDATION) {
      return validationInfo.trainCount();
    }
    if (trainIndices != null && use != Use.TEST) {
      return use == Use.TRAIN ? trainIndices.length : validationIndices.length;
    }
    return switch (use) {
      case TRAIN -> cut();
      case VALIDATION -> info.trainCount() - cut();
      case TEST -> info.testCount();
    };
  }

  /** The source a use reads: a separate validation source, or the job's. */
  private DataSource sourceOf(Use use) {
    return validationSource != null && use == Use.VALIDATION ? validationSource : source;
  }

  private DataInfo infoOf(Use use) {
    return validationSource != null && use == Use.VALIDATION ? validationInfo : info;
  }

  private DataSource.Part part(Use use) {
    return use == Use.TEST ? DataSource.Part.TEST : DataSource.Part.TRAIN;
  }

  /** The source index of a use's i-th example. */
  private int index(Use use, int i) {
    if (validationSource != null && use == Use.VALIDATION) {
      return i;
    }
    if (trainIndices != null && use != Use.TEST) {
      return use == Use.TRAIN ? trainIndices[i] : validationIndices[i];
    }
    return use == Use.VALIDATION ? cut() + i : i;
  }

  /** Every example of a use, in the source's order (single-node training and evaluation). */
  public Dataset all(Use use, Configuration conf) throws IOException {
    int n = count(use);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = index(use, i);
    }
    return sourceOf(use).read(part(use), idx, infoOf(use), DataSource.ReadMode.of(skipBad), conf);
  }

  /** Shard {@code p} of {@code workers} of a use: its examples in permuted order, decoding only those. */
  public Dataset shard(Use use, int p, int workers, long seed, Configuration conf) throws IOException {
    return inOrder(use, shardIndices(use, p, workers, seed), conf);
  }

  /**
   * The same shard's examples in the source's order, decoded in one pass and handed over {@code chunk} at a time, so
   * a shard larger than the heap can be written to disk with one chunk in memory; returns, for each position of the
   * shard's own order, the row of the written sequence that holds it (null when bad records were skipped: the
   * survivors then keep the source's order, as an in-memory shard does).
   */
  public int[] shard(Use use, int p, int workers, long seed, Configuration conf, int chunk, DataSource.Sink sink)
      throws IOException {
    int[] wanted = shardIndices(use, p, workers, seed);
    int[] sorted = wanted.clone();
    Arrays.sort(sorted);
    int[] written = {0};
    sourceOf(use).read(part(use), sorted, infoOf(use), new DataSource.ReadMode(skipBad, chunk, d -> {
      written[0] += d.count();
      sink.accept(d);
    }), conf);
    if (written[0] != sorted.length) {
      return null;
    }
    int[] rows = new int[wanted.length];
    for (int i = 0; i < wanted.length; i++) {
      rows[i] = Arrays.binarySearch(sorted, wanted[i]);
    }
    return rows;
  }

  /** The source indices of shard {@code p}: the permuted examples {@code [n p / W, n (p+1) / W)}. */
  private int[] shardIndices(Use use, int p, int workers, long seed) {
    int n = count(use);
    int[] perm = FitLoop.permutation(n, seed, -1);
    int from = (int) ((long) n * p / workers);
    int to = (int) ((long) n * (p + 1) / workers);
    int[] wanted = new int[to - from];
    for (int i = from; i < to; i++) {
      wanted[i - from] = index(use, perm[i]);
    }
    return wanted;
  }

  /** Decodes examples in ascending order (as sources read) and returns them in the order asked for. */
  private Dataset inOrder(Use use, int[] wanted, Configuration conf) throws IOException {
    int[] sorted = wanted.clone();
    Arrays.sort(sorted);
    Dataset read = sourceOf(use).read(part(use), sorted, infoOf(use), DataSource.ReadMode.of(skipBad), conf);
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
