package dev.cnnspark.kernels.opencl;

/**
 * Tiled OpenCL kernels of the conv and dense products in 64 x 64 output blocks ({@link TileStaging} has the views,
 * the staging and the epilogue they share with {@link NarrowTiledKernels}).
 *
 * <p>A work group of {@link #GROUP} items computes one block: per step of {@link #TK} along k it stages a 64 x TK
 * slice of A and a TK x 64 slice of B in local memory (each item 4 elements of each), and each item accumulates a
 * 4 x 4 register block, rows {@code ty + 16 i} and columns {@code tx + 16 j} (strided, so local reads are broadcasts
 * or consecutive; staging rows are padded to 65 floats so column stores do not hit one bank). That is 16
 * multiply-adds per 8 local loads, where the direct kernels do one per 2 global loads.
 *
 * <p>All {@link #GROUP} items of a group reach every barrier of every k-step: bounds are handled by staging zeros
 * and by guarding the final stores, never by returning early.
 */
public abstract class TiledKernels extends TileStaging {

  /** Output block edge. */
  public static final int TILE = 64;
  private static final int STRIDE = TILE + 1;

  /** One group per (split, output tile); launched as exactly {@code groups * GROUP} items, local size GROUP. */
  protected final void tiledProduct() {
    int lid = getLocalId();
    int s = groupSplit(TILE, TILE);
    int m0 = blockRow0(TILE, TILE);
    int n0 = blockCol0(TILE, TILE);
    initRows(lid, m0, TILE);
    int tx = lid % 16;
    int ty = lid / 16;
    float c00 = 0f;
    float c01 = 0f;
    float c02 = 0f;
    float c03 = 0f;
    float c10 = 0f;
    float c11 = 0f;
    float c12 = 0f;
    float c13 = 0f;
    float c20 = 0f;
    float c21 = 0f;
    float c22 = 0f;
    float c23 = 0f;
    float c30 = 0f;
    float c31 = 0f;
    float c32 = 0f;
    float c33 = 0f;
    int step1 = firstStep(s + 1);
    for (int step = firstStep(s); step < step1; step++) {
      stageStep(lid, m0, n0, step, TILE, TILE);
      for (int kk = 0; kk < TK; kk++) {
        int row = kk * STRIDE;
        float a0 = tileA[row + ty];
        float a1 = tileA[row + ty + 16];
        float a2 = tileA[row + ty + 32];
        float a3 = tileA[row + ty + 48];
        float b0 = tileB[row + tx];
        float b1 = tileB[row + tx + 16];
        float b2 = tileB[row + tx + 32];
        float b3 = tileB[row + tx + 48];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      localBarrier();
    }
    int m = m0 + ty;
    int n = n0 + tx;
    storeProduct(s, m, n, c00);
    storeProduct(s, m, n + 16, c01);
    storeProduct(s, m, n + 32, c02);
    storeProduct(s, m, n + 48, c03);
    storeProduct(s, m + 16, n, c10);
    storeProduct(s, m + 16, n + 16, c11);
    storeProduct(s, m + 16, n + 32, c12);
    storeProduct(s, m + 16, n + 48, c13);
    storeProduct(s, m + 32, n, c20);
    storeProduct(s, m + 32, n + 16, c21);
    storeProduct(s, m + 32, n + 32, c22);
    storeProduct(s, m + 32, n + 48, c23);
    storeProduct(s, m + 48, n, c30);
    storeProduct(s, m + 48, n + 16, c31);
    storeProduct(s, m + 48, n + 32, c32);
    storeProduct(s, m + 48, n + 48, c33);
  }

}
