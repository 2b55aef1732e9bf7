package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.train.ConfusionMatrix;
import java.io.Serializable;

/** Sums of a distributed evaluation: loss, correct, examples, and the confusion counts (rows true, cols predicted). */
public final class EvalResult implements Serializable {
  private static final long serialVersionUID = 1L;
  double lossSum;
  double correctSum;
  long examples;
  long[] confusion;
  int classes;

  public EvalResult() {
  }

  public EvalResult(double lossSum, double correctSum, long examples, ConfusionMatrix cm) {
    this.lossSum = lossSum;
    this.correctSum = correctSum;
    this.examples = examples;
    this.classes = cm.classes();
    this.confusion = new long[classes * classes];
    for (int i = 0; i < classes; i++) {
      for (int j = 0; j < classes; j++) {
        confusion[i * classes + j] = cm.count(i, j);
      }
    }
  }

  public EvalResult add(EvalResult o) {
    if (o.confusion == null) {
      return this;
    }
    if (confusion == null) {
      return o;
    }
    lossSum += o.lossSum;
    correctSum += o.correctSum;
    examples += o.examples;
    for (int i = 0; i < confusion.length; i++) {
      confusion[i] += o.confusion[i];
    }
    return this;
  }

  public double loss() {
    return lossSum / examples;
  }

  public double accuracy() {
    return correctSum / examples;
  }

  public long examples() {
    return examples;
  }

  public ConfusionMatrix confusion() {
    ConfusionMatrix cm = new ConfusionMatrix(classes);
    for (int i = 0; i < classes; i++) {
      for (int j = 0; j < classes; j++) {
        cm.add(i, j, confusion[i * classes + j]);
      }
    }
    return cm;
  }
}
