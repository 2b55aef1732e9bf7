/**
 * 2-D max and average pooling: OpenCL kernels (gather-style backward, no atomics), reference, CPU path.
 */
package dev.cnnspark.kernels.pool;
