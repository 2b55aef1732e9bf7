package dev.cnnspark.driver.bench;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.bench.BenchmarkReport;
import dev.cnnspark.worker.bench.KernelBench;
import dev.cnnspark.worker.bench.LocalBench;
import dev.cnnspark.worker.data.Mnist;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cnnspark bench}: training samples/s of model (a) on every backend this host has, the per-op breakdown of a
 * step, and GFLOP/s of the conv and dense ops. One JSON object per line; a backend that is not available prints a
 * line saying so rather than being skipped silently.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark training and kernels on each available backend; prints JSON lines.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--backends", split = ",", description = "Backends to measure (default: java,gpu; add cpu for the "
      + "OpenCL kernels on an OpenCL CPU device, ~100x slower than java: minutes per model).")
  List<String> backends = new ArrayList<>(List.of("java", "gpu"));

  @Option(names = "--steps", description = "Timed training steps per backend (default ${DEFAULT-VALUE}).")
  int steps = 40;

  @Option(names = "--warmup", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
  int warmup = 15;

  @Option(names = "--batch", description = "Batch size (default ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--threads", description = "Java-path threads (default: all cores).")
  Integer threads;

  @Option(names = "--kernel-forks", description = "JMH forks per kernel case; 0 runs them in this JVM (default "
      + "${DEFAULT-VALUE}).")
  int kernelForks = KernelBench.Settings.defaults().forks();

  @Option(names = "--kernel-warmup", description = "JMH warm-up iterations per kernel case (default "
      + "${DEFAULT-VALUE}).")
  int kernelWarmup = KernelBench.Settings.defaults().warmupIterations();

  @Option(names = "--kernel-iterations", description = "JMH measured iterations per kernel case (default "
      + "${DEFAULT-VALUE}).")
  int kernelIterations = KernelBench.Settings.defaults().iterations();

  @Option(names = "--kernel-iteration-ms", description = "Length of one JMH iteration in ms (default "
      + "${DEFAULT-VALUE}).")
  int kernelIterationMs = KernelBench.Settings.defaults().iterationMillis();

  @Option(names = "--kernel-cases", split = ",", description = "Kernel cases to measure (default: all: "
      + "${DEFAULT-VALUE}).")
  List<String> kernelCases = new ArrayList<>(KernelBench.Settings.defaults().cases());

  @Option(names = "--data", description = "MNIST directory URI (default: local copy or download).")
  String data = "";

  @Option(names = "--skip-kernels", description = "Only the end-to-end training benchmark.")
  boolean skipKernels;

  @Option(names = "--fit-epochs", description = "Then train each model for this many whole epochs per backend: "
      + "per-epoch samples/s and test accuracy, as the PyTorch peer's epoch mode reports them (default: none).")
  int fitEpochs;

  @Option(names = "--models", split = ",", description = "Models to train (presets; default ${DEFAULT-VALUE}).")
  List<String> models = new ArrayList<>(List.of("mnist_cnn"));

  @Option(names = "--distributed", split = ",", description = "Also run one local-mode epoch with each of these "
      + "worker counts, e.g. --distributed 1,2 (default: none).")
  List<Integer> distributed = new ArrayList<>();

  @Option(names = "--distributed-examples", description = "Training examples for --distributed (default "
      + "${DEFAULT-VALUE}).")
  int distributedExamples = 12800;

  @Option(names = "--distributed-model", description = "Preset model for --distributed, or a job spec file "
      + "(.yaml/.yml/.json) whose model section to measure, e.g. deploy/bench/wide_cnn.yaml (default "
      + "${DEFAULT-VALUE}).")
  String distributedModel = "mnist_cnn";

  @Option(names = "--averaging-frequency", description = "Minibatches per round for --distributed (default "
      + "${DEFAULT-VALUE}).")
  int averagingFrequency = 10;

  @Option(names = "--batch-per-worker", description = "Batch per worker for --distributed (default "
      + "${DEFAULT-VALUE}).")
  int batchPerWorker = 64;

  @Option(names = "--fit-rounds", description = "Only fit the round cost model to the runs deploy/bench/"
      + "round-costs.sh left in this directory, and print predicted against measured round times.")
  java.nio.file.Path fitRounds;

  @Option(names = "--simulate", description = "Only print the round cost model's round time, communication share "
      + "and scaling efficiency for 8-512 executors at 10 and 25 Gb/s (with --averaging-frequency and "
      + "--batch-per-worker).")
  boolean simulate;

  @Option(names = "--latency-ms", description = "Network latency per message for --simulate (default "
      + "${DEFAULT-VALUE}).")
  double latencyMs = 0.1;

  @Override
  public Integer call() throws Exception {
    BenchmarkReport report = new BenchmarkReport(System.out);
    if (fitRounds != null) {
      new RoundFit(report, System.out).run(fitRounds);
      return 0;
    }
    if (simulate) {
      new RoundSimulation(report, System.out).run(averagingFrequency, batchPerWorker, latencyMs);
      return 0;
    }
    // settings first: a bad kernel case or iteration count is reported before any data is read
    KernelBench.Settings kernels = skipKernels ? null
        : new KernelBench.Settings(kernelForks, kernelWarmup, kernelIterations, kernelIterationMs, kernelCases);
    if (!distributed.isEmpty()) {
      DistributedBench.modelFile(distributedModel);
    }
    if (fitEpochs < 0) {
      throw new IllegalArgumentException("--fit-epochs must be 0 or more, got " + fitEpochs);
    }
    JobSpec mnistSpec = JobSpec.parse(null, "bench", java.util.Map.of("data.path", JobSpec.literal(data == null
        ? "" : data))).validate();
    Configuration conf = new Configuration();
    DataPlan plan = DataPlan.of(mnistSpec, conf, System.err::println);
    Mnist.Split mnist = new Mnist.Split(plan.all(DataPlan.Use.TRAIN, conf), plan.all(DataPlan.Use.TEST, conf));
    String dir = plan.source().location();
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    LocalBench.run(report, backends, models, mnist.train(), batch, warmup, steps, t, kernels);
    if (fitEpochs > 0) {
      LocalBench.fit(report, backends, models, mnist, batch, fitEpochs, t);
    }
    for (int w : distributed) {
      new DistributedBench(report).run(dir, distributedModel, w, batchPerWorker, averagingFrequency,
          distributedExamples, "java");
    }
    return 0;
  }
}
