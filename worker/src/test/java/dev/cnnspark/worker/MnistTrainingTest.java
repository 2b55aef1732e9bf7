package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.train.Evaluation;
import dev.cnnspark.worker.train.FitOptions;
import dev.cnnspark.worker.train.History;
import org.junit.jupiter.api.Test;

/** Model (a) learns MNIST on a subset (the full runs are the README's documented commands and a slow test). */
class MnistTrainingTest {

  @Test
  void mnistCnnLearnsOnSubset() {
    Mnist.Split mnist = MnistData.get();
    Dataset train = mnist.train().take(6000);
    Dataset test = mnist.test().take(2000);
    try (JavaBackend backend = new JavaBackend(Runtime.getRuntime().availableProcessors());
         Sequential model = Models.mnistCnn()) {
      model.compile(new Adam(1e-3), Loss.CATEGORICAL_CROSSENTROPY);
      model.useBackend(backend);
      long t0 = System.nanoTime();
      History h = model.fit(train, new FitOptions().batchSize(128).epochs(1).seed(7).verbose(2));
      double seconds = (System.nanoTime() - t0) / 1e9;
      Evaluation e = model.evaluate(test, 500);
      System.out.printf("6000 samples in %.1fs (%.0f samples/s); test accuracy %.4f loss %.4f%n", seconds,
          6000 / seconds, e.accuracy(), e.loss());
      System.out.println(e.confusion());
      assertTrue(h.last("loss") < 1.2, "mean training loss over one pass of 6000 examples: " + h.last("loss"));
      assertTrue(e.accuracy() >= 0.85, "test accuracy after 47 steps on 6000 examples: " + e.accuracy());
      assertTrue(e.confusion().total() == 2000);
    }
  }
}
