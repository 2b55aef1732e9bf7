package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;

/**
 * How the workers' averaged state becomes the next round's (the spec's {@code training.averaging}), with the remedies
 * the literature and the peers use when many workers average seldom:
 * <ul>
 *   <li>{@code optimizer_state: average} (DL4J averages the updater state) or {@code reset} (Elephas recreates the
 *       optimizer: the slots start from zero every round);
 *   <li>{@code block_momentum} b (Chen and Huo 2016, "BMUF"): with the round's block update {@code G = avg - w},
 *       {@code D = b D + G} and {@code w = w + D}, so the averaged steps carry momentum across rounds (b = 0: plain
 *       averaging); {@code D} is part of every checkpoint;
 *   <li>{@code lr_scaling: linear} (Goyal et al. 2017): the learning rate times the workers, since averaging W
 *       workers' steps acts like one step on a W-times larger batch, reached linearly over {@code warmup_epochs}.
 * </ul>
 * Each rule is a function of the round's position and the stored state, so a resumed run computes what an
 * uninterrupted one does.
 */
public record Averaging(boolean resetOptimizerState, double blockMomentum, boolean linearLrScaling,
                        double warmupEpochs) implements java.io.Serializable {
  public static final Averaging PLAIN = new Averaging(false, 0, false, 0);

  public boolean isPlain() {
    return equals(PLAIN);
  }

  /** What differs from plain averaging, for the job's header line ("" when plain). */
  public String describe() {
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (blockMomentum != 0) {
      parts.add("block momentum " + (float) blockMomentum);
    }
    if (resetOptimizerState) {
      parts.add("optimizer state reset every round");
    }
    if (linearLrScaling) {
      parts.add("learning rate x workers after " + (float) warmupEpochs + " warm-up epochs");
    }
    return String.join(", ", parts);
  }

  /** The learning rate of global round {@code round} (0-based) for an epoch rate {@code lr}. */
  public float learningRate(float lr, long round, int roundsPerEpoch, int workers) {
    if (!linearLrScaling || workers <= 1) {
      return lr;
    }
    double warm = warmupEpochs * roundsPerEpoch;
    double scale = warm <= 0 || round >= warm ? workers : 1 + (workers - 1) * (round / warm);
    return (float) (lr * scale);
  }

  /**
   * The next round's state from the one the round started with and the workers' average; {@code momentum} (the
   * parameters' length, updated in place) is the block momentum's running update.
   */
  /** The update count {@link #next} leaves, from the averaged state's (a reset optimizer starts again at 0). */
  public long iterationsAfter(long averagedIterations) {
    return resetOptimizerState ? 0 : averagedIterations;
  }

  public ModelState next(ModelState before, ModelState averaged, float[] momentum, int optimizerSlots) {
    ModelState s = averaged;
    if (blockMomentum != 0) {
      float[] w = before.params();
      float[] avg = averaged.params();
      float[] out = new float[w.length];
      float b = (float) blockMomentum;
      for (int i = 0; i < w.length; i++) {
        momentum[i] = b * momentum[i] + (avg[i] - w[i]);
        out[i] = w[i] + momentum[i];
      }
      s = new ModelState(out, averaged.moving(), averaged.opt1(), averaged.opt2(), averaged.iterations());
    }
    return resetOptimizerState ? s.withFreshOptimizer(optimizerSlots) : s;
  }
}
