package dev.cnnspark.driver.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The peak JVM heap each executor (and the driver) used during the application, from Spark's own executor metrics
 * ({@code JVMHeapMemory}, sampled every {@code spark.executor.metrics.pollingInterval}, else with each heartbeat):
 * what a run reports at its end, so "the training set need not fit in the heap" is a measured statement.
 */
public final class HeapPeaks {
  private HeapPeaks() {
  }

  /** Executor id ("driver" for the driver) to its peak heap in bytes, for the executors that reported one. */
  public static Map<String, Long> peaks(JavaSparkContext sc) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (ExecutorSummary e : CollectionConverters.asJava(sc.sc().statusStore().executorList(false))) {
      if (e.peakMemoryMetrics().isDefined()) {
        out.put(e.id(), e.peakMemoryMetrics().get().getMetricValue("JVMHeapMemory"));
      }
    }
    return out;
  }

  /** "driver 812 MiB, 0 401 MiB, ...", or a note that Spark reported none. */
  public static String describe(JavaSparkContext sc) {
    Map<String, Long> p = peaks(sc);
    if (p.isEmpty()) {
      return "not reported by Spark (no executor metrics yet)";
    }
    StringBuilder sb = new StringBuilder();
    p.forEach((id, bytes) -> sb.append(sb.length() == 0 ? "" : ", ").append(id.equals("driver") ? "driver"
        : "executor " + id).append(' ').append(String.format(java.util.Locale.ROOT, "%,d MiB", bytes >> 20)));
    return sb.toString();
  }
}
