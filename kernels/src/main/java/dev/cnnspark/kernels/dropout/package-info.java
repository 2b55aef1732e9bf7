/**
 * Inverted dropout with a stateless mask (a hash of seed and index): OpenCL kernel, reference, CPU path.
 */
package dev.cnnspark.kernels.dropout;
