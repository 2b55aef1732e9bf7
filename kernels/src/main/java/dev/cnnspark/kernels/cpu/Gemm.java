package dev.cnnspark.kernels.cpu;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Single-threaded float matrix product {@code C[m,n] (+)= A[m,k] . B[k,n]}, the core of the CPU path (conv via
 * im2col and dense). Callers split work across threads.
 *
 * <p>Layouts: B and C are row-major ({@code b[bOff + p*ldb + j]}, {@code c[cOff + i*ldc + j]}); A is read through
 * two strides, {@code A[i][p] = a[aOff + i*ars + p*acs]}, so {@code A^T} costs nothing ({@code ars = 1}).
 *
 * <p>{@link #instance()} is the Vector API kernel when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector} (measured ~120 GFLOP/s per core on AVX-512 against ~6 for plain loops),
 * else a plain-Java fallback; {@link #name()} says which, and the backend logs it.
 */
public abstract class Gemm {

  private static final Gemm INSTANCE = choose();

  public static Gemm instance() {
    return INSTANCE;
  }

  /** Whether the Vector API module is resolved in this JVM. */
  public static boolean vectorApiAvailable() {
    Optional<Module> m = ModuleLayer.boot().findModule("jdk.incubator.vector");
    return m.isPresent();
  }

  private static Gemm choose() {
    return vectorOr(Gemm.class, "dev.cnnspark.kernels.cpu.VectorGemm", ScalarGemm::new);
  }

  /**
   * The Vector API implementation of a family of CPU kernels when {@code jdk.incubator.vector} is resolved (and
   * {@code -Dcnnspark.gemm.scalar} is not set), else the plain-Java one. The Vector API class is loaded by name, so
   * JVMs without the module never link it.
   */
  static <T> T vectorOr(Class<T> type, String vectorClass, Supplier<T> plain) {
    if (vectorApiAvailable() && !Boolean.getBoolean("cnnspark.gemm.scalar")) {
      try {
        return type.cast(Class.forName(vectorClass).getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | LinkageError e) {
        return plain.get();
      }
    }
    return plain.get();
  }

  /** What runs, for logs: e.g. "Vector API 512-bit". */
  public abstract String name();

  /**
   * {@code C (+)= A . B}.
   *
   * @param accumulate add to C; otherwise overwrite it
   */
  public abstract void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
                                int ldb, float[] c, int cOff, int ldc, boolean accumulate);

  /**
   * {@code C (+)= A . B}, then {@code C[i][j] += bias[biasOff + j]} (bias may be null) and {@code max(C, 0)} when
   * {@code relu}, applied while the block is still in registers instead of in another pass over C.
   */
  public void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate, float[] bias, int biasOff, boolean relu) {
    multiply(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, accumulate);
    epilogueOnly(m, n, c, cOff, ldc, true, bias, biasOff, relu);
  }

  /** Whether {@link #multiplyGathered} has a fast kernel for C {@code n} columns wide (else it runs plain loops). */
  public boolean gathers(int n) {
    return false;
  }

  /**
   * {@code C = A . B}, then bias and ReLU as in {@link #multiply}, where row i of A is gathered: its element p is
   * {@code a[rowBase[rowOff + i] + taps[p]]} (an implicit im2col: row i is output pixel i's window, {@code taps} the
   * window's offsets from its first element). C is dense ({@code ldc = n}) and overwritten.
   */
  public void multiplyGathered(int m, int n, int k, float[] a, int[] rowBase, int rowOff, int[] taps, float[] b,
                               int bOff, int ldb, float[] c, int cOff, float[] bias, int biasOff, boolean relu) {
    for (int i = 0; i < m; i++) {
      int row = rowBase[rowOff + i];
      int ci = cOff + i * n;
      java.util.Arrays.fill(c, ci, ci + n, 0f);
      for (int p = 0; p < k; p++) {
        float av = a[row + taps[p]];
        int bp = bOff + p * ldb;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
    epilogueOnly(m, n, c, cOff, n, true, bias, biasOff, relu);
  }

  /** Bias and ReLU over C in place ({@code keep = false} first zeroes C, the k = 0 product). */
  static void epilogueOnly(int m, int n, float[] c, int cOff, int ldc, boolean keep, float[] bias, int biasOff,
                           boolean relu) {
    for (int i = 0; i < m; i++) {
      int o = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        float v = (keep ? c[o + j] : 0f) + (bias != null ? bias[biasOff + j] : 0f);
        c[o + j] = relu && v < 0f ? 0f : v;
      }
    }
  }

  /** {@code dst[j * rows + i] = src[srcOff + i * cols + j]}: a row-major [rows, cols] matrix transposed. */
  public static void transpose(int rows, int cols, float[] src, int srcOff, float[] dst) {
    final int block = 32;
    for (int i0 = 0; i0 < rows; i0 += block) {
      int i1 = Math.min(rows, i0 + block);
      for (int j0 = 0; j0 < cols; j0 += block) {
        int j1 = Math.min(cols, j0 + block);
        for (int i = i0; i < i1; i++) {
          int s = srcOff + i * cols;
          for (int j = j0; j < j1; j++) {
            dst[j * rows + i] = src[s + j];
          }
        }
      }
    }
  }
}
