/**
 * Keras' training loop pieces: fit options, the epoch loop, history, progress line, evaluation and confusion matrix.
 */
package dev.cnnspark.worker.train;
