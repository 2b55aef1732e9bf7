/**
 * Compute only: the ops a CNN training step needs, float32, NHWC.
 *
 * <p>Every op exists three times, side by side in its family's package ({@code conv}, {@code dense}, {@code pool},
 * {@code activation}, {@code loss}, {@code norm}, {@code dropout}, {@code optim}):
 * <ul>
 *   <li>an Aparapi OpenCL kernel method ({@code *Kernels}), compiled into the one {@link dev.cnnspark.kernels.opencl.DeviceKernel}
 *       so that all arenas stay resident on the device between ops;</li>
 *   <li>a plain-Java reference ({@code *Reference}): simple loops, double accumulators, the ground truth of the tests;</li>
 *   <li>the fast CPU path ({@code *Cpu}) used by the {@code java} backend (Vector API GEMM, threads).</li>
 * </ul>
 * The engine sees none of this: it talks to a {@link dev.cnnspark.kernels.Backend} with offsets into a few flat
 * {@link dev.cnnspark.kernels.Arena arenas}.
 */
package dev.cnnspark.kernels;
