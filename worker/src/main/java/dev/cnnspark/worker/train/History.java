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

  public static History fromMap(List<Integer> epochs, Map<String, List<Double>> values) {
    History h = new History();
    h.epochs.addAll(epochs);
    values.forEach((k, v) -> h.values.put(k, new ArrayList<>(v)));
    return h;
  }
}
