/**
 * 2-D convolution forward, backward-data, backward-filter and bias gradient: OpenCL kernels (direct), reference,
 * CPU path (im2col + GEMM).
 */
package dev.cnnspark.kernels.conv;
