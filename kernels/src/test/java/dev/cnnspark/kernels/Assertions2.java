package dev.cnnspark.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise closeness with the first bad index in the failure message. */
public final class Assertions2 {
  private Assertions2() {
  }

  public static void assertClose(Tolerance tol, float[] expected, float[] actual, int off, int len) {
    assertClose(tol.op(), tol, expected, off, actual, off, len);
  }

  public static void assertClose(String what, Tolerance tol, float[] expected, int eOff, float[] actual, int aOff,
                                 int len) {
    int bad = 0;
    int first = -1;
    double worst = 0;
    for (int i = 0; i < len; i++) {
      double e = expected[eOff + i];
      double a = actual[aOff + i];
      double err = Math.abs(a - e);
      boolean ok = err <= tol.atol() + tol.rtol() * Math.abs(e) || (Double.isNaN(e) && Double.isNaN(a));
      if (!ok) {
        if (first < 0) {
          first = i;
        }
        bad++;
      }
      if (!Double.isNaN(err)) {
        worst = Math.max(worst, err);
      }
    }
    if (first >= 0) {
      fail(String.format("%s: %d of %d elements differ beyond atol=%g rtol=%g; first bad index %d: expected %s, got %s"
              + " (largest abs error %g)", what, bad, len, tol.atol(), tol.rtol(), first, expected[eOff + first],
          actual[aOff + first], worst));
    }
  }
}
