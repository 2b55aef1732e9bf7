package dev.cnnspark.kernels.opencl;

/**
 * The tiled products' second block shape, for outputs at most {@link #NARROW_N} wide (model (a)'s conv1 forward and
 * conv2 data gradient have 32 channels): a group computes {@link #NARROW_M} x {@link #NARROW_N} outputs, each item an
 * 8 x 2 register block (rows {@code ty + 16 i}, columns {@code tx + 16 j}), so no half of the group computes
 * padding, as it would in a 64 x 64 block. Same views, staging, splits and epilogue ({@link TileStaging}); per
 * k-step each item stages 8 elements of A and 2 of B and does 16 multiply-adds per 10 local loads.
 */
public abstract class NarrowTiledKernels extends TiledKernels {

  /** Output block height of the narrow shape. */
  public static final int NARROW_M = 128;
  /** Output block width of the narrow shape: products at most this wide use it. */
  public static final int NARROW_N = 32;
  private static final int STRIDE_A = NARROW_M + 1;
  private static final int STRIDE_B = NARROW_N + 1;

  /** One group per (split, 128 x 32 output block); launched as exactly {@code groups * GROUP} items. */
  protected final void narrowTiledProduct() {
    int lid = getLocalId();
    int s = groupSplit(NARROW_M, NARROW_N);
    int m0 = blockRow0(NARROW_M, NARROW_N);
    int n0 = blockCol0(NARROW_M, NARROW_N);
    initRows(lid, m0, NARROW_M);
    int tx = lid % 16;
    int ty = lid / 16;
    float c00 = 0f;
    float c01 = 0f;
    float c10 = 0f;
    float c11 = 0f;
    float c20 = 0f;
    float c21 = 0f;
    float c30 = 0f;
    float c31 = 0f;
    float c40 = 0f;
    float c41 = 0f;
    float c50 = 0f;
    float c51 = 0f;
    float c60 = 0f;
    float c61 = 0f;
    float c70 = 0f;
    float c71 = 0f;
    int step1 = firstStep(s + 1);
    for (int step = firstStep(s); step < step1; step++) {
      stageStep(lid, m0, n0, step, NARROW_M, NARROW_N);
      for (int kk = 0; kk < TK; kk++) {
        int rowA = kk * STRIDE_A + ty;
        int rowB = kk * STRIDE_B + tx;
        float b0 = tileB[rowB];
        float b1 = tileB[rowB + 16];
        float a = tileA[rowA];
        c00 += a * b0;
        c01 += a * b1;
        a = tileA[rowA + 16];
        c10 += a * b0;
        c11 += a * b1;
        a = tileA[rowA + 32];
        c20 += a * b0;
        c21 += a * b1;
        a = tileA[rowA + 48];
        c30 += a * b0;
        c31 += a * b1;
        a = tileA[rowA + 64];
        c40 += a * b0;
        c41 += a * b1;
        a = tileA[rowA + 80];
        c50 += a * b0;
        c51 += a * b1;
        a = tileA[rowA + 96];
        c60 += a * b0;
        c61 += a * b1;
        a = tileA[rowA + 112];
        c70 += a * b0;
        c71 += a * b1;
      }
      localBarrier();
    }
    int m = m0 + ty;
    int n = n0 + tx;
    storeProduct(s, m, n, c00);
    storeProduct(s, m, n + 16, c01);
    storeProduct(s, m + 16, n, c10);
    storeProduct(s, m + 16, n + 16, c11);
    storeProduct(s, m + 32, n, c20);
    storeProduct(s, m + 32, n + 16, c21);
    storeProduct(s, m + 48, n, c30);
    storeProduct(s, m + 48, n + 16, c31);
    storeProduct(s, m + 64, n, c40);
    storeProduct(s, m + 64, n + 16, c41);
    storeProduct(s, m + 80, n, c50);
    storeProduct(s, m + 80, n + 16, c51);
    storeProduct(s, m + 96, n, c60);
    storeProduct(s, m + 96, n + 16, c61);
    storeProduct(s, m + 112, n, c70);
    storeProduct(s, m + 112, n + 16, c71);
  }
}
