package dev.cnnspark.kernels.opencl;

import dev.cnnspark.kernels.ConvGeometry;

/**
 * What an op family's launcher (beside its kernels, e.g. {@code pad.PadLauncher}) needs from the backend: the one
 * device kernel whose fields it sets, and launches. Keeps each family's argument names next to its kernels instead
 * of in {@link OpenClBackend}.
 */
public interface Launch {

  DeviceKernel kernel();

  /** Launches {@code op} over {@code total} work items (rounded up to whole work groups). */
  void run(int op, int total);

  /** Work items that fill the device: the groups a tiled product aims for ({@link TiledPlan}) times the group size. */
  int parallelItems();

  /** Sets the kernel's geometry fields (n .. oc) from {@code g}. */
  void geometry(ConvGeometry g);

  /** {@code GRADS[dbOff + j] += sum_r WORK[dyOff + r * cols + j]}, the split reduction the conv ops use. */
  void biasGrad(int rows, int cols, int dyOff, int dbOff);
}
