package dev.cnnspark.driver.serve;

import dev.cnnspark.worker.train.KerasProgress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Moves a {@code predict}/{@code evaluate} progress bar as the serving job's tasks succeed: the job is recognised by
 * its description ({@link ServeJob#partitions}), each slice counts once (a re-run task after an executor loss does
 * not count twice), and the bar shows examples.
 */
final class ServeProgress extends SparkListener {
  private final KerasProgress bar;
  private final int slices;
  private final int count;
  private final Supplier<String> description;
  private final Set<Integer> stages = new HashSet<>();
  private final Set<Integer> done = new HashSet<>();
  private long examples;

  ServeProgress(KerasProgress bar, int slices, int count, Supplier<String> description) {
    this.bar = bar;
    this.slices = slices;
    this.count = count;
    this.description = description;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    String d = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
    if (description.get().equals(d)) {
      for (StageInfo s : CollectionConverters.asJava(start.stageInfos())) {
        if (s.numTasks() == slices) {
          stages.add(s.stageId());
        }
      }
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    if (stages.contains(end.stageId()) && end.reason() == Success$.MODULE$
        && done.add(end.taskInfo().index())) {
      examples += ServeTask.sliceSize(count, slices, end.taskInfo().index());
      bar.update(examples, Map.of());
    }
  }
}
