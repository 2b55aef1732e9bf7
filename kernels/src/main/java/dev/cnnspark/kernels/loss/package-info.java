/**
 * Losses (fused softmax/sigmoid + cross-entropy, cross-entropies on probabilities, MSE) with per-row statistics:
 * OpenCL kernel and reference (which the CPU path runs).
 */
package dev.cnnspark.kernels.loss;
