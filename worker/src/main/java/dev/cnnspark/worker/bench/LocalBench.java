package dev.cnnspark.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.BackendUnavailableException;
import dev.cnnspark.kernels.Backends;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.model.Presets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The single-node benchmark without Spark or Hadoop on the class path: what the GPU bundle runs on hosts without a
 * Java installation (see {@code deploy/gpu-bundle/}). {@code cnnspark bench} runs the same measurements.
 * <pre>
 * java -cp ... dev.cnnspark.worker.bench.LocalBench [--backends java,gpu] [--data DIR|synthetic] [--steps 40]
 *      [--warmup 15] [--batch 128] [--threads N] [--skip-kernels] [--models mnist_cnn,tiny_cnn]
 *      [--kernel-forks 1] [--kernel-warmup 3] [--kernel-iterations 5] [--kernel-iteration-ms 1000]
 *      [--kernel-cases conv2.forward,...] [--fit-epochs N]
 * </pre>
 * With {@code --data synthetic} the examples are random (throughput does not depend on the pixels).
 * {@code --fit-epochs N} then trains each model for N whole epochs on the MNIST directory given by {@code --data}
 * ({@link FitBench}: per-epoch speed and the accuracy trajectory, the PyTorch peer's epoch protocol).
 */
public final class LocalBench {
  private LocalBench() {
  }

  public static void main(String[] args) throws Exception {
    List<String> backends = List.of("java", "gpu");
    String data = "../shared/data/mnist";
    int fitEpochs = 0;
    int steps = 40;
    int warmup = 15;
    int batch = 128;
    KernelBench.Settings k = KernelBench.Settings.defaults();
    int forks = k.forks();
    int kernelWarmup = k.warmupIterations();
    int iterations = k.iterations();
    int iterationMs = k.iterationMillis();
    List<String> cases = k.cases();
    int threads = Runtime.getRuntime().availableProcessors();
    boolean kernels = true;
    List<String> models = List.of("mnist_cnn");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--backends" -> backends = List.of(args[++i].split(","));
        case "--data" -> data = args[++i];
        case "--fit-epochs" -> fitEpochs = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--kernel-forks" -> forks = Integer.parseInt(args[++i]);
        case "--kernel-warmup" -> kernelWarmup = Integer.parseInt(args[++i]);
        case "--kernel-iterations" -> iterations = Integer.parseInt(args[++i]);
        case "--kernel-iteration-ms" -> iterationMs = Integer.parseInt(args[++i]);
        case "--kernel-cases" -> cases = List.of(args[++i].split(","));
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--skip-kernels" -> kernels = false;
        case "--models" -> models = List.of(args[++i].split(","));
        default -> {
          System.err.println("unknown argument " + args[i] + "; see the class comment of LocalBench");
          System.exit(2);
        }
      }
    }
    if (fitEpochs < 0) {
      System.err.println("--fit-epochs must be 0 or more, got " + fitEpochs);
      System.exit(2);
    }
    if (fitEpochs > 0 && data.equals("synthetic")) {
      System.err.println("--fit-epochs needs real data: give --data the MNIST directory");
      System.exit(2);
    }
    Mnist.Split mnist = data.equals("synthetic") ? null : Mnist.load(Path.of(data));
    Dataset train = mnist == null ? synthetic(batch * (warmup + steps)) : mnist.train();
    BenchmarkReport report = new BenchmarkReport(System.out);
    run(report, backends, models, train, batch, warmup, steps, threads,
        kernels ? new KernelBench.Settings(forks, kernelWarmup, iterations, iterationMs, cases) : null);
    if (fitEpochs > 0) {
      fit(report, backends, models, mnist, batch, fitEpochs, threads);
    }
  }

  /** {@link FitBench} for {@code epochs} whole epochs of each model on each backend; unavailable ones say why. */
  public static void fit(BenchmarkReport report, List<String> backends, List<String> models, Mnist.Split mnist,
                         int batch, int epochs, int threads) {
    for (String name : backends) {
      try (Backend backend = openOrReport(report, name, threads)) {
        if (backend != null) {
          for (String model : models) {
            new FitBench(report).run(backend, name, model, mnist.train(), mnist.test(), batch, epochs);
          }
        }
      }
    }
  }

  /** The named backend, or null after a line saying why this host does not have it. */
  private static Backend openOrReport(BenchmarkReport report, String name, int threads) {
    try {
      return Backends.open(BackendKind.parse(name), 0, threads);
    } catch (BackendUnavailableException e) {
      ObjectNode n = report.line("unavailable");
      n.put("backend", name);
      n.put("reason", e.getMessage());
      report.emit(n);
      return null;
    }
  }

  /** Training and (unless {@code kernels} is null) kernel benchmarks on each backend; unavailable ones say why. */
  public static void run(BenchmarkReport report, List<String> backends, List<String> models, Dataset train,
                         int batch, int warmup, int steps, int threads, KernelBench.Settings kernels) {
    for (String name : backends) {
      try (Backend backend = openOrReport(report, name, threads)) {
        if (backend != null) {
          for (String model : models) {
            new TrainBench(report).run(backend, name, model, () -> Presets.named(model), train, batch, warmup,
                steps, true);
          }
          if (kernels != null) {
            new KernelBench(report, kernels).run(name, backend.device(), threads);
          }
        }
      }
    }
  }

  /** Random images and one-hot labels of MNIST's shape. */
  public static Dataset synthetic(int n) {
    Random r = new Random(1);
    float[] x = new float[n * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(10);
    }
    return new Dataset(x, Dataset.oneHot(labels, 10), Mnist.SHAPE, 10, n);
  }
}
