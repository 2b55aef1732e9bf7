/**
 * The dense layer's three products: OpenCL kernels, reference, CPU path (GEMM).
 */
package dev.cnnspark.kernels.dense;
