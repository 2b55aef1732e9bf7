package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.Dataset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cnnspark convert --classes ... --per-class N}: keeps some classes of a dataset, renamed or merged, and at most
 * N training examples of each (the first in the source's order), to make the course's derived sets from MNIST: "six
 * vs. not six" ({@code 6=six,*=not_six --per-class 1000}), or digits 0-4 and 5-9 for the transfer-learning run
 * ({@code 0,1,2,3,4}; {@code 5,6,7,8,9 --per-class 100}).
 *
 * <p>The mapping is a comma-separated list of {@code old=new} (or {@code old}, keeping its name); {@code *=name}
 * takes every class not named before it. New classes are numbered in the order they first appear in the mapping.
 */
public final class ClassSelection {
  private final Map<String, String> map = new LinkedHashMap<>();
  private final String rest;
  private final List<String> names = new ArrayList<>();

  private ClassSelection(String spec) {
    String wildcard = null;
    for (String item : spec.split(",")) {
      String t = item.trim();
      if (t.isEmpty()) {
        continue;
      }
      String from = t.contains("=") ? t.substring(0, t.indexOf('=')).trim() : t;
      String to = t.contains("=") ? t.substring(t.indexOf('=') + 1).trim() : t;
      if (from.isEmpty() || to.isEmpty()) {
        throw new IllegalArgumentException("--classes: '" + t + "' must be old=new or a class name");
      }
      if (from.equals("*")) {
        wildcard = to;
      } else if (map.put(from, to) != null) {
        throw new IllegalArgumentException("--classes names class '" + from + "' twice");
      }
      if (!names.contains(to)) {
        names.add(to);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("--classes is empty");
    }
    this.rest = wildcard;
  }

  public static ClassSelection parse(String spec) {
    return new ClassSelection(spec);
  }

  /** The new class names, in label order. */
  public List<String> names() {
    return List.copyOf(names);
  }

  /**
   * The examples of the selected classes with their new one-hot labels, at most {@code perClass} of each new class
   * (0: all). {@code classNames} are the data's classes (the columns of its one-hot labels).
   */
  public Dataset apply(Dataset d, List<String> classNames, int perClass) {
    for (String from : map.keySet()) {
      if (!classNames.contains(from)) {
        throw new IllegalArgumentException("--classes names class '" + from + "', which the data does not have "
            + "(its classes: " + classNames + ")");
      }
    }
    if (d.labelWidth() != classNames.size()) {
      throw new IllegalArgumentException("--classes needs one-hot labels (label_mode: categorical)");
    }
    int[] target = new int[classNames.size()];
    for (int c = 0; c < target.length; c++) {
      String to = map.getOrDefault(classNames.get(c), rest);
      target[c] = to == null ? -1 : names.indexOf(to);
    }
    int[] taken = new int[names.size()];
    List<Integer> keep = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < d.count(); i++) {
      int old = 0;
      while (old < d.labelWidth() && d.y()[i * d.labelWidth() + old] != 1f) {
        old++;
      }
      int c = old < target.length ? target[old] : -1;
      if (c >= 0 && (perClass == 0 || taken[c] < perClass)) {
        taken[c]++;
        keep.add(i);
        labels.add(c);
      }
    }
    int s = d.shape().size();
    float[] x = new float[keep.size() * s];
    for (int i = 0; i < keep.size(); i++) {
      System.arraycopy(d.x(), keep.get(i) * s, x, i * s, s);
    }
    return new Dataset(x, Dataset.oneHot(labels.stream().mapToInt(Integer::intValue).toArray(), names.size()),
        d.shape(), names.size(), keep.size());
  }
}
