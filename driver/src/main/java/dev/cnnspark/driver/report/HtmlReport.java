package dev.cnnspark.driver.report;

import dev.cnnspark.driver.doctor.ExecutorReport;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.worker.train.ConfusionMatrix;
import dev.cnnspark.worker.train.History;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (the charts inlined as PNG data, no scripts, nothing fetched) with the
 * learning curves, the training loss per round, the confusion matrix and per-class precision/recall/F1 of the final
 * evaluation, where the rounds' time went, the executors' devices, the job spec and the versions. The same charts
 * are written as PNG files beside it ({@link #charts}).
 */
final class HtmlReport {
  /** What the page shows; {@code test} and {@code executors} may be null (no test data; preflight skipped). */
  record Content(String job, String finishedAt, String modelSummary, History history, List<RoundRecord> rounds,
                 EvalResult test, String testWhat, List<String> classNames, double trainSeconds, boolean resumed,
                 List<ExecutorReport> executors, String specJson, Map<String, String> versions) {
  }

  private HtmlReport() {
  }

  /** The charts by file name, in page order; only those the content has data for. */
  static Map<String, byte[]> charts(Content c) {
    Map<String, byte[]> png = new LinkedHashMap<>();
    if (!c.history().epochs().isEmpty()) {
      png.put("loss.png", Charts.perEpoch(c.history(), "loss", "Loss per epoch"));
      if (c.history().asMap().containsKey("accuracy")) {
        png.put("accuracy.png", Charts.perEpoch(c.history(), "accuracy", "Accuracy per epoch"));
      }
    }
    if (!c.rounds().isEmpty()) {
      png.put("round_loss.png", Charts.roundLoss(c.rounds()));
      png.put("round_time.png", Charts.roundTime(timeParts(c.rounds())));
    }
    if (c.test() != null && c.test().examples() > 0) {
      png.put("confusion_matrix.png", Charts.confusion(c.test().confusion(), c.classNames()));
    }
    return png;
  }

  /** Milliseconds by part of a round, summed over the rounds. */
  static Map<String, Double> timeParts(List<RoundRecord> rounds) {
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put("local training", rounds.stream().mapToDouble(RoundRecord::localTrainMs).sum());
    parts.put("broadcast", rounds.stream().mapToDouble(RoundRecord::broadcastMs).sum());
    parts.put("state copies in workers", rounds.stream().mapToDouble(RoundRecord::copyMs).sum());
    parts.put("averaging", rounds.stream().mapToDouble(RoundRecord::averageMs).sum());
    parts.put("scheduling and results", rounds.stream().mapToDouble(RoundRecord::otherMs).sum());
    return parts;
  }

  static String html(Content c, Map<String, byte[]> charts) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(c.job())).append(" - cnnspark report</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em auto;max-width:1000px;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
        .append("img{max-width:100%;display:block;margin:1em 0}pre{background:#f7f7f7;padding:1em;")
        .append("overflow-x:auto;font-size:12px}</style></head><body>\n");
    h.append("<h1>").append(esc(c.job())).append("</h1>\n<p>finished ").append(esc(c.finishedAt()))
        .append(String.format(Locale.ROOT, "; training took %.1f s", c.trainSeconds()))
        .append(c.resumed() ? " (this process's part of a resumed run)" : "").append("</p>\n");
    summary(h, c);
    h.append("<h2>Learning curves</h2>\n");
    img(h, charts, "loss.png", "loss per epoch");
    img(h, charts, "accuracy.png", "accuracy per epoch");
    img(h, charts, "round_loss.png", "training loss per round");
    historyTable(h, c.history());
    if (c.test() != null && c.test().examples() > 0) {
      h.append("<h2>Final evaluation: ").append(esc(c.testWhat())).append("</h2>\n");
      h.append(String.format(Locale.ROOT, "<p>loss %.4f, accuracy %.4f over %d examples</p>%n", c.test().loss(),
          c.test().accuracy(), c.test().examples()));
      img(h, charts, "confusion_matrix.png", "confusion matrix");
      perClass(h, c.test().confusion(), c.classNames());
    }
    if (!c.rounds().isEmpty()) {
      h.append("<h2>Rounds</h2>\n");
      img(h, charts, "round_time.png", "where the rounds' time went");
      roundTable(h, c.rounds());
    }
    h.append("<h2>Executors</h2>\n");
    executors(h, c.executors());
    h.append("<h2>Model</h2>\n<pre>").append(esc(c.modelSummary())).append("</pre>\n");
    h.append("<h2>Versions</h2>\n<table>");
    c.versions().forEach((k, v) -> h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">")
        .append(esc(v)).append("</td></tr>"));
    h.append("</table>\n<h2>Job spec</h2>\n<pre>").append(esc(c.specJson())).append("</pre>\n</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, Content c) {
    h.append("<table>");
    List<Integer> epochs = c.history().epochs();
    row(h, "epochs", Integer.toString(epochs.size()));
    for (String k : c.history().asMap().keySet()) {
      row(h, "final " + k, String.format(Locale.ROOT, "%.4f", c.history().last(k)));
    }
    if (c.test() != null && c.test().examples() > 0) {
      row(h, "test loss", String.format(Locale.ROOT, "%.4f", c.test().loss()));
      row(h, "test accuracy", String.format(Locale.ROOT, "%.4f", c.test().accuracy()));
    }
    if (!c.rounds().isEmpty()) {
      double wall = c.rounds().stream().mapToDouble(RoundRecord::wallMs).sum();
      double local = c.rounds().stream().mapToDouble(RoundRecord::localTrainMs).sum();
      long examples = c.rounds().stream().mapToLong(RoundRecord::examples).sum();
      row(h, "rounds", Integer.toString(c.rounds().size()));
      row(h, "samples/s (round wall time)", String.format(Locale.ROOT, "%.1f", examples * 1000.0 / wall));
      row(h, "share of round time outside local training", String.format(Locale.ROOT, "%.1f%%",
          100 * (wall - local) / wall));
    }
    h.append("</table>\n");
  }

  private static void historyTable(StringBuilder h, History history) {
    if (history.epochs().isEmpty()) {
      return;
    }
    List<String> keys = new ArrayList<>(history.asMap().keySet());
    h.append("<table><tr><th>epoch</th>");
    keys.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
    h.append("</tr>");
    for (int i = 0; i < history.epochs().size(); i++) {
      h.append("<tr><td>").append(history.epochs().get(i) + 1).append("</td>");
      for (String k : keys) {
        h.append(String.format(Locale.ROOT, "<td>%.4f</td>", history.asMap().get(k).get(i)));
      }
      h.append("</tr>");
    }
    h.append("</table>\n");
  }

  private static void perClass(StringBuilder h, ConfusionMatrix cm, List<String> names) {
    h.append("<table><tr><th class=\"l\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>");
    for (int c = 0; c < cm.classes(); c++) {
      h.append("<tr><td class=\"l\">").append(esc(c < names.size() ? names.get(c) : Integer.toString(c)))
          .append("</td><td>").append(ConfusionMatrix.ratio(cm.precision(c))).append("</td><td>")
          .append(ConfusionMatrix.ratio(cm.recall(c))).append("</td><td>").append(ConfusionMatrix.ratio(cm.f1(c)))
          .append("</td><td>").append(cm.support(c)).append("</td></tr>");
    }
    h.append("</table>\n");
  }

  private static void roundTable(StringBuilder h, List<RoundRecord> rounds) {
    Map<String, Double> parts = timeParts(rounds);
    double wall = rounds.stream().mapToDouble(RoundRecord::wallMs).sum();
    h.append("<table><tr><th class=\"l\">part of a round</th><th>total ms</th><th>ms per round</th><th>share</th>")
        .append("</tr>");
    parts.forEach((k, v) -> h.append(String.format(Locale.ROOT,
        "<tr><td class=\"l\">%s</td><td>%.0f</td><td>%.1f</td><td>%.1f%%</td></tr>", esc(k), v, v / rounds.size(),
        100 * v / wall)));
    h.append(String.format(Locale.ROOT, "<tr><th class=\"l\">round (wall)</th><th>%.0f</th><th>%.1f</th><th>100%%"
        + "</th></tr></table>%n", wall, wall / rounds.size()));
  }

  private static void executors(StringBuilder h, List<ExecutorReport> executors) {
    if (executors == null || executors.isEmpty()) {
      h.append("<p>not probed (the pre-flight check was skipped)</p>\n");
      return;
    }
    h.append("<table><tr><th class=\"l\">executor</th><th class=\"l\">host</th><th>cores</th><th>heap MiB</th>")
        .append("<th class=\"l\">Java</th><th class=\"l\">OpenCL devices</th></tr>");
    for (ExecutorReport r : executors) {
      h.append("<tr><td class=\"l\">").append(esc(r.executorId())).append("</td><td class=\"l\">")
          .append(esc(r.host())).append("</td><td>").append(r.cores()).append("</td><td>").append(r.maxHeapMiB())
          .append("</td><td class=\"l\">").append(esc(r.javaVersion())).append("</td><td class=\"l\">")
          .append(esc(r.openClDevices().isEmpty() ? "none" : String.join("; ", r.openClDevices())))
          .append("</td></tr>");
    }
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String k, String v) {
    h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
  }

  private static void img(StringBuilder h, Map<String, byte[]> charts, String name, String alt) {
    byte[] png = charts.get(name);
    if (png != null) {
      h.append("<img alt=\"").append(esc(alt)).append("\" data-file=\"").append(name)
          .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
