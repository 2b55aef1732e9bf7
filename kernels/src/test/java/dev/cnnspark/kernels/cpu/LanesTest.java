package dev.cnnspark.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.dropout.DropoutMask;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The JVM's {@link Lanes} (the Vector API one when the module is resolved, as in this build's tests) gives the plain
 * loops' bits on ranges that start and end anywhere (threads split ranges at arbitrary points), dropout keeps the
 * float mask every backend uses, and column sums agree with the plain loop's (their order of additions differs).
 */
class LanesTest {

  @Test
  void maxPoolRowsMatchThePlainLoopsWithTies() {
    Lanes fast = Lanes.instance();
    Lanes plain = new ScalarLanes();
    Random r = new Random(6);
    for (int c : new int[] {16, 32, 64, 8, 3}) {
      int w = 9;
      int row = w * c;
      int ow = 4;
      float[] x = new float[2 * row + 5];
      for (int i = 0; i < x.length; i++) {
        // ReLU-like values: many exact ties (zeros), some NaN
        x[i] = i % 97 == 0 ? Float.NaN : Math.max(0f, Math.round(r.nextFloat() * 4f - 2f) * 0.5f);
      }
      float[] a = new float[ow * c + 2];
      float[] b = new float[ow * c + 2];
      fast.pairsMaxRow(x, 5, row, ow, c, a, 2);
      plain.pairsMaxRow(x, 5, row, ow, c, b, 2);
      assertArrayEquals(b, a, "pairsMaxRow, " + c + " channels");
      float[] dy = new float[ow * c + 1];
      for (int i = 0; i < dy.length; i++) {
        dy[i] = 1f + r.nextFloat();
      }
      float[] da = new float[x.length + 4];
      float[] db = new float[x.length + 4];
      fast.pairsMaxRowBackward(x, 5, 0, row, ow, c, dy, 1, da, 4);
      plain.pairsMaxRowBackward(x, 5, 0, row, ow, c, dy, 1, db, 4);
      assertArrayEquals(db, da, "pairsMaxRowBackward, " + c + " channels");
    }
  }

  @Test
  void columnSumsMatchThePlainLoopsOnAnyRange() {
    Lanes fast = Lanes.instance();
    Lanes plain = new ScalarLanes();
    Random r = new Random(4);
    for (int cols : new int[] {8, 16, 48, 10}) {
      float[] dy = new float[301 * cols + 3];
      for (int i = 0; i < dy.length; i++) {
        dy[i] = r.nextFloat() - 0.5f;
      }
      for (int trial = 0; trial < 10; trial++) {
        int from = r.nextInt(50);
        int to = from + r.nextInt(300 - from);
        double[] a = new double[cols];
        double[] b = new double[cols];
        a[0] = b[0] = 1.5;
        fast.columnSums(from, to, cols, dy, 3, a);
        plain.columnSums(from, to, cols, dy, 3, b);
        for (int j = 0; j < cols; j++) {
          assertEquals(b[j], a[j], 1e-9, cols + " columns, rows [" + from + ", " + to + "), column " + j);
        }
      }
    }
  }

  @Test
  void sameBitsAsThePlainLoopsOnAnyRange() {
    Lanes fast = Lanes.instance();
    Lanes plain = new ScalarLanes();
    Random r = new Random(3);
    int n = 1000;
    float[] y = new float[n + 7];
    float[] dy = new float[n + 5];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 11 == 0 ? 0f : r.nextFloat() - 0.5f;
    }
    y[17] = Float.NaN;
    y[18] = -0f;
    for (int i = 0; i < dy.length; i++) {
      dy[i] = r.nextFloat() - 0.5f;
    }
    for (int trial = 0; trial < 20; trial++) {
      int from = r.nextInt(100);
      int to = from + r.nextInt(n - from);
      float[] a = new float[n + 3];
      float[] b = new float[n + 3];
      fast.reluBackward(from, to, y, 7, dy, 5, a, 3);
      plain.reluBackward(from, to, y, 7, dy, 5, b, 3);
      assertArrayEquals(b, a, "reluBackward [" + from + ", " + to + ")");
      float rate = trial % 2 == 0 ? 0.25f : 0.5f;
      int lo = r.nextInt();
      int hi = r.nextInt();
      float scale = 1f / (1f - rate);
      fast.dropout(from, to, lo, hi, DropoutMask.threshold(rate), scale, dy, 5, a, 3);
      plain.dropout(from, to, lo, hi, DropoutMask.threshold(rate), scale, dy, 5, b, 3);
      assertArrayEquals(b, a, "dropout [" + from + ", " + to + ")");
      for (int i = from; i < to; i++) {
        assertEquals(dy[5 + i] * DropoutMask.scale(lo, hi, i, rate), a[3 + i], "dropout mask at " + i);
      }
    }
  }
}
