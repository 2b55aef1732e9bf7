/**
 * Batch normalization over the channel axis: OpenCL kernels, reference, CPU path.
 */
package dev.cnnspark.kernels.norm;
