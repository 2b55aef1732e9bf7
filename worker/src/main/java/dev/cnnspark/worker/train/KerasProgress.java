package dev.cnnspark.worker.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressState;

/**
 * Keras' epoch progress line on top of the {@code progressbar} library, which does the refreshing and terminal
 * handling:
 * <pre>
 * Epoch 1/6
 * 12800/60000 [=====>........................] - ETA: 48s - loss: 0.4521 - accuracy: 0.8610
 * 60000/60000 [==============================] - 62s 1ms/sample - loss: 0.2018 - accuracy: 0.9391 - val_loss: ...
 * </pre>
 * On a terminal the line redraws in place; in a log (no console) it prints a full line every 15 s.
 * verbose 0 prints nothing, 2 only the final line of each epoch.
 */
public final class KerasProgress implements AutoCloseable {
  private static final int WIDTH = 30;
  private ProgressBar bar;
  private final PrintStream out;
  private final int verbose;
  private final long total;
  private final long start = System.nanoTime();

  public KerasProgress(int epoch, int epochs, long total, int verbose, PrintStream out) {
    this("Epoch " + (epoch + 1) + "/" + epochs, total, verbose, out);
  }

  /** A bar without the epoch header, as Keras' {@code predict} and {@code evaluate} print it. */
  public static KerasProgress plain(long total, PrintStream out) {
    return new KerasProgress(null, total, 1, out);
  }

  private KerasProgress(String header, long total, int verbose, PrintStream out) {
    this.out = out;
    this.verbose = verbose;
    this.total = total;
    if (verbose >= 1 && header != null) {
      out.println(header);
    }
    if (verbose == 1) {
      boolean terminal = System.console() != null;
      ProgressBarConsumer consumer = terminal ? new ConsoleProgressBarConsumer(out, 150)
          : new DelegatingProgressBarConsumer(new DistinctLines(out), 150);
      bar = new ProgressBarBuilder().setInitialMax(total).setConsumer(consumer)
          .setUpdateIntervalMillis(terminal ? 250 : 15_000).setRenderer(KerasProgress::render).build();
    } else {
      bar = null;
    }
  }

  /** Samples done so far and the running means of the metrics. */
  public void update(long done, Map<String, Double> metrics) {
    if (bar != null) {
      bar.setExtraMessage(format(metrics));
      bar.stepTo(done);
    }
  }

  /** The epoch's final line with all its logs (validation included). */
  public void finish(Map<String, Double> logs) {
    if (bar != null) {
      bar.setExtraMessage(format(logs));
      bar.stepTo(total);
      bar.close();
      bar = null;
    } else if (verbose == 2) {
      out.println(line(total, total, Duration.ofNanos(System.nanoTime() - start), format(logs)));
      out.flush();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }

  /**
   * Prints a line unless it repeats the previous one but for its timing (the library renders the final state more
   * than once, a millisecond apart: "702us/sample" then "703us/sample").
   */
  private static final class DistinctLines implements java.util.function.Consumer<String> {
    private final PrintStream out;
    private String last;

    DistinctLines(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void accept(String line) {
      String key = line.replaceAll(" - (\\d+s \\S+/sample|ETA: \\d+s)", "");
      if (!key.equals(last)) {
        out.println(line);
        last = key;
      }
    }
  }

  static String format(Map<String, Double> metrics) {
    StringBuilder sb = new StringBuilder();
    metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " - %s: %.4f", k, v)));
    return sb.toString();
  }

  private static String render(ProgressState s, int maxLength) {
    return line(s.getCurrent(), s.getMax(), s.getElapsedAfterStart(), s.getExtraMessage());
  }

  static String line(long current, long max, Duration elapsed, String extra) {
    int digits = Long.toString(max).length();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%" + digits + "d/%d [", current, max));
    int filled = max == 0 ? WIDTH : (int) (WIDTH * current / max);
    for (int i = 0; i < WIDTH; i++) {
      sb.append(i < filled ? '=' : (i == filled && current < max ? '>' : '.'));
    }
    sb.append(']');
    double seconds = elapsed.toMillis() / 1000.0;
    if (current >= max) {
      double perSample = current == 0 ? 0 : seconds / current;
      sb.append(String.format(Locale.ROOT, " - %.0fs %s/sample", seconds, perSample >= 1e-3
          ? String.format(Locale.ROOT, "%.0fms", perSample * 1e3) : String.format(Locale.ROOT, "%.0fus", perSample * 1e6)));
    } else {
      double eta = current == 0 ? 0 : seconds * (max - current) / current;
      sb.append(String.format(Locale.ROOT, " - ETA: %.0fs", eta));
    }
    return sb.append(extra == null ? "" : extra).toString();
  }
}
