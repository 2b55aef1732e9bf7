package dev.cnnspark.worker.model;

import dev.cnnspark.worker.layers.Layer;
import java.util.List;
import java.util.Locale;

/** Keras' {@code model.summary()} table (the classic text layout), with totals split trainable / non-trainable. */
final class Summary {
  private static final String RULE = "_".repeat(65);
  private static final String DOUBLE_RULE = "=".repeat(65);

  private Summary() {
  }

  static String render(String modelName, List<Layer> layers, ModelLayout layout) {
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(modelName).append("\"\n").append(RULE).append('\n');
    sb.append(String.format(Locale.ROOT, " %-28s%-26s%-10s%n", "Layer (type)", "Output Shape", "Param #"));
    sb.append(DOUBLE_RULE).append('\n');
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      int count = layout.paramCounts()[i] + layout.movingCounts()[i];
      sb.append(String.format(Locale.ROOT, " %-28s%-26s%-10d%n", l.name() + " (" + l.type() + ")",
          layout.outputs().get(i).withBatch(), count));
      sb.append(i + 1 < layers.size() ? "\n" : "");
    }
    long trainable = 0;
    for (int i = 0; i < layers.size(); i++) {
      trainable += layers.get(i).trainable() ? layout.paramCounts()[i] : 0;
    }
    long total = (long) layout.params() + layout.moving();
    sb.append(DOUBLE_RULE).append('\n');
    sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
    sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
    sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
    sb.append(RULE).append('\n');
    return sb.toString();
  }
}
