package dev.cnnspark.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm#multiplyGathered} against a direct sum, for the widths with a fast kernel and without one, with k
 * blocking, row tails, bias and ReLU, on the JVM's GEMM and on the plain-Java one.
 */
class GatheredGemmTest {

  @Test
  void gatheredRowsMatchADirectSum() {
    Random r = new Random(5);
    for (Gemm gemm : new Gemm[] {Gemm.instance(), new ScalarGemm()}) {
      for (int[] s : new int[][] {{37, 8, 9}, {8, 8, 300}, {3, 5, 7}, {261, 8, 27}}) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        float[] a = new float[m * 3 + k * 2 + 10];
        for (int i = 0; i < a.length; i++) {
          a[i] = r.nextFloat() - 0.5f;
        }
        int[] rowBase = new int[m + 2];
        for (int i = 0; i < m; i++) {
          rowBase[2 + i] = 3 * i + (i % 2);
        }
        int[] taps = new int[k];
        for (int p = 0; p < k; p++) {
          taps[p] = 2 * p + (p % 3 == 0 ? 1 : 0);
        }
        float[] b = new float[k * n + 4];
        float[] bias = new float[n + 1];
        for (int i = 0; i < b.length; i++) {
          b[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < bias.length; i++) {
          bias[i] = r.nextFloat() - 0.5f;
        }
        for (boolean relu : new boolean[] {false, true}) {
          float[] c = new float[m * n + 3];
          java.util.Arrays.fill(c, 9f);
          gemm.multiplyGathered(m, n, k, a, rowBase, 2, taps, b, 4, n, c, 3, bias, 1, relu);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double sum = bias[1 + j];
              for (int p = 0; p < k; p++) {
                sum += (double) a[rowBase[2 + i] + taps[p]] * b[4 + p * n + j];
              }
              double want = relu ? Math.max(0, sum) : sum;
              assertEquals(want, c[3 + i * n + j], 1e-4 + 1e-4 * Math.abs(want),
                  gemm.name() + " " + m + "x" + n + "x" + k + " relu " + relu + " at " + i + "," + j);
            }
          }
          for (int i = 0; i < 3; i++) {
            assertEquals(9f, c[i], "wrote before C");
          }
        }
      }
    }
  }
}
