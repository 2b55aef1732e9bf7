/**
 * Element-wise activations and row-wise softmax: OpenCL kernel, reference, CPU path.
 */
package dev.cnnspark.kernels.activation;
