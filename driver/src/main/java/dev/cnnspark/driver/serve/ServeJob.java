package dev.cnnspark.driver.serve;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.DataSource;
import dev.cnnspark.driver.rounds.ShardSource;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.Sequential;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import dev.cnnspark.worker.train.KerasProgress;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The set-up {@code predict} and {@code evaluate} share: the data the spec names (its test part, or with
 * {@code part = train} its training part; a source without a test part is predicted whole), the model broadcast once,
 * and the examples cut into slices, one task each ({@link ServeTask}), under a progress bar ({@link #withProgress}).
 */
public final class ServeJob {
  public final JobSpec spec;
  public final DataPlan plan;
  public final DataSource.Part part;
  public final int count;
  public final TrainedModel model;
  public final List<String> classes;
  public final int outputs;
  private static final int SLICE_EXAMPLES = 2_500;
  private final JavaSparkContext sc;
  private final ServeTask task;
  private final int slices;
  private String description = "";

  public ServeJob(JobSpec spec, JavaSparkContext sc, TrainedModel model, String partName) throws IOException {
    this.spec = spec;
    this.sc = sc;
    this.model = model;
    this.plan = DataPlan.of(spec, sc.hadoopConfiguration(), System.out::println);
    boolean hasTest = plan.info().testCount() > 0;
    this.part = switch (partName == null ? (hasTest ? "test" : "train") : partName) {
      case "test" -> {
        if (!hasTest) {
          throw new IllegalArgumentException("--part test: the data has no test part (" + plan.source().location()
              + "); use --part train");
        }
        yield DataSource.Part.TEST;
      }
      case "train" -> DataSource.Part.TRAIN;
      default -> throw new IllegalArgumentException("--part must be train or test, got '" + partName + "'");
    };
    this.count = part == DataSource.Part.TEST ? plan.info().testCount() : plan.info().trainCount();
    try (Sequential m = model.build(null)) {
      if (!m.layout().input().equals(plan.info().shape())) {
        throw new IllegalArgumentException("the model (" + model.source() + ") takes inputs of shape "
            + m.layout().input() + " but the data's examples are " + plan.info().shape());
      }
      this.outputs = m.layout().output().size();
    }
    this.classes = model.classNames(outputs, plan.info().classNames());
    this.slices = slices(count, spec.workers());
    this.task = new ServeTask(plan, part, count, slices, sc.broadcast(ShardSource.hadoopConf(
        sc.hadoopConfiguration())), sc.broadcast(model), spec.backend().id(), spec.threadsPerWorker(),
        Math.max(spec.batchSize(), 128));
  }

  public ServeTask task() {
    return task;
  }

  /**
   * Slices of the examples, one task each: at least one per worker, and enough that no task holds more than
   * {@value #SLICE_EXAMPLES} examples, so the progress bar moves as tasks finish (each task builds the model and opens
   * its backend once; a few thousand examples keep that a small part of it).
   */
  static int slices(int count, int workers) {
    return Math.max(workers, (int) Math.min(100_000, ((long) count + SLICE_EXAMPLES - 1) / SLICE_EXAMPLES));
  }

  /** One element per slice: the slice numbers the tasks work on. */
  public JavaRDD<Integer> partitions(String what) {
    description = spec.name() + ": " + what + " " + count + " " + part.name().toLowerCase(Locale.ROOT)
        + " examples of " + plan.source().location();
    sc.setJobDescription(description);
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < slices; p++) {
      ids.add(p);
    }
    return sc.parallelize(ids, slices);
  }

  /**
   * Runs {@code action} (the Spark job over {@link #partitions}) under a Keras progress bar of examples, moved as
   * the job's tasks finish.
   */
  public <T> T withProgress(java.util.function.Supplier<T> action) {
    try (KerasProgress bar = KerasProgress.plain(count, System.out)) {
      ServeProgress listener = new ServeProgress(bar, slices, count, () -> description);
      sc.sc().addSparkListener(listener);
      try {
        T result = action.get();
        bar.finish(java.util.Map.of());
        return result;
      } finally {
        sc.sc().removeSparkListener(listener);
      }
    }
  }
}
