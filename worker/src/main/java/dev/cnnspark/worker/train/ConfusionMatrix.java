package dev.cnnspark.worker.train;

import java.util.List;
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

  /** Examples whose true class is {@code c}. */
  public long support(int c) {
    long row = 0;
    for (long v : counts[c]) {
      row += v;
    }
    return row;
  }

  public double recall(int c) {
    long row = support(c);
    return row == 0 ? Double.NaN : (double) counts[c][c] / row;
  }

  /** The harmonic mean of precision and recall; NaN when either is undefined or both are 0. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? Double.NaN : 2 * p * r / (p + r);
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
    return render(null);
  }

  /**
   * The matrix as a table: rows are true classes, columns predicted ones, with each class's recall at the end of its
   * row and precision under its column. A class never predicted (precision) or never present (recall) has an
   * undefined ratio, printed {@code n/a}. Columns widen to the longest class name and count, so any number of
   * classes and names of any length print aligned; this method cannot fail on a finished evaluation.
   *
   * @param names class names, one per class, or null for the indices
   */
  public String render(List<String> names) {
    int n = counts.length;
    String[] labels = new String[n];
    for (int i = 0; i < n; i++) {
      labels[i] = names != null && i < names.size() && names.get(i) != null ? names.get(i) : Integer.toString(i);
    }
    int width = 6;
    for (int i = 0; i < n; i++) {
      width = Math.max(width, labels[i].length());
      for (long v : counts[i]) {
        width = Math.max(width, Long.toString(v).length());
      }
    }
    String rowHead = "true\\pred";
    int first = rowHead.length();
    for (String l : labels) {
      first = Math.max(first, l.length());
    }
    first = Math.max(first, "precision".length());
    StringBuilder sb = new StringBuilder(pad(rowHead, first));
    for (String l : labels) {
      sb.append(' ').append(pad(l, width));
    }
    sb.append("   recall\n");
    for (int i = 0; i < n; i++) {
      sb.append(pad(labels[i], first));
      for (int j = 0; j < n; j++) {
        sb.append(' ').append(pad(Long.toString(counts[i][j]), width));
      }
      sb.append("   ").append(ratio(recall(i))).append('\n');
    }
    sb.append(pad("precision", first));
    for (int j = 0; j < n; j++) {
      sb.append(' ').append(pad(ratio(precision(j)), width));
    }
    return sb.append('\n').toString();
  }

  /** A ratio with 4 decimals, or {@code n/a} where it is undefined (NaN). */
  public static String ratio(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
