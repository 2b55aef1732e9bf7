package dev.cnnspark.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM on the Vector API: a 6 x (2 vectors) block of C lives in 12 vector registers while k runs,
 * each step one broadcast of A per row and two loads of B (12 FMAs per 2 loads + 6 broadcasts). k is blocked by
 * {@link #KC} so a B panel stays in L1/L2 across the row blocks. B is read in place (callers transpose it once when
 * they need B^T). Partial blocks (fewer than 6 rows, a last panel narrower than 2 vectors) run the same kernel on
 * zero-padded copies and merge the valid part: a masked 1-row kernel measured 10x slower per FLOP, enough to halve
 * a 256-row product through its 4-row tail.
 *
 * <p>The two 6-row kernels exist because C2 keeps the loop tight only when A's addresses are the loop index plus
 * fixed bases: {@code block6Rows} for row-major A (6 row bases + p; 130 GFLOP/s per core on AVX-512) and
 * {@code block6Cols} for A read transposed (6 consecutive floats at {@code p * stride}; 120 GFLOP/s). One kernel
 * with two running strided pointers measured 37. Other stride pairs are packed into a row-major block first.
 * The stores are written out rather than factored into a helper because vectors passed to a call C2 does not
 * inline are boxed. Loaded only when {@code jdk.incubator.vector} is resolved (see {@link Gemm#instance()}).
 */
final class VectorGemm extends Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int NR = 2 * L;
  private static final int MR = 6;
  private static final int KC = 256;
  /** Tap offsets of a row-major A: element p of a row is p floats in. */
  private static final int[] IDENTITY = java.util.stream.IntStream.range(0, KC).toArray();
  /** Rows of C per {@link #narrow} block: two per vector. */
  private static final int NARROW_ROWS = 8;
  /** The upper half of a vector's lanes: the second row in {@link #narrow}. */
  private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, ((1L << L) - 1) ^ ((1L << (L / 2)) - 1));

  @Override
  public String name() {
    return "Vector API " + S.vectorBitSize() + "-bit";
  }

  @Override
  public void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
    multiply(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate, null, 0, false);
  }

  @Override
  public void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
    if (k == 0) {
      Gemm.epilogueOnly(m, n, c, cOff, ldc, accumulate, bias, biasOff, relu);
      return;
    }
    Buffers buf = BUFFERS.get();
    if (n == L / 2 && ldc == n && L >= 8) {
      narrow(buf, m, k, a, aOff, ars, acs, null, 0, null, b, bOff, ldb, c, cOff, accumulate, bias, biasOff, relu);
      return;
    }
    boolean rowMajor = acs == 1;
    boolean colMajor = !rowMajor && ars == 1;
    int nFull = n - n % NR;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      boolean add = accumulate || p0 > 0;
      boolean last = p0 + kc >= k;
      float[] epiBias = last ? bias : null;
      boolean epiRelu = last && relu;
      if (nFull < n) {
        // the last, partial column panel of B, zero-padded to NR columns
        float[] bt = buf.bTail;
        for (int p = 0; p < kc; p++) {
          int src = bOff + (p0 + p) * ldb + nFull;
          for (int j = 0; j < NR; j++) {
            bt[p * NR + j] = j < n - nFull ? b[src + j] : 0f;
          }
        }
      }
      // Rows outer keeps an A block in L1 while B streams; columns outer keeps a B panel in L1 while A streams.
      // The wide-and-short products (dense backward-data: 128 x 9216 x 128) need the second order.
      if (n <= 4 * m) {
        for (int i = 0; i < m; i += MR) {
          for (int j0 = 0; j0 < n; j0 += NR) {
            tile(buf, i, j0, p0, kc, add, m, n, nFull, a, aOff, ars, acs, rowMajor, colMajor, b, bOff, ldb, c, cOff,
                ldc, j0 == 0, epiBias, biasOff, epiRelu);
          }
        }
      } else {
        for (int j0 = 0; j0 < n; j0 += NR) {
          for (int i = 0; i < m; i += MR) {
            tile(buf, i, j0, p0, kc, add, m, n, nFull, a, aOff, ars, acs, rowMajor, colMajor, b, bOff, ldb, c, cOff,
                ldc, true, epiBias, biasOff, epiRelu);
          }
        }
      }
    }
  }

  /** One 6 x NR tile of C over the k block {@code [p0, p0 + kc)}; packs A when needed and {@code repack}. */
  private static void tile(Buffers buf, int i, int j0, int p0, int kc, boolean add, int m, int n, int nFull,
                           float[] a, int aOff, int ars, int acs, boolean rowMajor, boolean colMajor, float[] b,
                           int bOff, int ldb, float[] c, int cOff, int ldc, boolean repack, float[] bias, int biasOff,
                           boolean relu) {
    int rows = Math.min(MR, m - i);
    int aBase = aOff + i * ars + p0 * acs;
    boolean packed = rows < MR || !(rowMajor || colMajor);
    if (packed && repack) {
      float[] pa = buf.aPack;
      for (int r = 0; r < MR; r++) {
        for (int p = 0; p < kc; p++) {
          pa[r * kc + p] = r < rows ? a[aBase + r * ars + p * acs] : 0f;
        }
      }
    }
    boolean fullWidth = j0 < nFull;
    float[] bSrc = fullWidth ? b : buf.bTail;
    int bBase = fullWidth ? bOff + p0 * ldb + j0 : 0;
    int bStride = fullWidth ? ldb : NR;
    boolean direct = fullWidth && rows == MR;
    float[] cDst = direct ? c : buf.cTile;
    int cBase = direct ? cOff + i * ldc + j0 : 0;
    int cStride = direct ? ldc : NR;
    boolean addHere = direct && add;
    float[] tileBias = direct ? bias : null;
    boolean tileRelu = direct && relu;
    if (packed) {
      block6Rows(kc, buf.aPack, 0, kc, bSrc, bBase, bStride, cDst, cBase, cStride, addHere, tileBias,
          biasOff + j0, tileRelu);
    } else if (rowMajor) {
      block6Rows(kc, a, aBase, ars, bSrc, bBase, bStride, cDst, cBase, cStride, addHere, tileBias, biasOff + j0,
          tileRelu);
    } else {
      block6Cols(kc, a, aBase, acs, bSrc, bBase, bStride, cDst, cBase, cStride, addHere, tileBias, biasOff + j0,
          tileRelu);
    }
    if (!direct) {
      int width = Math.min(NR, n - j0);
      for (int r = 0; r < rows; r++) {
        int co = cOff + (i + r) * ldc + j0;
        for (int j = 0; j < width; j++) {
          float v = add ? c[co + j] + buf.cTile[r * NR + j] : buf.cTile[r * NR + j];
          if (bias != null) {
            v += bias[biasOff + j0 + j];
          }
          c[co + j] = relu && v < 0f ? 0f : v;
        }
      }
    }
  }

  @Override
  public boolean gathers(int n) {
    return n == L / 2 && L >= 8;
  }

  @Override
  public void multiplyGathered(int m, int n, int k, float[] a, int[] rowBase, int rowOff, int[] taps, float[] b,
                               int bOff, int ldb, float[] c, int cOff, float[] bias, int biasOff, boolean relu) {
    if (!gathers(n) || k == 0) {
      super.multiplyGathered(m, n, k, a, rowBase, rowOff, taps, b, bOff, ldb, c, cOff, bias, biasOff, relu);
      return;
    }
    narrow(BUFFERS.get(), m, k, a, 0, 0, 0, rowBase, rowOff, taps, b, bOff, ldb, c, cOff, false, bias, biasOff,
        relu);
  }

  /**
   * {@code C (+)= A . B} for C exactly half a vector wide and dense (n = ldc = L/2: an 8-channel conv and its filter
   * gradient on AVX-512). The general kernel's 2-vector panel would be 3/4 zero padding there, and its partial tiles
   * are merged into C by a scalar loop that cost more than the product. Here one vector holds two consecutive rows of
   * C: lanes below L/2 take row r's A value, the upper lanes row r+1's (a broadcast and a blend), against B's row
   * repeated twice; 8 rows of C per block, stored as 4 contiguous vectors. It stays on the one species {@code S}:
   * running a 256-bit species beside the 512-bit one in the same JVM made the general kernel's calls 10x slower
   * (measured on JDK 17: the Vector API's shared code paths stop being intrinsified once two shapes flow through).
   * A not row-major is packed 8 rows at a time; a tail of fewer than 8 rows repeats its last row into a staging tile
   * and only the valid rows are merged. With {@code rowBase} the rows are gathered instead ({@link
   * #multiplyGathered}): row i's element p is {@code a[rowBase[rowOff + i] + taps[p]]}.
   */
  private static void narrow(Buffers buf, int m, int k, float[] a, int aOff, int ars, int acs, int[] rowBase,
                             int rowOff, int[] taps, float[] b, int bOff, int ldb, float[] c, int cOff, boolean add,
                             float[] bias, int biasOff, boolean relu) {
    int half = L / 2;
    boolean rowMajor = acs == 1;
    float[] twice = buf.bTail;
    float[] biasTwice = buf.biasTwice;
    if (bias != null) {
      for (int j = 0; j < L; j++) {
        biasTwice[j] = bias[biasOff + j % half];
      }
    }
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      boolean accumulate = add || p0 > 0;
      boolean last = p0 + kc >= k;
      for (int p = 0; p < kc; p++) {
        int src = bOff + (p0 + p) * ldb;
        for (int j = 0; j < half; j++) {
          float v = b[src + j];
          twice[p * L + j] = v;
          twice[p * L + half + j] = v;
        }
      }
      for (int i = 0; i < m; i += NARROW_ROWS) {
        int rows = Math.min(NARROW_ROWS, m - i);
        int[] x = buf.rowBases;
        boolean direct = rows == NARROW_ROWS;
        if (rowBase != null) {
          for (int r = 0; r < NARROW_ROWS; r++) {
            x[r] = rowBase[rowOff + i + Math.min(r, rows - 1)];
          }
          block8Half(kc, a, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], taps, p0, twice,
              direct ? c : buf.cTile, direct ? cOff + i * half : 0, direct && accumulate,
              direct && last && bias != null ? biasTwice : null, direct && last && relu);
          if (!direct) {
            mergeTail(buf.cTile, rows, half, c, cOff + i * half, accumulate, last ? bias : null, biasOff,
                last && relu);
          }
          continue;
        }
        float[] src = a;
        int base = aOff + i * ars + p0 * acs;
        int stride = ars;
        if (!rowMajor) {
          float[] pa = buf.aPack;
          for (int r = 0; r < rows; r++) {
            for (int p = 0; p < kc; p++) {
              pa[r * kc + p] = a[base + r * ars + p * acs];
            }
          }
          src = pa;
          base = 0;
          stride = kc;
        }
        for (int r = 0; r < NARROW_ROWS; r++) {
          x[r] = base + Math.min(r, rows - 1) * stride;
        }
        block8Half(kc, src, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], IDENTITY, 0, twice,
            direct ? c : buf.cTile, direct ? cOff + i * half : 0, direct && accumulate,
            direct && last && bias != null ? biasTwice : null, direct && last && relu);
        if (!direct) {
          mergeTail(buf.cTile, rows, half, c, cOff + i * half, accumulate, last ? bias : null, biasOff,
              last && relu);
        }
      }
    }
  }

  /** The valid rows of a staged tail tile into C (row stride {@code half}), with the epilogue. */
  private static void mergeTail(float[] tile, int rows, int half, float[] c, int c0, boolean accumulate,
                                float[] bias, int biasOff, boolean relu) {
    for (int r = 0; r < rows; r++) {
      int co = c0 + r * half;
      for (int j = 0; j < half; j++) {
        float v = tile[r * half + j] + (accumulate ? c[co + j] : 0f);
        if (bias != null) {
          v += bias[biasOff + j];
        }
        c[co + j] = relu && v < 0f ? 0f : v;
      }
    }
  }

  private static void block8Half(int kc, float[] a, int x0, int x1, int x2, int x3, int x4, int x5, int x6, int x7,
                                 int[] taps, int t0, float[] b, float[] c, int c0, boolean add, float[] bias,
                                 boolean relu) {
    FloatVector y0 = FloatVector.zero(S);
    FloatVector y1 = FloatVector.zero(S);
    FloatVector y2 = FloatVector.zero(S);
    FloatVector y3 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      FloatVector bv = FloatVector.fromArray(S, b, p * L);
      int q = taps[t0 + p];
      y0 = FloatVector.broadcast(S, a[x0 + q]).blend(a[x1 + q], UPPER).fma(bv, y0);
      y1 = FloatVector.broadcast(S, a[x2 + q]).blend(a[x3 + q], UPPER).fma(bv, y1);
      y2 = FloatVector.broadcast(S, a[x4 + q]).blend(a[x5 + q], UPPER).fma(bv, y2);
      y3 = FloatVector.broadcast(S, a[x6 + q]).blend(a[x7 + q], UPPER).fma(bv, y3);
    }
    if (add) {
      y0 = y0.add(FloatVector.fromArray(S, c, c0));
      y1 = y1.add(FloatVector.fromArray(S, c, c0 + L));
      y2 = y2.add(FloatVector.fromArray(S, c, c0 + 2 * L));
      y3 = y3.add(FloatVector.fromArray(S, c, c0 + 3 * L));
    }
    if (bias != null) {
      FloatVector bb = FloatVector.fromArray(S, bias, 0);
      y0 = y0.add(bb);
      y1 = y1.add(bb);
      y2 = y2.add(bb);
      y3 = y3.add(bb);
    }
    if (relu) {
      FloatVector zero = FloatVector.zero(S);
      y0 = y0.max(zero);
      y1 = y1.max(zero);
      y2 = y2.max(zero);
      y3 = y3.max(zero);
    }
    y0.intoArray(c, c0);
    y1.intoArray(c, c0 + L);
    y2.intoArray(c, c0 + 2 * L);
    y3.intoArray(c, c0 + 3 * L);
  }

  /** Per-thread staging for partial row blocks and column panels. */
  private static final class Buffers {
    final float[] aPack = new float[Math.max(MR, NARROW_ROWS) * KC];
    final float[] bTail = new float[KC * NR];
    final float[] cTile = new float[Math.max(MR * NR, NARROW_ROWS * L)];
    final float[] biasTwice = new float[L];
    final int[] rowBases = new int[NARROW_ROWS];
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private static void block6Rows(int kc, float[] a, int a0, int stride, float[] b, int b0, int ldb, float[] c,
                             int c0, int ldc, boolean add, float[] bias, int bo, boolean relu) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int x0 = a0;
    int x1 = a0 + stride;
    int x2 = a0 + 2 * stride;
    int x3 = a0 + 3 * stride;
    int x4 = a0 + 4 * stride;
    int x5 = a0 + 5 * stride;
    for (int p = 0; p < kc; p++) {
      int bp = b0 + p * ldb;
      FloatVector b0v = FloatVector.fromArray(S, b, bp);
      FloatVector b1v = FloatVector.fromArray(S, b, bp + L);
      FloatVector x;
      x = FloatVector.broadcast(S, a[x0 + p]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[x1 + p]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[x2 + p]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[x3 + p]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
      x = FloatVector.broadcast(S, a[x4 + p]);
      c40 = x.fma(b0v, c40);
      c41 = x.fma(b1v, c41);
      x = FloatVector.broadcast(S, a[x5 + p]);
      c50 = x.fma(b0v, c50);
      c51 = x.fma(b1v, c51);
    }
    if (add) {
      c00 = c00.add(FloatVector.fromArray(S, c, c0 + 0 * ldc));
      c01 = c01.add(FloatVector.fromArray(S, c, c0 + 0 * ldc + L));
      c10 = c10.add(FloatVector.fromArray(S, c, c0 + 1 * ldc));
      c11 = c11.add(FloatVector.fromArray(S, c, c0 + 1 * ldc + L));
      c20 = c20.add(FloatVector.fromArray(S, c, c0 + 2 * ldc));
      c21 = c21.add(FloatVector.fromArray(S, c, c0 + 2 * ldc + L));
      c30 = c30.add(FloatVector.fromArray(S, c, c0 + 3 * ldc));
      c31 = c31.add(FloatVector.fromArray(S, c, c0 + 3 * ldc + L));
      c40 = c40.add(FloatVector.fromArray(S, c, c0 + 4 * ldc));
      c41 = c41.add(FloatVector.fromArray(S, c, c0 + 4 * ldc + L));
      c50 = c50.add(FloatVector.fromArray(S, c, c0 + 5 * ldc));
      c51 = c51.add(FloatVector.fromArray(S, c, c0 + 5 * ldc + L));
    }
    if (bias != null) {
      FloatVector bb0 = FloatVector.fromArray(S, bias, bo);
      FloatVector bb1 = FloatVector.fromArray(S, bias, bo + L);
      c00 = c00.add(bb0);
      c01 = c01.add(bb1);
      c10 = c10.add(bb0);
      c11 = c11.add(bb1);
      c20 = c20.add(bb0);
      c21 = c21.add(bb1);
      c30 = c30.add(bb0);
      c31 = c31.add(bb1);
      c40 = c40.add(bb0);
      c41 = c41.add(bb1);
      c50 = c50.add(bb0);
      c51 = c51.add(bb1);
    }
    if (relu) {
      FloatVector zero = FloatVector.zero(S);
      c00 = c00.max(zero);
      c01 = c01.max(zero);
      c10 = c10.max(zero);
      c11 = c11.max(zero);
      c20 = c20.max(zero);
      c21 = c21.max(zero);
      c30 = c30.max(zero);
      c31 = c31.max(zero);
      c40 = c40.max(zero);
      c41 = c41.max(zero);
      c50 = c50.max(zero);
      c51 = c51.max(zero);
    }
    c00.intoArray(c, c0 + 0 * ldc);
    c01.intoArray(c, c0 + 0 * ldc + L);
    c10.intoArray(c, c0 + 1 * ldc);
    c11.intoArray(c, c0 + 1 * ldc + L);
    c20.intoArray(c, c0 + 2 * ldc);
    c21.intoArray(c, c0 + 2 * ldc + L);
    c30.intoArray(c, c0 + 3 * ldc);
    c31.intoArray(c, c0 + 3 * ldc + L);
    c40.intoArray(c, c0 + 4 * ldc);
    c41.intoArray(c, c0 + 4 * ldc + L);
    c50.intoArray(c, c0 + 5 * ldc);
    c51.intoArray(c, c0 + 5 * ldc + L);
  }

  private static void block6Cols(int kc, float[] a, int a0, int stride, float[] b, int b0, int ldb, float[] c,
                             int c0, int ldc, boolean add, float[] bias, int bo, boolean relu) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);

    for (int p = 0; p < kc; p++) {
      int bp = b0 + p * ldb;
      int q = a0 + p * stride;
      FloatVector b0v = FloatVector.fromArray(S, b, bp);
      FloatVector b1v = FloatVector.fromArray(S, b, bp + L);
      FloatVector x;
      x = FloatVector.broadcast(S, a[q]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[q + 1]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[q + 2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[q + 3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
      x = FloatVector.broadcast(S, a[q + 4]);
      c40 = x.fma(b0v, c40);
      c41 = x.fma(b1v, c41);
      x = FloatVector.broadcast(S, a[q + 5]);
      c50 = x.fma(b0v, c50);
      c51 = x.fma(b1v, c51);
    }
    if (add) {
      c00 = c00.add(FloatVector.fromArray(S, c, c0 + 0 * ldc));
      c01 = c01.add(FloatVector.fromArray(S, c, c0 + 0 * ldc + L));
      c10 = c10.add(FloatVector.fromArray(S, c, c0 + 1 * ldc));
      c11 = c11.add(FloatVector.fromArray(S, c, c0 + 1 * ldc + L));
      c20 = c20.add(FloatVector.fromArray(S, c, c0 + 2 * ldc));
      c21 = c21.add(FloatVector.fromArray(S, c, c0 + 2 * ldc + L));
      c30 = c30.add(FloatVector.fromArray(S, c, c0 + 3 * ldc));
      c31 = c31.add(FloatVector.fromArray(S, c, c0 + 3 * ldc + L));
      c40 = c40.add(FloatVector.fromArray(S, c, c0 + 4 * ldc));
      c41 = c41.add(FloatVector.fromArray(S, c, c0 + 4 * ldc + L));
      c50 = c50.add(FloatVector.fromArray(S, c, c0 + 5 * ldc));
      c51 = c51.add(FloatVector.fromArray(S, c, c0 + 5 * ldc + L));
    }
    if (bias != null) {
      FloatVector bb0 = FloatVector.fromArray(S, bias, bo);
      FloatVector bb1 = FloatVector.fromArray(S, bias, bo + L);
      c00 = c00.add(bb0);
      c01 = c01.add(bb1);
      c10 = c10.add(bb0);
      c11 = c11.add(bb1);
      c20 = c20.add(bb0);
      c21 = c21.add(bb1);
      c30 = c30.add(bb0);
      c31 = c31.add(bb1);
      c40 = c40.add(bb0);
      c41 = c41.add(bb1);
      c50 = c50.add(bb0);
      c51 = c51.add(bb1);
    }
    if (relu) {
      FloatVector zero = FloatVector.zero(S);
      c00 = c00.max(zero);
      c01 = c01.max(zero);
      c10 = c10.max(zero);
      c11 = c11.max(zero);
      c20 = c20.max(zero);
      c21 = c21.max(zero);
      c30 = c30.max(zero);
      c31 = c31.max(zero);
      c40 = c40.max(zero);
      c41 = c41.max(zero);
      c50 = c50.max(zero);
      c51 = c51.max(zero);
    }
    c00.intoArray(c, c0 + 0 * ldc);
    c01.intoArray(c, c0 + 0 * ldc + L);
    c10.intoArray(c, c0 + 1 * ldc);
    c11.intoArray(c, c0 + 1 * ldc + L);
    c20.intoArray(c, c0 + 2 * ldc);
    c21.intoArray(c, c0 + 2 * ldc + L);
    c30.intoArray(c, c0 + 3 * ldc);
    c31.intoArray(c, c0 + 3 * ldc + L);
    c40.intoArray(c, c0 + 4 * ldc);
    c41.intoArray(c, c0 + 4 * ldc + L);
    c50.intoArray(c, c0 + 5 * ldc);
    c51.intoArray(c, c0 + 5 * ldc + L);
  }
}
