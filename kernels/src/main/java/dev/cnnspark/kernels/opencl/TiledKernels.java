package dev.cnnspark.kernels.opencl;

/**
 * Tiled OpenCL kernels of the conv and dense products, as one implicit GEMM {@code C[M, N] = sum_k A(m, k) B(k, n)}
 * whose operands are read through a {@link #view} of the arenas (no im2col buffer); references:
 * {@link dev.cnnspark.kernels.conv.ConvReference}, {@link dev.cnnspark.kernels.dense.DenseReference}.
 *
 * <p>A work group of {@link #GROUP} items computes one {@link #TILE}x{@link #TILE} block of C: per step of
 * {@link #TK} along k it stages a TILE x TK slice of A and a TK x TILE slice of B in local memory (each item loads 4
 * of each, along whichever axis is contiguous in the arena so loads coalesce), and each item accumulates a 4x4
 * register block, rows {@code ty + 16 i} and columns {@code tx + 16 j} (strided, so local reads are broadcasts or
 * consecutive; the staging rows are padded to TILE + 1 floats so the transposed stores do not hit one bank). That
 * is 16 multiply-adds per 2 local loads, where the direct kernels do one per 2 global loads.
 *
 * <p>Products with few output tiles (the dense layer's [128, 128] forward, the conv filter gradient's [288, 64] over
 * a whole batch) are split along k: group {@code (s, tile)} covers k-steps {@code [s*steps/splits,
 * (s+1)*steps/splits)}, writes its partial block to {@code scratch}, and {@link #tiledFinish} adds the splits in
 * order. Gathers and fixed-order sums only, so every result is deterministic for a given device.
 *
 * <p>All {@link #GROUP} items of a group reach both barriers of every k-step: bounds are handled by loading zeros
 * and by guarding the final stores, never by returning early. Fields read: {@link #view}, {@link #gm},
 * {@link #gn}, {@link #gk}, {@link #gBias}, {@link #splits}, the view's geometry and offsets, {@link #fn} (activation
 * of the forward views), {@link #bOff} (the forward views' bias in PARAMS, -1: none; the filter-gradient views' bias
 * gradient in GRADS when {@link #gBias} is 1).
 */
public abstract class TiledKernels extends MemoryKernels {

  /** Output block edge. */
  public static final int TILE = 64;
  /** k-step: the depth of one staged slice. */
  public static final int TK = 16;
  /** Work items per group: 16 x 16, each owning a 4 x 4 register block. */
  public static final int GROUP = 256;
  /** Staging row stride: TILE + 1 floats, so 16 items storing down a column hit 16 different banks. */
  private static final int STRIDE = TILE + 1;

  // ---- views: what A, B and the output are for each product (see loadA, loadB, finishProduct) ----
  /** y = act(x (*) w + b): m = (b, oy, ox), n = o, k = (ky, kx, i); A = x window (WORK), B = w (PARAMS, HWIO). */
  public static final int V_CONV_FORWARD = 1;
  /** dx = dy (*)^T w: m = (b, iy, ix), n = i, k = (ky, kx, o); A = dy gathered by stride (WORK), B = w transposed. */
  public static final int V_CONV_BACKWARD_DATA = 2;
  /**
   * dw += x^T dy: m = (ky, kx, i), n = o, k = (b, oy, ox); A = x window (WORK), B = dy (WORK); into GRADS. With
   * {@link #gBias}, row gm - 1 of A is ones, so that output row is the bias gradient (into GRADS at bOff).
   */
  public static final int V_CONV_BACKWARD_FILTER = 3;
  /** y = act(x w + b): m = row, n = out, k = in. */
  public static final int V_DENSE_FORWARD = 4;
  /** dx = dy w^T: m = row, n = in, k = out. */
  public static final int V_DENSE_BACKWARD_DATA = 5;
  /** dw += x^T dy: m = in, n = out, k = row; into GRADS; the bias gradient as a ones row with {@link #gBias}. */
  public static final int V_DENSE_BACKWARD_FILTER = 6;

  /** Which product ({@code V_*}). */
  public int view;
  /** GEMM extents: rows and columns of the output, length of the reduction. */
  public int gm;
  public int gn;
  public int gk;
  /** 1 when a filter-gradient view's last row (gm - 1) is the bias gradient, 0 otherwise. */
  public int gBias;

  /** Staged A: TK rows of TILE + 1 floats here, of 129 in {@link NarrowTiledKernels}' 128-row blocks. */
  @Local
  public float[] tileA = new float[TK * (2 * TILE + 1)];
  @Local
  public float[] tileB = new float[TK * STRIDE];

