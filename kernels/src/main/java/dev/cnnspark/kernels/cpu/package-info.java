/**
 * The Java CPU backend: Vector API GEMM, static thread partitioning with fixed reduction groups, per-thread scratch.
 */
package dev.cnnspark.kernels.cpu;
