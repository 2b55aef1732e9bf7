package dev.cnnspark.kernels;

/** Parameter update rules over the flat parameter vector; the formulas are in {@code optim.OptimizerReference}. */
public enum OptimizerRule {
  SGD(0, 0), SGD_MOMENTUM(1, 1), ADAM(2, 2), NADAM(3, 2), ADADELTA(4, 2), ADAGRAD(5, 1), RMSPROP(6, 1),
  RMSPROP_MOMENTUM(7, 2);

  public final int code;
  /** How many optimizer slots ({@link Arena#OPT1}, {@link Arena#OPT2}) the rule keeps. */
  public final int slots;

  OptimizerRule(int code, int slots) {
    this.code = code;
    this.slots = slots;
  }
}
