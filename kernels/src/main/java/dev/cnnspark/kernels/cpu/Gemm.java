package dev.cnnspark.kernels.cpu;

import java.util.Optional;

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
    if (vectorApiAvailable() && !Boolean.getBoolean("cnnspark.gemm.scalar")) {
      try {
        return (Gemm) Class.forName("dev.cnnspark.kernels.cpu.VectorGemm").getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        return new ScalarGemm();
      }
    }
    return new ScalarGemm();
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
