package dev.cnnspark.worker.optimizers;

/** Shared argument checks of the Adam family. */
final class Betas {
  private Betas() {
  }

  static void check(String name, double beta1, double beta2, double epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(name + " betas must be in [0, 1), got beta_1=" + beta1 + " beta_2=" + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException(name + " epsilon must be positive, got " + epsilon);
    }
  }
}
