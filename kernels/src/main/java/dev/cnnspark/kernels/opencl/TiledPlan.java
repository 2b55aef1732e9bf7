package dev.cnnspark.kernels.opencl;

/**
 * How one tiled product is launched: its block shape (64 x 64 in {@link TiledKernels}, or 128 x 32 in
 * {@link NarrowTiledKernels} for outputs at most 32 wide), output tiles, and how many ways its reduction is split
 * so that the launch has enough work groups to fill the device.
 *
 * <p>Splitting costs a second launch (25-30 us each on an H100 through Aparapi, from the foundation probe) and
 * {@code splits * m * n} floats of scratch written and read once. So a product is split only when its reduction is
 * long ({@link #MIN_STEPS_TO_SPLIT} k-steps or more: dense2's [128, 10] over k = 128 is not worth a second launch)
 * and its tiles alone give at most half of {@code targetGroups}; it is then split up to the target, never into
 * pieces of fewer than {@link #MIN_STEPS_PER_SPLIT} k-steps, nor into more partial sums than
 * {@link #MAX_SCRATCH_FLOATS}. The thresholds are first guesses, not measurements, still to be tuned with the GPU
 * per-op breakdown. The plan depends only on the shapes and the device's compute units, so a re-run task on the same
 * kind of device sums in the same order.
 *
 * @param narrow 128 x 32 blocks ({@link NarrowTiledKernels}) instead of 64 x 64
 * @param tilesM output tiles along m
 * @param tilesN output tiles along n
 * @param splits pieces of the k range (1: no second launch)
 */
public record TiledPlan(boolean narrow, int tilesM, int tilesN, int splits) {

  /** A split's smallest share of the reduction, in k-steps of {@link TiledKernels#TK}. */
  static final int MIN_STEPS_PER_SPLIT = 4;
  /** Reductions shorter than this many k-steps (k < 512) are never split. */
  static final int MIN_STEPS_TO_SPLIT = 32;
  /** Partial sums a split may keep in scratch: 2^24 floats (64 MB), which also keeps every index in an int. */
  static final long MAX_SCRATCH_FLOATS = 1L << 24;

  /**
   * @param targetGroups work groups that keep the device busy (4 per compute unit: enough resident groups per
   *     multiprocessor to hide memory latency on a GPU)
   */
  public static TiledPlan of(int m, int n, int k, int targetGroups) {
    if (m <= 0 || n <= 0 || k <= 0 || targetGroups <= 0) {
      throw new IllegalArgumentException("tiled product needs positive extents, got m=" + m + " n=" + n + " k=" + k
          + " targetGroups=" + targetGroups);
    }
    boolean narrow = n <= NarrowTiledKernels.NARROW_N;
    int tileM = narrow ? NarrowTiledKernels.NARROW_M : TiledKernels.TILE;
    int tileN = narrow ? NarrowTiledKernels.NARROW_N : TiledKernels.TILE;
    int tilesM = (m + tileM - 1) / tileM;
    int tilesN = (n + tileN - 1) / tileN;
    int tiles = tilesM * tilesN;
    int steps = (k + TiledKernels.TK - 1) / TiledKernels.TK;
    int splits = 1;
    if (steps >= MIN_STEPS_TO_SPLIT && 2 * tiles <= targetGroups) {
      int wanted = (targetGroups + tiles - 1) / tiles;
      long byScratch = MAX_SCRATCH_FLOATS / ((long) m * n);
      splits = (int) Math.max(1, Math.min(Math.min(wanted, steps / MIN_STEPS_PER_SPLIT), byScratch));
    }
    return new TiledPlan(narrow, tilesM, tilesN, splits);
  }

  /** Work groups of the product launch. */
  public int groups() {
    return tilesM * tilesN * splits;
  }
}
