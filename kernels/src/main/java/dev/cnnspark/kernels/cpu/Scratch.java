package dev.cnnspark.kernels.cpu;

/**
 * Per-thread scratch buffers of the CPU path, grown on demand and reused across steps so a training step allocates
 * nothing. Slot = the {@link Parallel} chunk index; kind = which buffer of the op.
 */
final class Scratch {
  private final float[][][] buffers;

  Scratch(int threads, int kinds) {
    buffers = new float[threads][kinds][];
  }

  /** A buffer of at least {@code length} floats; contents are whatever the last user left. */
  float[] get(int slot, int kind, int length) {
    float[] b = buffers[slot][kind];
    if (b == null || b.length < length) {
      b = new float[length];
      buffers[slot][kind] = b;
    }
    return b;
  }
}
