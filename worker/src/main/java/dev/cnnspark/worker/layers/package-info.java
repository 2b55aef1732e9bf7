/**
 * Keras-like layers: constructors validate configuration, {@code build} binds arena regions, forward and backward
 * issue backend ops.
 */
package dev.cnnspark.worker.layers;
