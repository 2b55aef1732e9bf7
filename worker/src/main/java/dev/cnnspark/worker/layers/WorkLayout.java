package dev.cnnspark.worker.layers;

/**
 * Hands out regions of the WORK arena while a model is built. Regions are sized for the largest batch and aligned
 * to 16 floats (64 bytes) so vector loads of a region's start are aligned.
 */
public final class WorkLayout {
  private static final int ALIGN = 16;
  private long next;

  /** Reserves {@code floats} and returns the region's offset. */
  public int reserve(long floats) {
    long off = next;
    next = (next + floats + ALIGN - 1) / ALIGN * ALIGN;
    if (next > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("activations need " + next + " floats, more than one Java array holds: "
          + "lower the batch size");
    }
    return (int) off;
  }

  public int size() {
    return (int) next;
  }
}
