package dev.cnnspark.driver.rounds;

import dev.cnnspark.driver.serve.TrainedModel;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import java.io.Serializable;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Feature extraction on an executor: a (frozen) base model, broadcast as a {@link TrainedModel}, run in inference
 * mode over one shard; returns the shard's outputs of the base's last layer with their labels.
 */
public final class FeatureTask implements Function<Shard, FeatureTask.Part> {
  private static final long serialVersionUID = 1L;

  /** One shard's features ({@code count} rows of the base's output) and labels. */
  public record Part(float[] x, float[] y, int count) implements Serializable {
  }

  private final Broadcast<TrainedModel> base;
  private final String backend;
  private final int threads;
  private final int batch;

  public FeatureTask(Broadcast<TrainedModel> base, String backend, int threads, int batch) {
    this.base = base;
    this.backend = backend;
    this.threads = threads;
    this.batch = batch;
  }

  @Override
  public Part call(Shard shard) throws Exception {
    Dataset d = shard.dataset();
    // the loss is never used (inference only); a base may end in any layer
    try (Sequential m = base.value().build(Loss.MEAN_SQUARED_ERROR);
         Backend b = TrainedModel.openBackend(backend, threads)) {
      m.useBackend(b);
      float[] features = d.count() == 0 ? new float[0] : m.predict(d.x(), d.count(), batch);
      return new Part(features, d.y(), d.count());
    }
  }
}
