package dev.cnnspark.worker.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keras' {@code History}: per-epoch values of each metric ({@code loss}, {@code accuracy}, {@code val_*}). */
public final class History {
  private final List<Integer> epochs = new ArrayList<>();
  private final Map<String, List<Double>> values = new LinkedHashMap<>();

  /** Records the logs of one epoch. */
  public void add(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
  }

  public List<Integer> epochs() {
    return List.copyOf(epochs);
  }

  public List<Double> get(String metric) {
    return List.copyOf(values.getOrDefault(metric, List.of()));
  }

  /** The last epoch's value of a metric, or NaN. */
  public double last(String metric) {
    List<Double> v = values.get(metric);
    return v == null || v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
  }

  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, List.copyOf(v)));
    return m;
  }

  /** Appends another history's epochs (a resumed run continuing an earlier one). */
  public void addAll(History other) {
    for (int i = 0; i < other.epochs.size(); i++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : other.values.entrySet()) {
        if (i < e.getValue().size()) {
          logs.put(e.getKey(), e.getValue().get(i));
        }
      }
      add(other.epochs.get(i), logs);
    }
  }

  public static History fromMap(List<Integer> epochs, Map<String, List<Double>> values) {
    History h = new History();
    h.epochs.addAll(epochs);
    values.forEach((k, v) -> h.values.put(k, new ArrayList<>(v)));
    return h;
  }
}
