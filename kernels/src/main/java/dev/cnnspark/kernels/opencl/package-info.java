/**
 * The Aparapi backend: one device kernel holding every arena, device discovery, and the residency rules that keep
 * device-side data from being overwritten after a garbage collection.
 */
package dev.cnnspark.kernels.opencl;
