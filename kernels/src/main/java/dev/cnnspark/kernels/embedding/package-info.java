/** Embedding lookup and its gradient (Keras' Embedding): kernels, reference, CPU path. */
package dev.cnnspark.kernels.embedding;
