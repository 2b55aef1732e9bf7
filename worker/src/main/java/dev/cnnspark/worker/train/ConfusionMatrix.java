package dev.cnnspark.worker.train;

import java.util.Locale;

/** Counts of (true class, predicted class), rows true, columns predicted, with per-class precision and recall. */
public final class ConfusionMatrix {
  private final long[][] counts;

  public ConfusionMatrix(int classes) {
    this.counts = new long[classes][classes];
  }

  public int classes() {
    return counts.length;
  }

  public void add(int trueClass, int predicted) {
    counts[trueClass][predicted]++;
  }

  public void add(int trueClass, int predicted, long n) {
    counts[trueClass][predicted] += n;
  }

  public long count(int trueClass, int predicted) {
    return counts[trueClass][predicted];
  }

  public long total() {
    long t = 0;
    for (long[] row : counts) {
      for (long v : row) {
        t += v;
      }
    }
    return t;
  }

  public double accuracy() {
    long right = 0;
    for (int i = 0; i < counts.length; i++) {
      right += counts[i][i];
    }
    return total() == 0 ? Double.NaN : (double) right / total();
  }

  public double recall(int c) {
    long row = 0;
    for (long v : counts[c]) {
      row += v;
    }
    return row == 0 ? Double.NaN : (double) counts[c][c] / row;
  }

  public double precision(int c) {
    long col = 0;
    for (long[] row : counts) {
      col += row[c];
    }
    return col == 0 ? Double.NaN : (double) counts[c][c] / col;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("true\\pred");
    for (int j = 0; j < counts.length; j++) {
      sb.append(String.format(Locale.ROOT, "%7d", j));
    }
    sb.append("   recall\n");
    for (int i = 0; i < counts.length; i++) {
      sb.append(String.format(Locale.ROOT, "%9d", i));
      for (int j = 0; j < counts.length; j++) {
        sb.append(String.format(Locale.ROOT, "%7d", counts[i][j]));
      }
      sb.append(String.format(Locale.ROOT, "   %.4f%n", recall(i)));
    }
    sb.append("precision");
    for (int j = 0; j < counts.length; j++) {
      sb.append(String.format(Locale.ROOT, " %.4f", precision(j)).substring(0, 7));
    }
    return sb.append('\n').toString();
  }
}
