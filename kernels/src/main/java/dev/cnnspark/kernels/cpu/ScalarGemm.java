package dev.cnnspark.kernels.cpu;

/**
 * Plain-Java GEMM for JVMs without the Vector API module: i-p-j loop order so the inner loop streams B and C rows.
 * Correct everywhere, ~20x slower than {@link VectorGemm} on the development machine.
 */
final class ScalarGemm extends Gemm {

  @Override
  public String name() {
    return "plain Java loops (start the JVM with --add-modules=jdk.incubator.vector for the Vector API kernel)";
  }

  @Override
  public void multiply(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      if (!accumulate) {
        java.util.Arrays.fill(c, ci, ci + n, 0f);
      }
      for (int p = 0; p < k; p++) {
        float av = a[aOff + i * ars + p * acs];
        int bp = bOff + p * ldb;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
  }
}
