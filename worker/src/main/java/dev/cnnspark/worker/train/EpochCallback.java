package dev.cnnspark.worker.train;

import java.util.Map;

/** Called after each epoch with its logs (Keras' {@code on_epoch_end}). */
@FunctionalInterface
public interface EpochCallback {
  void onEpochEnd(int epoch, Map<String, Double> logs);
}
