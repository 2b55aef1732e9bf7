package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.optimizers.Adadelta;
import dev.cnnspark.worker.optimizers.Adagrad;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.optimizers.Nadam;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.optimizers.RMSprop;
import dev.cnnspark.worker.optimizers.SGD;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against updates computed by hand: one parameter p0 = 1, a constant gradient g = 0.5, three
 * steps. The expected values were worked out with a calculator from the Keras 3 formulas (written in each
 * optimizer's Javadoc); the arithmetic is in the comments. Tolerance 2e-6: float32 rounding of a few operations.
 */
class OptimizerGoldenTest {
  private static final double TOL = 2e-6;

  private static double[] run(Optimizer o) {
    try (Backend b = new JavaBackend(1)) {
      b.allocate(new ArenaSizes(1, 1, 1, 0, 0, 0, 1));
      b.host(Arena.PARAMS)[0] = 1f;
      b.host(Arena.GRADS)[0] = 0.5f;
      b.host(Arena.OPT1)[0] = o.initialSlotValue();
      double[] p = new double[3];
      for (int t = 0; t < 3; t++) {
        o.step(b, new int[] {0, 1});
        p[t] = b.host(Arena.PARAMS)[0];
      }
      return p;
    }
  }

  private static void assertSteps(double[] expected, double[] actual) {
    for (int t = 0; t < 3; t++) {
      assertEquals(expected[t], actual[t], TOL, "step " + (t + 1));
    }
  }

  @Test
  void sgd() {
    // p -= 0.1 * 0.5 each step
    assertSteps(new double[] {0.95, 0.90, 0.85}, run(new SGD(0.1, 0, false, 0)));
  }

  @Test
  void sgdMomentum() {
    // v1 = -0.05, p1 = 0.95; v2 = 0.9*-0.05 - 0.05 = -0.095, p2 = 0.855; v3 = -0.1355, p3 = 0.7195
    assertSteps(new double[] {0.95, 0.855, 0.7195}, run(new SGD(0.1, 0.9, false, 0)));
  }

  @Test
  void sgdNesterov() {
    // p1 = 1 + 0.9*-0.05 - 0.05 = 0.905; p2 = 0.905 + 0.9*-0.095 - 0.05 = 0.7695; p3 = 0.7695 - 0.12195 - 0.05
    assertSteps(new double[] {0.905, 0.7695, 0.59755}, run(new SGD(0.1, 0.9, true, 0)));
  }

  @Test
  void sgdDecay() {
    // lr_t = 0.1 / (1 + 0.5 t), t = 0, 1, 2: steps of 0.05, 0.05/1.5, 0.05/2
    assertSteps(new double[] {0.95, 0.95 - 0.05 / 1.5, 0.95 - 0.05 / 1.5 - 0.025}, run(new SGD(0.1, 0, false, 0.5)));
  }

  @Test
  void adam() {
    // With a constant gradient the bias-corrected m_hat / sqrt(v_hat) is exactly 1, so each step is lr (up to eps):
    // t=1: m = 0.05, v = 0.00025, lr_t = 0.1 sqrt(0.001)/0.1 = 0.0316228, m/(sqrt v + 1e-7) = 3.1622757
    assertSteps(new double[] {0.9000002, 0.8000004, 0.7000006}, run(new Adam(0.1, 0.9, 0.999, 1e-7, 0)));
  }

  @Test
  void adagrad() {
    // a1 = 0.1 + 0.25 = 0.35, p1 = 1 - 0.05/sqrt(0.35) = 0.9154846; a2 = 0.6, p2 = p1 - 0.05/0.7745967 = 0.8509349;
    // a3 = 0.85, p3 = p2 - 0.05/0.9219544 = 0.7967023
    assertSteps(new double[] {0.9154846, 0.8509349, 0.7967023}, run(new Adagrad(0.1, 0.1, 1e-7, 0)));
  }

  @Test
  void rmsprop() {
    // v1 = 0.025, p1 = 1 - 0.05/sqrt(0.025) = 0.6837722; v2 = 0.0475, p2 = p1 - 0.05/0.2179449 = 0.4543565;
    // v3 = 0.06775, p3 = p2 - 0.05/0.2602883 = 0.2622618
    assertSteps(new double[] {0.6837722, 0.4543565, 0.2622618}, run(new RMSprop(0.1, 0.9, 0, 1e-7, 0)));
  }

  @Test
  void rmspropMomentum() {
    // inc1 = 0.3162278, m1 = inc1, p1 = 0.6837722; inc2 = 0.2294157, m2 = 0.5*m1 + inc2 = 0.3875296,
    // p2 = 0.2962426; inc3 = 0.1920947, m3 = 0.5*m2 + inc3 = 0.3858595, p3 = -0.0896169
    assertSteps(new double[] {0.6837722, 0.2962426, -0.0896169}, run(new RMSprop(0.1, 0.9, 0.5, 1e-7, 0)));
  }

  @Test
  void adadelta() {
    // a1 = 0.05*0.25 = 0.0125, d1 = -sqrt(1e-7)/sqrt(0.0125001)*0.5 = -0.00141421, s1 = 0.05 d1^2 = 1e-7,
    // p1 = 0.99858579; a2 = 0.024375, d2 = -sqrt(2e-7)/sqrt(0.0243751)*0.5 = -0.00143222, p2 = 0.99715357;
    // s2 = 0.95e-7 + 0.05*2.05126e-6 = 1.97563e-7, a3 = 0.03565625, d3 = -sqrt(2.97563e-7)/sqrt(0.0356563)*0.5
    //    = -0.00144440, p3 = 0.99570917
    assertSteps(new double[] {0.99858579, 0.99715357, 0.99570917}, run(new Adadelta(1.0, 0.95, 1e-7, 0)));
  }

  @Test
  void nadam() {
    // Keras 3 Nadam, t = 1..3 (b1 0.9, b2 0.999, decay 0.96):
    // mu_t = 0.9 (1 - 0.5 * 0.96^(0.004 t)): mu1 = 0.4500735, mu2 = 0.4501470, mu3 = 0.4502204, mu4 = 0.4502939
    // u1 = mu1, u2 = u1 mu2 = 0.2026... (products of the mu's)
    // step 1: m = 0.05, v = 0.00025, m_hat = mu2 m / (1 - u1 mu2) + (1 - mu1) g / (1 - u1)
    //                                       = 0.0225074/0.7974 + 0.2749633/0.5499265 = 0.0282262 + 0.5000001
    //         v_hat = 0.25, p1 = 1 - 0.1 * 0.5282263 / 0.5000002 = 0.8943548
    double p = 1;
    double m = 0;
    double v = 0;
    double u = 1;
    double[] expected = new double[3];
    for (int t = 1; t <= 3; t++) {
      double muT = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.004 * t));
      double muNext = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.004 * (t + 1)));
      u *= muT;
      m = m + (0.5 - m) * 0.1;
      v = v + (0.25 - v) * 0.001;
      double mHat = muNext * m / (1 - u * muNext) + (1 - muT) * 0.5 / (1 - u);
      double vHat = v / (1 - Math.pow(0.999, t));
      p -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-7);
      expected[t - 1] = p;
    }
    assertEquals(0.8943548, expected[0], 1e-6, "hand-computed first step");
    assertSteps(expected, run(new Nadam(0.1, 0.9, 0.999, 1e-7, 0)));
  }
}
