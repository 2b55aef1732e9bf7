package dev.cnnspark.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Presets;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.train.Evaluation;
import dev.cnnspark.worker.train.FitOptions;

/**
 * Whole epochs of {@code fit} on real data, one JSON line per epoch: training-only time and samples/s, training
 * loss and accuracy, then test loss and accuracy (evaluated outside the timed part). The same protocol as the
 * PyTorch peer's epoch mode ({@code deploy/bench/pytorch_mnist_cnn.py --epochs N --optimizer adadelta}), so the
 * first-epoch and later-epoch speeds and the accuracy trajectory compare line by line. Compiled as every benchmark
 * ({@link TrainBench#compile}), shuffled each epoch from a fixed seed.
 */
public final class FitBench {
  private final BenchmarkReport report;

  public FitBench(BenchmarkReport report) {
    this.report = report;
  }

  public void run(Backend backend, String backendName, String modelName, Dataset train, Dataset test, int batch,
                  int epochs) {
    try (Sequential m = Presets.named(modelName)) {
      TrainBench.compile(m);
      m.useBackend(backend);
      for (int epoch = 0; epoch < epochs; epoch++) {
        long t0 = System.nanoTime();
        var history = m.fit(train, new FitOptions().batchSize(batch).epochs(epoch + 1).initialEpoch(epoch)
            .seed(1234).verbose(0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Evaluation e = m.evaluate(test, batch);
        ObjectNode n = report.line("fit");
        n.put("backend", backendName);
        n.put("device", backend.device());
        n.put("model", modelName);
        n.put("batch", batch);
        n.put("epoch", epoch + 1);
        n.put("train_seconds", Math.round(seconds * 1000) / 1000.0);
        n.put("samples_per_s", Math.round(train.count() / seconds * 10) / 10.0);
        n.put("loss", history.last("loss"));
        n.put("accuracy", history.last("accuracy"));
        n.put("test_loss", e.loss());
        n.put("test_accuracy", e.accuracy());
        report.emit(n);
      }
    }
  }
}
