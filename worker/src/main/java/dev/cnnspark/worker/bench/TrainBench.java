package dev.cnnspark.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ProfilingBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.model.Trainer;
import dev.cnnspark.worker.optimizers.Adadelta;
import java.util.function.Supplier;

/**
 * End-to-end training throughput of a model on one backend: {@code warmup} steps, then {@code steps} timed steps of
 * Adadelta over real examples (the step is the same whatever the optimizer, up to its per-parameter update), and the
 * per-op breakdown of the timed steps.
 */
public final class TrainBench {
  private final BenchmarkReport report;

  public TrainBench(BenchmarkReport report) {
    this.report = report;
  }

  /**
   * How every benchmark compiles its model: Adadelta as Keras' mnist_cnn example sets it (lr 1.0, rho 0.95, eps
   * 1e-7) and categorical cross-entropy, the PyTorch peer's settings.
   */
  static void compile(Sequential m) {
    m.compile(new Adadelta(1.0, 0.95, 1e-7), Loss.forOutputs(m.layout().output().size()));
  }

  /**
   * Examples for a model whose input is not the given data's (the CIFAR, IMDB and MobileNet benchmark models on an
   * MNIST run): {@code n} random inputs of its shape in [0, 1) (token ids below the Embedding's vocabulary for a
   * text model) and random labels; throughput does not depend on the values.
   */
  static Dataset syntheticFor(Sequential m, int n, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    dev.cnnspark.worker.Shape in = m.inputShape();
    int outputs = m.layout().output().size();
    float[] x = new float[n * in.size()];
    int vocab = m.layers().get(0) instanceof dev.cnnspark.worker.layers.Embedding e ? e.inputDim() : 0;
    for (int i = 0; i < x.length; i++) {
      x[i] = vocab > 0 ? r.nextInt(vocab) : (float) r.nextDouble();
    }
    float[] y = new float[n * outputs];
    for (int i = 0; i < n; i++) {
      if (outputs == 1) {
        y[i] = r.nextInt(2);
      } else {
        y[i * outputs + r.nextInt(outputs)] = 1f;
      }
    }
    return new Dataset(x, y, in, outputs, n);
  }

  public void run(Backend backend, String backendName, String modelName, Supplier<Sequential> model, Dataset data,
           int batch, int warmup, int steps, boolean breakdown) {
    ProfilingBackend prof = new ProfilingBackend(backend);
    try (Sequential m = model.get()) {
      compile(m);
      if (!m.inputShape().equals(data.shape()) || m.layout().output().size() != data.labelWidth()) {
        data = syntheticFor(m, Math.max(4 * batch, 512), 7);
      }
      m.useBackend(prof.backend());
      Trainer t = m.trainer(batch);
      int perEpoch = data.count() / batch;
      for (int s = 0; s < warmup; s++) {
        t.trainBatch(data, null, (s % perEpoch) * batch, batch, s);
      }
      t.takeMetrics();
      prof.reset();
      long t0 = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        t.trainBatch(data, null, ((warmup + s) % perEpoch) * batch, batch, s);
      }
      double[] metrics = t.takeMetrics();
      double seconds = (System.nanoTime() - t0) / 1e9;
      ObjectNode n = report.line("train");
      n.put("backend", backendName);
      n.put("device", backend.device());
      n.put("model", modelName);
      n.put("batch", batch);
      n.put("steps", steps);
      n.put("seconds", Math.round(seconds * 1000) / 1000.0);
      n.put("samples_per_s", Math.round(steps * batch / seconds * 10) / 10.0);
      n.put("ms_per_step", Math.round(seconds * 1e6 / steps) / 1000.0);
      n.put("final_loss", metrics[0] / metrics[2]);
      n.put("peak_heap_mib", Math.round(BenchmarkReport.peakHeapMiB()));
      report.emit(n);
      if (breakdown) {
        for (var e : prof.stats().entrySet()) {
          ObjectNode o = report.line("step_breakdown");
          o.put("backend", backendName);
          o.put("model", modelName);
          o.put("op", e.getKey());
          o.put("calls_per_step", e.getValue().calls / (double) steps);
          o.put("launches_per_step", e.getValue().launches / (double) steps);
          o.put("ms_per_step", Math.round(e.getValue().nanos / 1e3 / steps) / 1000.0);
          o.put("bytes_per_step", e.getValue().bytes / steps);
          report.emit(o);
        }
      }
    }
  }
}
