package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.MaxPooling2D;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.train.FitOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps through the OpenCL kernels (PoCL here, a GPU with -Dtest.groups=gpu... see the GPU tests)
 * agree with the Java path: same data, seed and initial weights, ten steps of Adam. The two paths sum in different
 * orders, so they agree to float tolerance, not bitwise; 2e-4 absolute after ten steps of lr 1e-3 is ~20x the
 * spread seen.
 */
@Tag("opencl")
class OpenClEngineTest {

  private static Sequential model() {
    return new Sequential()
        .add(new Conv2D(8, 3, "relu", Shape.of(28, 28, 1)))
        .add(new BatchNormalization())
        .add(new MaxPooling2D(2))
        .add(new Dropout(0.2))
        .add(new Flatten())
        .add(new Dense(32, "relu"))
        .add(new Dense(10, "softmax"));
  }

  private static ModelState run(dev.cnnspark.kernels.Backend backend, Dataset data) {
    try (Sequential m = model()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(backend);
      m.fit(data, new FitOptions().batchSize(40).epochs(1).seed(3).verbose(0));
      return m.state();
    }
  }

  @Test
  void openClTrainingStepsMatchTheJavaPath() {
    Dataset data = MnistData.get().train().take(400);
    ModelState java;
    try (JavaBackend b = new JavaBackend(2)) {
      java = run(b, data);
    }
    ModelState cl;
    try (OpenClBackend b = OpenClBackend.open(BackendKind.CPU, 0)) {
      cl = run(b, data);
      assertTrue(b.launches() > 10 * 20, "every op ran as an OpenCL launch: " + b.launches());
    }
    assertEquals(java.iterations(), cl.iterations());
    float worst = 0;
    for (int i = 0; i < java.params().length; i++) {
      worst = Math.max(worst, Math.abs(java.params()[i] - cl.params()[i]));
    }
    assertTrue(worst < 2e-4, "largest parameter difference Java vs OpenCL after 10 steps: " + worst);
    for (int i = 0; i < java.moving().length; i++) {
      assertEquals(java.moving()[i], cl.moving()[i], 1e-4, "BatchNorm moving statistic " + i);
    }
  }
}
