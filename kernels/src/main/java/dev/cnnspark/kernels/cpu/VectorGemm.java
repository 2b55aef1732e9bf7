package dev.cnnspark.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM on the Vector API: a 6 x (2 vectors) block of C lives in 12 vector registers while k runs,
 * each step one broadcast of A per row and two loads of B (12 FMAs per 2 loads + 6 broadcasts). k is blocked by
 * {@link #KC} so a B panel stays in L1/L2 across the row blocks. Column tails use masked loads and stores; row tails
 * a 1-row kernel. No packing: B rows are read in place (callers transpose B once when they need B^T).
 * Loaded only when {@code jdk.incubator.vector} is resolved (see {@link Gemm#instance()}).
 */
final class VectorGemm extends Gemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int NR = 2 * L;
  private static final int MR = 6;
  private static final int KC = 256;

  @Override
  public String name() {
    return "Vector API " + S.vectorBitSize() + "-bit";
  }

  @Override
  public void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
    if (k == 0) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) {
          java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
      }
      return;
    }
    int mFull = m - m % MR;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      boolean add = accumulate || p0 > 0;
      for (int j0 = 0; j0 < n; j0 += NR) {
        int cols = Math.min(NR, n - j0);
        VectorMask<Float> m0 = S.indexInRange(0, cols);
        VectorMask<Float> m1 = S.indexInRange(L, cols);
        boolean full = cols == NR;
        int bBase = bOff + p0 * ldb + j0;
        for (int i = 0; i < mFull; i += MR) {
          int aBase = aOff + i * ars + p0 * acs;
          int cBase = cOff + i * ldc + j0;
          if (full) {
            block6(kc, a, aBase, ars, acs, b, bBase, ldb, c, cBase, ldc, add);
          } else {
            block6Masked(kc, a, aBase, ars, acs, b, bBase, ldb, c, cBase, ldc, add, m0, m1);
          }
        }
        for (int i = mFull; i < m; i++) {
          block1(kc, a, aOff + i * ars + p0 * acs, acs, b, bBase, ldb, c, cOff + i * ldc + j0, add, m0, m1);
        }
      }
    }
  }

  private static void block6(int kc, float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb, float[] c,
                             int c0, int ldc, boolean add) {
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
    int r1 = ars;
    int r2 = 2 * ars;
    int r3 = 3 * ars;
    int r4 = 4 * ars;
    int r5 = 5 * ars;
    int ap = a0;
    int bp = b0;
    for (int p = 0; p < kc; p++, ap += acs, bp += ldb) {
      FloatVector b0v = FloatVector.fromArray(S, b, bp);
      FloatVector b1v = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(S, a[ap + r1]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(S, a[ap + r2]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(S, a[ap + r3]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
      x = FloatVector.broadcast(S, a[ap + r4]);
      c40 = x.fma(b0v, c40);
      c41 = x.fma(b1v, c41);
      x = FloatVector.broadcast(S, a[ap + r5]);
      c50 = x.fma(b0v, c50);
      c51 = x.fma(b1v, c51);
    }
    store(c, c0, c00, c01, add);
    store(c, c0 + ldc, c10, c11, add);
    store(c, c0 + 2 * ldc, c20, c21, add);
    store(c, c0 + 3 * ldc, c30, c31, add);
    store(c, c0 + 4 * ldc, c40, c41, add);
    store(c, c0 + 5 * ldc, c50, c51, add);
  }

  private static void store(float[] c, int off, FloatVector v0, FloatVector v1, boolean add) {
    if (add) {
      v0 = v0.add(FloatVector.fromArray(S, c, off));
      v1 = v1.add(FloatVector.fromArray(S, c, off + L));
    }
    v0.intoArray(c, off);
    v1.intoArray(c, off + L);
  }

  private static void block6Masked(int kc, float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb,
                                   float[] c, int c0, int ldc, boolean add, VectorMask<Float> m0,
                                   VectorMask<Float> m1) {
    for (int r = 0; r < MR; r++) {
      block1(kc, a, a0 + r * ars, acs, b, b0, ldb, c, c0 + r * ldc, add, m0, m1);
    }
  }

  private static void block1(int kc, float[] a, int a0, int acs, float[] b, int b0, int ldb, float[] c, int c0,
                             boolean add, VectorMask<Float> m0, VectorMask<Float> m1) {
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = FloatVector.zero(S);
    boolean second = m1.anyTrue();
    boolean full = m0.allTrue() && m1.allTrue();
    int ap = a0;
    int bp = b0;
    if (full) {
      for (int p = 0; p < kc; p++, ap += acs, bp += ldb) {
        FloatVector x = FloatVector.broadcast(S, a[ap]);
        acc0 = x.fma(FloatVector.fromArray(S, b, bp), acc0);
        acc1 = x.fma(FloatVector.fromArray(S, b, bp + L), acc1);
      }
      store(c, c0, acc0, acc1, add);
      return;
    }
    for (int p = 0; p < kc; p++, ap += acs, bp += ldb) {
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      acc0 = x.fma(FloatVector.fromArray(S, b, bp, m0), acc0);
      if (second) {
        acc1 = x.fma(FloatVector.fromArray(S, b, bp + L, m1), acc1);
      }
    }
    if (add) {
      acc0 = acc0.add(FloatVector.fromArray(S, c, c0, m0));
    }
    acc0.intoArray(c, c0, m0);
    if (second) {
      if (add) {
        acc1 = acc1.add(FloatVector.fromArray(S, c, c0 + L, m1));
      }
      acc1.intoArray(c, c0 + L, m1);
    }
  }
}
