package dev.cnnspark.worker.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Nadam's kept u_t gives the bits a product rebuilt from t = 1 gives, in order, after jumps forward and back. */
class NadamProductTest {

  @Test
  void keptProductMatchesAFreshOneAtEveryStep() {
    Nadam kept = new Nadam(0.01, 0.9, 0.999, 1e-7, 0);
    long[] ts = {1, 2, 3, 4, 50, 51, 7, 8, 1000, 1001, 1};
    for (long t : ts) {
      Nadam fresh = new Nadam(0.01, 0.9, 0.999, 1e-7, 0);
      assertEquals(fresh.hyper(t, 0.01f), kept.hyper(t, 0.01f), "t = " + t);
    }
  }
}
