package dev.cnnspark.driver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.driver.rounds.RoundCostModel;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.bench.BenchmarkReport;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cnnspark bench --simulate}: the round cost model ({@link RoundCostModel#DEFAULT}) for 8 to 512 executors at
 * 10 and 25 Gb/s, both aggregations, for model (a), the CIFAR model and a MobileNet-sized state. Each executor trains
 * {@code k} minibatches of {@code batch} a round at a measured speed (below); a round is that compute plus the
 * model's communication, so the scaling efficiency (the share of the round spent training) is k c / round.
 *
 * <p>Compute per example, measured by this project (batch 128, samples/s): model (a) 1,911 on this machine's 2 CPU
 * cores (deploy/bench/peers.sh) and 38,238 on one H200 (docs/gpu.md, third epoch); the CIFAR GMP model 1,347.5 and
 * 19,328. The MobileNet-sized row (MobileNet v1 at 224 x 224 with a 1,000-class head as Keras builds its top,
 * 4.25M parameters) is a state size: it is given model (a)'s compute, the communication-heavy case, since
 * MobileNet's own speed is not measured here.
 */
final class RoundSimulation {
  private static final int[] EXECUTORS = {8, 16, 32, 64, 128, 256, 512};
  private static final double[] GBPS = {10, 25};

  /** A model to simulate: its name, state bytes per worker, and samples/s on each kind of executor. */
  record Case(String name, double stateBytes, double cpuSamplesPerSecond, double gpuSamplesPerSecond) {
  }

  private final BenchmarkReport report;
  private final PrintStream out;

  RoundSimulation(BenchmarkReport report, PrintStream out) {
    this.report = report;
    this.out = out;
  }

  /** State bytes of a preset model with the default optimizer (Adadelta: two slots). */
  static double stateBytes(String model) {
    JobSpec spec = JobSpec.parse(null, "simulate", Map.of("model", model));
    Sequential m = spec.buildModel();
    m.compile(spec.buildOptimizer(), spec.buildLoss());
    ModelState s = m.state();
    return 4.0 * (s.params().length + s.moving().length + s.opt1().length + s.opt2().length);
  }

  /**
   * The driver's cost per task, measured here: jobs of 8 to 512 tasks in {@code local[2]}, each task's closure
   * carrying 16 KB (a round task's model config and engine key are of that order), the median of 5 runs each after
   * warm-up, least squares of time against tasks. It includes the two local executor threads deserializing and
   * running every task, so it is an upper bound of what a cluster's driver pays per executor.
   */
  static double measurePerTaskSeconds(PrintStream out) {
    org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf().setMaster("local[2]").setAppName("task-cost")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    int[] sizes = {8, 64, 256, 512};
    double[] medians = new double[sizes.length];
    try (org.apache.spark.api.java.JavaSparkContext sc = new org.apache.spark.api.java.JavaSparkContext(conf)) {
      byte[] payload = new byte[16 << 10];
      for (int warm = 0; warm < 5; warm++) {
        tasks(sc, 64, payload);
      }
      for (int i = 0; i < sizes.length; i++) {
        double[] t = new double[5];
        for (int r = 0; r < t.length; r++) {
          long t0 = System.nanoTime();
          tasks(sc, sizes[i], payload);
          t[r] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(t);
        medians[i] = t[t.length / 2];
      }
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < sizes.length; i++) {
      mx += sizes[i] / (double) sizes.length;
      my += medians[i] / sizes.length;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < sizes.length; i++) {
      sxy += (sizes[i] - mx) * (medians[i] - my);
      sxx += (sizes[i] - mx) * (sizes[i] - mx);
    }
    double perTask = sxy / sxx;
    out.println(String.format(Locale.ROOT, "driver cost per task, measured in local[2] (jobs of 8/64/256/512 tasks: "
        + "%.1f/%.1f/%.1f/%.1f ms): %.2f ms a task", medians[0] * 1e3, medians[1] * 1e3, medians[2] * 1e3,
        medians[3] * 1e3, perTask * 1e3));
    return perTask;
  }

  private static void tasks(org.apache.spark.api.java.JavaSparkContext sc, int n, byte[] payload) {
    java.util.List<Integer> ids = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(i);
    }
    sc.parallelize(ids, n).map(x -> x + payload.length).count();
  }

  void run(int k, int batch, double latencyMs) {
    List<Case> cases = List.of(
        new Case("model (a) mnist_cnn, Adadelta", stateBytes("{preset: mnist_cnn}"), 1911.0, 38238.0),
        new Case("CIFAR cifar_gmp, Adadelta", stateBytes("{preset: cifar_gmp}"), 1347.5, 19328.0),
        new Case("MobileNet-sized state (mobilenet_v1 224, 1000 classes), Adadelta, model (a)'s compute",
            stateBytes("{preset: mobilenet_v1, input_shape: [224, 224, 3], head: [{type: GlobalAveragePooling2D}, "
                + "{type: Dense, units: 1000, activation: softmax}]}"), 1911.0, 38238.0));
    double perTask = measurePerTaskSeconds(out);
    RoundCostModel m = RoundCostModel.DEFAULT.withPerTaskCost(perTask);
    out.println("fitted on the one-machine cluster: " + RoundCostModel.DEFAULT.describe());
    out.println("simulated with the per-executor terms set to the measured per-task cost (the fitted ones include "
        + "4 executor JVMs sharing 2 cores): " + m.describe() + String.format(Locale.ROOT, "; wire latency %.2f ms; "
        + "k = %d minibatches of %d a round", latencyMs, k, batch));
    for (Case c : cases) {
      for (String executor : new String[] {"cpu", "gpu"}) {
        double samples = executor.equals("cpu") ? c.cpuSamplesPerSecond() : c.gpuSamplesPerSecond();
        double compute = k * batch / samples;
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n%s, %s executor (%.0f samples/s, "
                + "%.0f ms of training a round), state %.1f MB per worker: round ms (scaling efficiency)%n%n"
                + "| executors | 10 Gb/s driver | 10 Gb/s sharded | 25 Gb/s driver | 25 Gb/s sharded |%n"
                + "|---|---|---|---|---|%n", c.name(), executor.equals("cpu") ? "2-core CPU" : "H200 GPU", samples,
            compute * 1e3, c.stateBytes() / 1e6));
        for (int n : EXECUTORS) {
          table.append("| ").append(n).append(" |");
          for (double gbps : GBPS) {
            RoundCostModel.Network net = RoundCostModel.Network.gbps(gbps, latencyMs);
            for (String agg : new String[] {"driver", "sharded"}) {
              double comm = m.communication(agg, n, c.stateBytes(), net);
              double round = compute + comm;
              ObjectNode j = report.line("simulate");
              j.put("model", c.name());
              j.put("executor", executor);
              j.put("executors", n);
              j.put("gbps", gbps);
              j.put("aggregation", agg);
              j.put("state_mb", Math.round(c.stateBytes() / 1e5) / 10.0);
              j.put("round_ms", Math.round(round * 1e4) / 10.0);
              j.put("communication_share", Math.round(comm / round * 1000) / 1000.0);
              j.put("scaling_efficiency", Math.round(compute / round * 1000) / 1000.0);
              j.put("driver_link_ms", Math.round(n * c.stateBytes() / net.bytesPerSecond() * 1e4) / 10.0);
              report.emit(j);
              table.append(String.format(Locale.ROOT, " %,.0f (%.0f%%) |", round * 1e3, 100 * compute / round));
            }
          }
          table.append('\n');
        }
        for (double gbps : GBPS) {
          int limit = RoundCostModel.driverLinkLimit(c.stateBytes(), RoundCostModel.Network.gbps(gbps, latencyMs),
              compute);
          table.append(String.format(Locale.ROOT, "%nAt %.0f Gb/s the driver's link alone (executors x %.1f MB in "
              + "a round) takes longer than a round's training from %s on.", gbps, c.stateBytes() / 1e6,
              limit + 1 <= 1 ? "one executor" : (limit + 1) + " executors"));
        }
        out.println(table);
      }
    }
  }
}
