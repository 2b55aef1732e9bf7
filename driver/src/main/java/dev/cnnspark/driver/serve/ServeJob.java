package dev.cnnspark.driver.serve;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.DataSource;
import dev.cnnspark.driver.rounds.ShardSource;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.Sequential;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The set-up {@code predict} and {@code evaluate} share: the data the spec names (its test part, or with
 * {@code part = train} its training part; a source without a test part is predicted whole), the model broadcast once,
 * and one partition per worker ({@link ServeTask}).
 */
public final class ServeJob {
  public final JobSpec spec;
  public final DataPlan plan;
  public final DataSource.Part part;
  public final int count;
  public final TrainedModel model;
  public final List<String> classes;
  public final int outputs;
  private final JavaSparkContext sc;
  private final ServeTask task;

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
    this.task = new ServeTask(plan, part, count, spec.workers(), sc.broadcast(ShardSource.hadoopConf(
        sc.hadoopConfiguration())), sc.broadcast(model), spec.backend().id(), spec.threadsPerWorker(),
        Math.max(spec.batchSize(), 128));
  }

  public ServeTask task() {
    return task;
  }

  /** One element per worker: the partition numbers the tasks work on. */
  public JavaRDD<Integer> partitions(String what) {
    sc.setJobDescription(spec.name() + ": " + what + " " + count + " " + part.name().toLowerCase(Locale.ROOT)
        + " examples of " + plan.source().location());
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < spec.workers(); p++) {
      ids.add(p);
    }
    return sc.parallelize(ids, spec.workers());
  }
}
