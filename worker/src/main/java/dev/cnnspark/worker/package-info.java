/**
 * The single-node engine and its Keras-like API: {@link dev.cnnspark.worker.model.Sequential} with layers, losses,
 * optimizers, {@code fit / evaluate / predict / summary}, weight files. Runs on any
 * {@link dev.cnnspark.kernels.Backend}; knows nothing of Spark, so the driver reuses it unchanged per partition.
 */
package dev.cnnspark.worker;
