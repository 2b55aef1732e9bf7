package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.io.Serializable;

/** What a round broadcasts: the model state every worker starts the round from. */
public final class RoundState implements Serializable {
  private static final long serialVersionUID = 1L;
  final float[] params;
  final float[] moving;
  final float[] opt1;
  final float[] opt2;
  final long iterations;

  public RoundState(ModelState s) {
    this(s.params(), s.moving(), s.opt1(), s.opt2(), s.iterations());
  }

  RoundState(float[] params, float[] moving, float[] opt1, float[] opt2, long iterations) {
    this.params = params;
    this.moving = moving;
    this.opt1 = opt1;
    this.opt2 = opt2;
    this.iterations = iterations;
  }

  public ModelState toModelState() {
    return new ModelState(params, moving, opt1, opt2, iterations);
  }
}
