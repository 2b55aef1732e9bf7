package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Backend;

/**
 * One forward or backward pass over a minibatch.
 *
 * @param backend where the ops run
 * @param rows examples in this minibatch (at most the batch size the model was bound with)
 * @param training training mode (dropout active, BatchNorm on batch statistics)
 * @param seed this step's seed; layers derive their own from it (dropout masks)
 */
public record Pass(Backend backend, int rows, boolean training, long seed) {

  /** A seed for layer {@code index} in this step: the same step and layer always give the same seed. */
  public long layerSeed(int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
