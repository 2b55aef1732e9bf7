/**
 * Optimizers with Keras' names, parameters and defaults; the base class owns the step loop.
 */
package dev.cnnspark.worker.optimizers;
