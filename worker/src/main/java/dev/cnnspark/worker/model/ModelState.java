package dev.cnnspark.worker.model;

import java.io.Serializable;

/**
 * Everything that evolves while a model trains, as the flat arrays the driver averages across workers:
 * parameters, BatchNorm moving statistics, the optimizer's slots (empty when the rule keeps none) and its update
 * count. It is also what a distributed round broadcasts (Kryo writes it with a bulk serializer).
 */
public record ModelState(float[] params, float[] moving, float[] opt1, float[] opt2, long iterations)
    implements Serializable {

  public ModelState copy() {
    return new ModelState(params.clone(), moving.clone(), opt1.clone(), opt2.clone(), iterations);
  }

  /**
   * The same parameters and moving statistics with a new optimizer's empty state: {@code slots} zeroed slots of the
   * parameters' length and no updates yet (what Keras does when a model is compiled with another optimizer).
   */
  public ModelState withFreshOptimizer(int slots) {
    int n = params.length;
    return new ModelState(params, moving, new float[slots >= 1 ? n : 0], new float[slots >= 2 ? n : 0], 0);
  }

  /** Whether every value is finite (a NaN or infinity means training diverged). */
  public boolean isFinite() {
    return finite(params) && finite(moving) && finite(opt1) && finite(opt2);
  }

  private static boolean finite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
