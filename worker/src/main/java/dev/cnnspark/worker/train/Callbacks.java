package dev.cnnspark.worker.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keras' training callbacks, with Keras' names, keys, defaults and semantics, for {@code fit} and {@code train}:
 * {@code EarlyStopping} (monitor, min_delta, patience, mode, restore_best_weights, start_from_epoch),
 * {@code ReduceLROnPlateau} (monitor, factor, patience, mode, min_delta, cooldown, min_lr),
 * {@code LearningRateScheduler} (Keras takes a Python function; here {@code schedule: step | exponential | cosine}
 * with its parameters and an optional linear warm-up), {@code CSVLogger} (filename, separator, append) and
 * {@code TerminateOnNaN} (what the trainer always does: a non-finite loss stops training, exit 9).
 *
 * <p>All state (best values, waits, cooldown, the current learning rate, whether training stopped, and the best
 * weights EarlyStopping keeps) is in {@link #state()} and {@link #bestWeights()}, which the trainer stores in every
 * checkpoint, so a resumed run stops or decays exactly where an uninterrupted one would. The learning rate is set per
 * epoch; a plateau reduction takes effect from the next epoch, as in Keras.
 */
public final class Callbacks {
  public static final Callbacks NONE = new Callbacks(List.of());

  /** What the trainer does after an epoch: stop, and the weights to continue from (restored best), or null. */
  public record Decision(boolean stop, ModelState restore) {
  }

  private final List<JsonNode> configs;
  private EarlyStopping early;
  private Plateau plateau;
  private Schedule schedule;
  private CsvLogger csv;
  private Float lr;
  private boolean stopped;

  private Callbacks(List<JsonNode> configs) {
    this.configs = configs;
  }

  /** Callbacks from a list of {@code {type: EarlyStopping, ...}} (or Keras' {class_name, config}); errors say where. */
  public static Callbacks parse(JsonNode list, String where) {
    if (list == null || list.isMissingNode() || list.isNull()) {
      return new Callbacks(List.of());
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(where + ": must be a list of callbacks, got " + list);
    }
    Callbacks c = new Callbacks(new ArrayList<>());
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      String at = where + "[" + i + "]";
      String type = n.has("class_name") ? n.path("class_name").asText() : n.path("type").asText("");
      JsonNode cfg = n.has("class_name") ? n.path("config") : n;
      Args a = new Args(cfg, at + " (" + type + ")");
      switch (type) {
        case "EarlyStopping" -> {
          a.allow("monitor", "min_delta", "patience", "mode", "restore_best_weights", "start_from_epoch",
              "baseline", "verbose");
          if (cfg.has("baseline") && !cfg.get("baseline").isNull()) {
            throw new IllegalArgumentException(a.at + ": 'baseline' is not supported; remove it or set it to null");
          }
          c.early = c.once(c.early, new EarlyStopping(a.text("monitor", "val_loss"), a.number("min_delta", 0),
              a.integer("patience", 0), a.mode(), a.bool("restore_best_weights", false),
              a.integer("start_from_epoch", 0)), a.at);
        }
        case "ReduceLROnPlateau" -> {
          a.allow("monitor", "factor", "patience", "mode", "min_delta", "cooldown", "min_lr", "verbose");
          double factor = a.number("factor", 0.1);
          if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException(a.at + ": 'factor' must be in (0, 1), got " + factor);
          }
          c.plateau = c.once(c.plateau, new Plateau(a.text("monitor", "val_loss"), factor,
              a.integer("patience", 10), a.mode(), a.number("min_delta", 1e-4), a.integer("cooldown", 0),
              a.number("min_lr", 0)), a.at);
        }
        case "LearningRateScheduler" -> {
          a.allow("schedule", "drop", "every", "rate", "decay_epochs", "alpha", "warmup_epochs", "verbose");
          String kind = a.text("schedule", "");
          if (!Set.of("step", "exponential", "cosine").contains(kind)) {
            throw new IllegalArgumentException(a.at + ": 'schedule' must be step, exponential or cosine (Keras takes "
                + "a Python function, which a job spec cannot hold), got '" + kind + "'");
          }
          c.schedule = c.once(c.schedule, new Schedule(kind, a.number("drop", 0.5), a.integer("every", 10),
              a.number("rate", 0.96), a.number("decay_epochs", kind.equals("cosine") ? 0 : 1),
              a.number("alpha", 0), a.integer("warmup_epochs", 0)), a.at);
          if (kind.equals("cosine") && c.schedule.decayEpochs <= 0) {
            throw new IllegalArgumentException(a.at + ": the cosine schedule needs 'decay_epochs' (epochs to decay "
                + "over, warm-up included)");
          }
        }
        case "CSVLogger" -> {
          a.allow("filename", "separator", "append");
          c.csv = c.once(c.csv, new CsvLogger(Path.of(a.text("filename", "")), a.text("separator", ","),
              a.bool("append", false)), a.at);
        }
        case "TerminateOnNaN" -> a.allow();
        default -> throw new IllegalArgumentException(at + ": unknown callback '" + type + "' (known: EarlyStopping, "
            + "ReduceLROnPlateau, LearningRateScheduler, CSVLogger, TerminateOnNaN)");
      }
      c.configs.add(n);
    }
    if (c.plateau != null && c.schedule != null) {
      throw new IllegalArgumentException(where + ": ReduceLROnPlateau and LearningRateScheduler both set the "
          + "learning rate; use one");
    }
    return c;
  }

  private <T> T once(T existing, T next, String at) {
    if (existing != null) {
      throw new IllegalArgumentException(at + ": a second " + next.getClass().getSimpleName() + " callback");
    }
    return next;
  }

  public boolean isEmpty() {
    return configs.isEmpty();
  }

  /** Whether an EarlyStopping has stopped training (a resumed run then trains no further). */
  public boolean stopped() {
    return stopped;
  }

  /** The learning rate for an epoch, from the optimizer's configured one; applies to the whole epoch. */
  public float learningRate(int epoch, float base) {
    if (schedule != null) {
      return (float) (base * schedule.factor(epoch));
    }
    if (plateau != null) {
      return lr != null ? lr : base;
    }
    return base;
  }

  /**
   * After an epoch's logs (validation included): updates every callback and says whether to stop and which weights
   * to continue from. {@code state} is the model's state after the epoch (kept when EarlyStopping restores the best).
   */
  public Decision onEpochEnd(int epoch, Map<String, Double> logs, float currentLr, ModelState state,
                             Consumer<String> out) {
    if (csv != null) {
      csv.write(epoch, logs);
    }
    if (plateau != null) {
      Float next = plateau.update(logs, currentLr, out);
      if (next != null) {
        lr = next;
      }
    }
    if (early != null) {
      boolean stop = early.update(epoch, logs, state, out);
      if (stop) {
        stopped = true;
        ModelState best = early.restore ? early.bestWeights : null;
        if (best != null) {
          out.accept(String.format(Locale.ROOT, "EarlyStopping: restoring the weights of the best epoch (%d)",
              early.bestEpoch + 1));
        }
        return new Decision(true, best);
      }
    }
    return new Decision(false, null);
  }

  /** Every callback's state, for the checkpoint. */
  public ObjectNode state() {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.set("configs", Json.MAPPER.valueToTree(configs));
    s.put("stopped", stopped);
    if (lr != null) {
      s.put("lr", lr);
    }
    if (early != null) {
      s.set("early_stopping", early.state());
    }
    if (plateau != null) {
      s.set("plateau", plateau.state());
    }
    return s;
  }

  /** Restores {@link #state()} and the kept best weights (null if none) from a checkpoint. */
  public void restore(JsonNode s, ModelState bestWeights) {
    if (s == null || s.isMissingNode() || s.isNull()) {
      return;
    }
    stopped = s.path("stopped").asBoolean(false);
    lr = s.has("lr") ? (float) s.path("lr").asDouble() : null;
    if (early != null && s.has("early_stopping")) {
      early.restore(s.path("early_stopping"), bestWeights);
    }
    if (plateau != null && s.has("plateau")) {
      plateau.restore(s.path("plateau"));
    }
  }

  /** The weights EarlyStopping keeps for restore_best_weights, or null. */
  public ModelState bestWeights() {
    return early != null && early.restore ? early.bestWeights : null;
  }

  /** Keras' mode: max for accuracy-like metrics, min otherwise. */
  private static boolean maximizes(String mode, String monitor) {
    return mode.equals("max") || (mode.equals("auto") && (monitor.endsWith("acc") || monitor.endsWith("accuracy")));
  }

  /** Keras 2's EarlyStopping: see the class comment. */
  private static final class EarlyStopping {
    final String monitor;
    final double minDelta;
    final int patience;
    final boolean max;
    final boolean restore;
    final int startFrom;
    double best;
    int wait;
    int bestEpoch = -1;
    ModelState bestWeights;

    EarlyStopping(String monitor, double minDelta, int patience, String mode, boolean restore, int startFrom) {
      this.monitor = monitor;
      this.minDelta = Math.abs(minDelta);
      this.patience = patience;
      this.max = maximizes(mode, monitor);
      this.restore = restore;
      this.startFrom = startFrom;
      this.best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    boolean update(int epoch, Map<String, Double> logs, ModelState state, Consumer<String> out) {
      Double current = logs.get(monitor);
      if (current == null || current.isNaN()) {
        out.accept("WARNING: EarlyStopping monitors '" + monitor + "', which the epoch's logs do not have "
            + logs.keySet());
        return false;
      }
      if (epoch < startFrom) {
        return false;
      }
      if (restore && bestWeights == null) {
        bestWeights = weightsOf(state);
      }
      wait++;
      boolean improved = max ? current - minDelta > best : current + minDelta < best;
      if (improved) {
        best = current;
        bestEpoch = epoch;
        if (restore) {
          bestWeights = weightsOf(state);
        }
        wait = 0;
        return false;
      }
      if (wait >= patience && epoch > 0) {
        out.accept(String.format(Locale.ROOT, "EarlyStopping: %s did not improve for %d epoch(s) (best %.4f at epoch "
            + "%d): stopping after epoch %d", monitor, wait, best, bestEpoch + 1, epoch + 1));
        return true;
      }
      return false;
    }

    /** The parameters and moving statistics (optimizer slots are not restored, as in Keras). */
    private static ModelState weightsOf(ModelState s) {
      return new ModelState(s.params().clone(), s.moving().clone(), new float[0], new float[0], s.iterations());
    }

    ObjectNode state() {
      ObjectNode s = Json.MAPPER.createObjectNode();
      s.put("best", best);
      s.put("wait", wait);
      s.put("best_epoch", bestEpoch);
      return s;
    }

    void restore(JsonNode s, ModelState weights) {
      best = s.path("best").asDouble();
      wait = s.path("wait").asInt();
      bestEpoch = s.path("best_epoch").asInt(-1);
      bestWeights = weights;
    }
  }

  /** Keras 2's ReduceLROnPlateau. */
  private static final class Plateau {
    final String monitor;
    final double factor;
    final int patience;
    final boolean max;
    final double minDelta;
    final int cooldown;
    final double minLr;
    double best;
    int wait;
    int cooldownCounter;

    Plateau(String monitor, double factor, int patience, String mode, double minDelta, int cooldown, double minLr) {
      this.monitor = monitor;
      this.factor = factor;
      this.patience = patience;
      this.max = maximizes(mode, monitor);
      this.minDelta = minDelta;
      this.cooldown = cooldown;
      this.minLr = minLr;
      this.best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** The new learning rate when this epoch triggers a reduction, else null. */
    Float update(Map<String, Double> logs, float lr, Consumer<String> out) {
      Double current = logs.get(monitor);
      if (current == null || current.isNaN()) {
        out.accept("WARNING: ReduceLROnPlateau monitors '" + monitor + "', which the epoch's logs do not have "
            + logs.keySet());
        return null;
      }
      boolean inCooldown = cooldownCounter > 0;
      if (inCooldown) {
        cooldownCounter--;
        wait = 0;
      }
      if (max ? current > best + minDelta : current < best - minDelta) {
        best = current;
        wait = 0;
      } else if (!inCooldown) {
        wait++;
        if (wait >= patience && lr > minLr) {
          float next = (float) Math.max(lr * factor, minLr);
          cooldownCounter = cooldown;
          wait = 0;
          out.accept(String.format(Locale.ROOT, "ReduceLROnPlateau: %s did not improve: learning rate %.6g -> %.6g",
              monitor, lr, next));
          return next;
        }
      }
      return null;
    }

    ObjectNode state() {
      ObjectNode s = Json.MAPPER.createObjectNode();
      s.put("best", best);
      s.put("wait", wait);
      s.put("cooldown_counter", cooldownCounter);
      return s;
    }

    void restore(JsonNode s) {
      best = s.path("best").asDouble();
      wait = s.path("wait").asInt();
      cooldownCounter = s.path("cooldown_counter").asInt();
    }
  }

  /**
   * The learning rate as a factor of the configured one, per epoch e (0-based) after {@code warmup} epochs of linear
   * warm-up ((e + 1) / warmup): step: {@code drop^floor(e / every)}; exponential: {@code rate^(e / decay_epochs)};
   * cosine: {@code alpha + (1 - alpha) (1 + cos(pi min(e - warmup, d) / d)) / 2}, d = decay_epochs - warmup.
   */
  private record Schedule(String kind, double drop, int every, double rate, double decayEpochs, double alpha,
                          int warmup) {
    double factor(int epoch) {
      if (epoch < warmup) {
        return (epoch + 1) / (double) warmup;
      }
      int e = epoch - warmup;
      return switch (kind) {
        case "step" -> Math.pow(drop, Math.floor(e / (double) Math.max(1, every)));
        case "exponential" -> Math.pow(rate, e / decayEpochs);
        default -> {
          double d = Math.max(1, decayEpochs - warmup);
          yield alpha + (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * Math.min(e, d) / d));
        }
      };
    }
  }

  /** Keras' CSVLogger: epoch, then the logs' keys sorted by name; appends when asked (a resumed run keeps its rows). */
  private static final class CsvLogger {
    final Path file;
    final String sep;
    boolean append;

    CsvLogger(Path file, String sep, boolean append) {
      if (file.toString().isEmpty()) {
        throw new IllegalArgumentException("CSVLogger needs a filename");
      }
      this.file = file;
      this.sep = sep;
      this.append = append;
    }

    void write(int epoch, Map<String, Double> logs) {
      try {
        if (file.toAbsolutePath().getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        boolean header = !append || !Files.exists(file) || Files.size(file) == 0;
        StringBuilder sb = new StringBuilder();
        java.util.List<String> keys = logs.keySet().stream().sorted().toList(); // Keras: sorted(logs.keys())
        if (header) {
          sb.append("epoch");
          keys.forEach(k -> sb.append(sep).append(k));
          sb.append('\n');
        }
        sb.append(epoch);
        keys.forEach(k -> sb.append(sep).append(logs.get(k)));
        sb.append('\n');
        Files.writeString(file, sb.toString(), header && !append ? new StandardOpenOption[] {
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE}
            : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND});
        append = true; // later epochs of this run append
      } catch (IOException e) {
        throw new UncheckedIOException("CSVLogger: cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Typed access to one callback's keys, messages naming where. */
  private static final class Args {
    final JsonNode cfg;
    final String at;

    Args(JsonNode cfg, String at) {
      this.cfg = cfg;
      this.at = at;
    }

    void allow(String... keys) {
      Set<String> ok = new java.util.HashSet<>(List.of(keys));
      ok.add("type");
      for (Iterator<String> it = cfg.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!ok.contains(k)) {
          throw new IllegalArgumentException(at + ": unknown key '" + k + "' (allowed: " + new java.util.TreeSet<>(ok)
              + ")");
        }
      }
    }

    String text(String k, String dflt) {
      JsonNode v = cfg.get(k);
      return v == null || v.isNull() ? dflt : v.asText();
    }

    double number(String k, double dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < 0) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be a finite number >= 0, got " + v);
      }
      return v.asDouble();
    }

    int integer(String k, int dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isIntegralNumber() || v.asInt() < 0) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be an integer >= 0, got " + v);
      }
      return v.asInt();
    }

    boolean bool(String k, boolean dflt) {
      JsonNode v = cfg.get(k);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw new IllegalArgumentException(at + ": '" + k + "' must be true or false, got " + v);
      }
      return v.asBoolean();
    }

    String mode() {
      String m = text("mode", "auto");
      if (!Set.of("auto", "min", "max").contains(m)) {
        throw new IllegalArgumentException(at + ": 'mode' must be auto, min or max, got '" + m + "'");
      }
      return m;
    }
  }
}
