package dev.cnnspark.worker.bench;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ProfilingBackend;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.MnistData;
import dev.cnnspark.worker.Models;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.model.Trainer;

/** Developer tool: per-op time of model (a) training steps on the Java path. */
public final class ProfileStep {
  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Dataset d = MnistData.get().train().take(128 * 60);
    ProfilingBackend b = new ProfilingBackend(new JavaBackend(threads));
    try (Backend backend = b.backend(); Sequential m = Models.mnistCnn()) {
      TrainBench.compile(m);
      m.useBackend(backend);
      Trainer t = m.trainer(128);
      for (int s = 0; s < 20; s++) {
        t.trainBatch(d, null, s * 128, 128, s);
      }
      b.reset();
      long t0 = System.nanoTime();
      int steps = 40;
      for (int s = 0; s < steps; s++) {
        t.trainBatch(d, null, (20 + s) * 128, 128, s);
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%d threads: %.1f samples/s, %.1f ms/step%n", threads, steps * 128 / sec, sec * 1000 / steps);
      System.out.println(b.table());
    }
  }
}
