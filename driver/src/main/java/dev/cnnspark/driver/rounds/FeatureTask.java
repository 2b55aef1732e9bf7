package dev.cnnspark.driver.rounds;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.Backends;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.SGD;
import java.io.Serializable;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Feature extraction on an executor: a (frozen) base model, given as its config and broadcast weights, run in
 * inference mode over one shard; returns the shard's outputs of the base's last layer with their labels.
 */
public final class FeatureTask implements Function<Shard, FeatureTask.Part> {
  private static final long serialVersionUID = 1L;

  /** One shard's features ({@code count} rows of the base's output) and labels. */
  public record Part(float[] x, float[] y, int count) implements Serializable {
  }

  private final String modelJson;
  private final Broadcast<ModelState> state;
  private final String backend;
  private final int threads;
  private final int batch;

  public FeatureTask(String modelJson, Broadcast<ModelState> state, String backend, int threads, int batch) {
    this.modelJson = modelJson;
    this.state = state;
    this.backend = backend;
    this.threads = threads;
    this.batch = batch;
  }

  @Override
  public Part call(Shard shard) throws Exception {
    Dataset d = shard.dataset();
    try (Sequential base = Sequential.fromConfig(Json.MAPPER.readTree(modelJson));
         Backend b = Backends.open(BackendKind.parse(backend), 0, threads > 0 ? threads
             : Runtime.getRuntime().availableProcessors())) {
      // the loss is never used: inference only; a base may end in any layer
      base.compile(new SGD(), Loss.MEAN_SQUARED_ERROR);
      base.setState(state.value());
      base.useBackend(b);
      float[] features = d.count() == 0 ? new float[0] : base.predict(d.x(), d.count(), batch);
      return new Part(features, d.y(), d.count());
    }
  }
}
