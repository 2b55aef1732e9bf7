package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.util.Random;

/**
 * Developer probe behind {@link RoundResult}'s float mean: times the driver's averaging of two model (a)-sized
 * Adadelta states (3.6M floats, weights 10:9) against the same mean computed in double on one thread, and counts the
 * elements where the two differ and by how much, in ulps of the larger weighted term (where the two terms nearly
 * cancel, the mean is near 0 and a relative difference says little). Run from the driver module after
 * {@code mvn test-compile}:
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) dev.cnnspark.driver.rounds.AveragingProbe
 * </pre>
 */
public final class AveragingProbe {
  private AveragingProbe() {
  }

  public static void main(String[] args) {
    int n = 1_199_882;
    Random r = new Random(1);
    float[][] a = new float[3][n];
    float[][] b = new float[3][n];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < n; i++) {
        a[k][i] = r.nextFloat() - 0.5f;
        b[k][i] = r.nextFloat() - 0.5f;
      }
    }
    double wa = 10 / 19.0;
    double wb = 9 / 19.0;
    float[][] doubleMean = new float[3][n];
    for (int rep = 0; rep < 30; rep++) {
      long t0 = System.nanoTime();
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < n; i++) {
          doubleMean[k][i] = (float) (a[k][i] * wa + b[k][i] * wb);
        }
      }
      long t1 = System.nanoTime();
      // a fresh pair each time: average() writes the mean over the first state's arrays
      RoundResult round = new RoundResult().add(RoundResult.of(state(a), 10, 0, 0, 0, 0, 0))
          .add(RoundResult.of(state(b), 9, 0, 0, 0, 0, 0));
      long t2 = System.nanoTime();
      ModelState mean = round.average(0);
      long t3 = System.nanoTime();
      if (rep >= 25) {
        int differ = 0;
        double maxUlps = 0;
        float[][] parts = {mean.params(), mean.opt1(), mean.opt2()};
        for (int k = 0; k < 3; k++) {
          for (int i = 0; i < n; i++) {
            if (parts[k][i] != doubleMean[k][i]) {
              differ++;
              // in units of the last place of the larger weighted term (the result itself can be near 0)
              float scale = Math.max(Math.abs(a[k][i] * (float) wa), Math.abs(b[k][i] * (float) wb));
              maxUlps = Math.max(maxUlps, Math.abs(parts[k][i] - doubleMean[k][i]) / Math.ulp(scale));
            }
          }
        }
        System.out.printf("double loop %.2f ms, RoundResult.average (float, common pool) %.2f ms; %d of %d "
            + "elements differ, by at most %.2f ulp of the larger weighted term%n", (t1 - t0) / 1e6, (t3 - t2) / 1e6,
            differ, 3 * n, maxUlps);
      }
    }
  }

  private static ModelState state(float[][] parts) {
    return new ModelState(parts[0].clone(), new float[0], parts[1].clone(), parts[2].clone(), 0);
  }
}