  /** One group per (split, output tile); launched as exactly {@code groups * GROUP} items, local size GROUP. */
  protected final void tiledProduct() {
    int lid = getLocalId();
    int tilesN = (gn + TILE - 1) / TILE;
    int tiles = (gm + TILE - 1) / TILE * tilesN;
    int group = getGroupId();
    int s = group / tiles;
    int tile = group - s * tiles;
    int m0 = tile / tilesN * TILE;
    int n0 = tile % tilesN * TILE;
    int steps = (gk + TK - 1) / TK;
    int step0 = s * steps / splits;
    int step1 = (s + 1) * steps / splits;
    // A is contiguous along k except in the filter gradients (x window indexed by m); B along n except w transposed
    int aAlongK = view == V_CONV_BACKWARD_FILTER || view == V_DENSE_BACKWARD_FILTER ? 0 : 1;
    int bAlongN = view == V_CONV_BACKWARD_DATA || view == V_DENSE_BACKWARD_DATA ? 0 : 1;
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
    for (int step = step0; step < step1; step++) {
      int k0 = step * TK;
      for (int r = 0; r < 4; r++) {
        int e = lid + GROUP * r;
        int am = e % TILE;
        int ak = e / TILE;
        if (aAlongK == 1) {
          ak = e % TK;
          am = e / TK;
        }
        tileA[ak * STRIDE + am] = loadA(m0 + am, k0 + ak);
        int bn = e % TILE;
        int bk = e / TILE;
        if (bAlongN == 0) {
          bk = e % TK;
          bn = e / TK;
        }
        tileB[bk * STRIDE + bn] = loadB(k0 + bk, n0 + bn);
      }
      localBarrier();
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

  /** Second launch of a split product: output {@code gid} is the splits' partial sums added in order, finished. */
  protected final void tiledFinish(int gid) {
    if (gid < total) {
      int size = gm * gn;
      float acc = 0f;
      for (int s = 0; s < splits; s++) {
        acc += scratch[s * size + gid];
      }
      finishProduct(gid, gid % gn, acc);
    }
  }

  protected final void storeProduct(int s, int m, int n, float acc) {
    if (m < gm && n < gn) {
      if (splits > 1) {
        scratch[s * gm * gn + m * gn + n] = acc;
      } else {
        finishProduct(m * gn + n, n, acc);
      }
    }
  }

  /** Writes output element {@code idx} (column {@code n}): bias + activation, a plain store, or a gradient add. */
  protected final void finishProduct(int idx, int n, float acc) {
    if (view == V_CONV_FORWARD || view == V_DENSE_FORWARD) {
      float v = acc;
      if (bOff >= 0) {
        v += params[bOff + n];
      }
      work[yOff + idx] = activate(fn, v);
    } else if (view == V_CONV_BACKWARD_DATA || view == V_DENSE_BACKWARD_DATA) {
      work[dxOff + idx] = acc;
    } else if (gBias == 1 && idx >= (gm - 1) * gn) {
      grads[bOff + n] += acc;
    } else {
      grads[dwOff + idx] += acc;
    }
  }

  /** A(m, k) of the current view, 0 outside [gm, gk] or outside the image. */
  protected final float loadA(int m, int k) {
    float v = 0f;
    if (m < gm && k < gk) {
      if (gBias == 1 && m == gm - 1) {
        v = 1f;
      } else if (view == V_CONV_FORWARD) {
        int i = k % c;
        int t = k / c;
        int ox = m % ow;
        int u = m / ow;
        v = xWindow(u / oh, u % oh, ox, t / kw, t % kw, i);
      } else if (view == V_CONV_BACKWARD_DATA) {
        v = dyGather(m, k);
      } else if (view == V_CONV_BACKWARD_FILTER) {
        int i = m % c;
        int t = m / c;
        int ox = k % ow;
        int u = k / ow;
        v = xWindow(u / oh, u % oh, ox, t / kw, t % kw, i);
      } else if (view == V_DENSE_FORWARD) {
        v = work[xOff + m * len + k];
      } else if (view == V_DENSE_BACKWARD_DATA) {
        v = work[dyOff + m * cols + k];
      } else {
        v = work[xOff + k * len + m];
      }
    }
    return v;
  }

  /** B(k, n) of the current view, 0 outside [gk, gn]. */
  protected final float loadB(int k, int n) {
    float v = 0f;
    if (k < gk && n < gn) {
      if (view == V_CONV_FORWARD) {
        v = params[wOff + k * oc + n];
      } else if (view == V_CONV_BACKWARD_DATA) {
        v = params[wOff + (k / oc * c + n) * oc + k % oc];
      } else if (view == V_CONV_BACKWARD_FILTER) {
        v = work[dyOff + k * oc + n];
      } else if (view == V_DENSE_FORWARD) {
        v = params[wOff + k * cols + n];
      } else if (view == V_DENSE_BACKWARD_DATA) {
        v = params[wOff + n * cols + k];
      } else {
        v = work[dyOff + k * cols + n];
      }
    }
    return v;
  }

  /** x[b, oy*sh + ky - pt, ox*sw + kx - pl, i] at xOff, 0 in the padding. */
  protected final float xWindow(int b, int oy, int ox, int ky, int kx, int i) {
    float v = 0f;
    int iy = oy * sh + ky - pt;
    int ix = ox * sw + kx - pl;
    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
      v = work[xOff + ((b * h + iy) * w + ix) * c + i];
    }
    return v;
  }

  /** The dy element that input pixel m = (b, iy, ix) meets through tap k = (ky, kx, o), 0 where none does. */
  protected final float dyGather(int m, int k) {
    float v = 0f;
    int o = k % oc;
    int t = k / oc;
    int kx = t % kw;
    int ky = t / kw;
    int ix = m % w;
    int u = m / w;
    int oyNum = u % h + pt - ky;
    int oxNum = ix + pl - kx;
    if (oyNum >= 0 && oxNum >= 0 && oyNum % sh == 0 && oxNum % sw == 0 && oyNum / sh < oh && oxNum / sw < ow) {
      v = work[dyOff + ((u / h * oh + oyNum / sh) * ow + oxNum / sw) * oc + o];
    }
    return v;
  }
}
