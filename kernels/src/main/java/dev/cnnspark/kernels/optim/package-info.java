/**
 * Optimizer updates over the flat parameter vector: OpenCL kernel, reference, CPU path.
 */
package dev.cnnspark.kernels.optim;
