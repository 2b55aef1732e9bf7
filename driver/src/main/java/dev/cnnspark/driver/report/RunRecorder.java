package dev.cnnspark.driver.report;

import dev.cnnspark.driver.doctor.ExecutorReport;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.train.History;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What the training loop tells the run directory: each round ({@link #round}), each epoch's end ({@link #epoch}:
 * TensorBoard scalars and weight histograms, {@code history.csv} and {@code rounds.csv} rewritten whole), and the
 * finished run ({@link #finish}: {@code report.html} and its PNG charts). {@code rounds.csv} also follows every
 * checkpoint, and a resumed run reads it back up to the checkpoint's round, so the per-round curve of a killed and
 * resumed run is the uninterrupted run's. A write that fails prints one warning and the run goes on: the record is
 * a by-product, the checkpoints are what must not be lost.
 */
public final class RunRecorder implements Closeable {
  public static final String HISTORY = "history.csv";
  public static final String ROUNDS = "rounds.csv";
  public static final String REPORT = "report.html";

  /** What the report shows besides the rounds and history the recorder holds; null test/executors allowed. */
  public record Finished(String job, String modelSummary, History history, EvalResult test, String testWhat,
                         List<String> classNames, double trainSeconds, boolean resumed,
                         List<ExecutorReport> executors, String specJson, Map<String, String> versions) {
  }

  /** Which parts to write (the spec's {@code report} section). */
  public record Parts(boolean tensorBoard, boolean histograms, boolean html) {
  }

  private final RunDirectory dir;
  private final Parts parts;
  private final PrintStream out;
  private final TensorBoardLog tb;
  private final List<RoundRecord> rounds = new ArrayList<>();
  private boolean warned;

  private RunRecorder(RunDirectory dir, Parts parts, PrintStream out) {
    this.dir = dir;
    this.parts = parts;
    this.out = out;
    this.tb = dir != null && parts.tensorBoard() ? new TensorBoardLog(dir, System.currentTimeMillis(), host()) : null;
  }

  /** A recorder that records nothing (no run directory). */
  public static RunRecorder none(PrintStream out) {
    return new RunRecorder(null, new Parts(false, false, false), out);
  }

  /** Records into {@code location} (created when missing); an empty location records nothing. */
  public static RunRecorder open(String location, Parts parts, Configuration conf, PrintStream out) {
    if (location.isBlank()) {
      return none(out);
    }
    try {
      RunDirectory d = RunDirectory.at(location, conf);
      out.println("run record: " + d.uri() + " (history.csv, rounds.csv" + (parts.tensorBoard() ? ", tensorboard/"
          : "") + (parts.html() ? ", report.html" : "") + ")");
      return new RunRecorder(d, parts, out);
    } catch (IOException | RuntimeException e) {
      out.println("WARNING: the run record cannot be written to " + location + " (" + e.getMessage() + "); training "
          + "goes on without history.csv, TensorBoard files and report.html");
      return none(out);
    }
  }

  public boolean active() {
    return dir != null;
  }

  /** The rounds recorded so far (read back on resume, then this process's). */
  public List<RoundRecord> rounds() {
    return List.copyOf(rounds);
  }

  /** A resumed run: the rounds up to the checkpoint's, from {@code rounds.csv}. */
  public void resumedAt(long globalRound) {
    if (dir == null) {
      return;
    }
    try {
      rounds.clear();
      dir.read(ROUNDS).ifPresent(csv -> rounds.addAll(RoundRecord.parse(csv, globalRound)));
    } catch (IOException | RuntimeException e) {
      warn("cannot read " + dir.describe(ROUNDS) + " back (" + e.getMessage() + "): the per-round curve starts at "
          + "the resumed round");
    }
  }

  public void round(RoundRecord r) {
    if (dir == null) {
      return;
    }
    rounds.add(r);
    if (tb != null) {
      try {
        long step = r.globalRound();
        tb.scalar("train", "round_loss", step, r.loss());
        tb.scalar("train", "round_samples_per_s", step, r.samplesPerSecond());
        tb.scalar("train", "round_time/local_training_ms", step, r.localTrainMs());
        tb.scalar("train", "round_time/broadcast_ms", step, r.broadcastMs());
        tb.scalar("train", "round_time/state_copies_ms", step, r.copyMs());
        tb.scalar("train", "round_time/averaging_ms", step, r.averageMs());
        tb.scalar("train", "round_time/scheduling_and_results_ms", step, r.otherMs());
      } catch (IOException | RuntimeException e) {
        warn("cannot write TensorBoard events (" + e.getMessage() + ")");
      }
    }
  }

  /** A checkpoint was written: {@code rounds.csv} follows it so a resume finds every round up to it. */
  public void checkpointed() {
    if (dir != null) {
      write(ROUNDS, RoundRecord.toCsv(rounds));
    }
  }

  /**
   * An epoch ended ({@code epoch} 0-based, as Keras' TensorBoard steps): its logs and learning rate as TensorBoard
   * scalars ({@code epoch_loss}, {@code epoch_accuracy}, {@code epoch_learning_rate} in {@code train};
   * {@code val_*} as {@code epoch_*} in {@code validation}), each layer's weights as a histogram, and the CSV files.
   */
  public void epoch(int epoch, History history, Map<String, Double> logs, double learningRate, Sequential model,
                    ModelState state) {
    if (dir == null) {
      return;
    }
    if (tb != null) {
      try {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
          boolean val = e.getKey().startsWith("val_");
          tb.scalar(val ? "validation" : "train", "epoch_" + (val ? e.getKey().substring(4) : e.getKey()), epoch,
              e.getValue());
        }
        tb.scalar("train", "epoch_learning_rate", epoch, learningRate);
        if (parts.histograms()) {
          ModelLayout l = model.layout();
          for (int i = 0; i < model.layers().size(); i++) {
            tb.histogram("train", model.layers().get(i).name() + "/weights", epoch, state.params(),
                l.paramOffsets()[i], l.paramCounts()[i]);
          }
        }
        tb.flush();
      } catch (IOException | RuntimeException e) {
        warn("cannot write TensorBoard events (" + e.getMessage() + ")");
      }
    }
    write(HISTORY, historyCsv(history));
    write(ROUNDS, RoundRecord.toCsv(rounds));
  }

  /** Keras' CSVLogger columns: {@code epoch} (0-based), then the logs' keys sorted by name. */
  static String historyCsv(History history) {
    List<String> keys = new ArrayList<>(history.asMap().keySet());
    keys.sort(null);
    StringBuilder sb = new StringBuilder("epoch");
    keys.forEach(k -> sb.append(',').append(k));
    sb.append('\n');
    for (int i = 0; i < history.epochs().size(); i++) {
      sb.append(history.epochs().get(i));
      for (String k : keys) {
        sb.append(',').append(history.asMap().get(k).get(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The run is over: {@code report.html} and its charts as PNG files beside it. */
  public void finish(Finished f) {
    if (dir == null || !parts.html()) {
      return;
    }
    try {
      HtmlReport.Content c = new HtmlReport.Content(f.job(), ZonedDateTime.now().format(
          DateTimeFormatter.RFC_1123_DATE_TIME), f.modelSummary(), f.history(), rounds(), f.test(), f.testWhat(),
          f.classNames(), f.trainSeconds(), f.resumed(), f.executors(), f.specJson(), f.versions());
      Map<String, byte[]> charts = HtmlReport.charts(c);
      for (Map.Entry<String, byte[]> e : charts.entrySet()) {
        dir.write(e.getKey(), e.getValue());
      }
      dir.write(REPORT, HtmlReport.html(c, charts));
      out.println("report: " + dir.describe(REPORT) + " (charts beside it: " + String.join(", ", charts.keySet())
          + ")");
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      warn("cannot write " + REPORT + " (" + e + ")");
    }
  }

  private void write(String name, String text) {
    try {
      dir.write(name, text);
    } catch (IOException | RuntimeException e) {
      warn("cannot write " + dir.describe(name) + " (" + e.getMessage() + ")");
    }
  }

  private void warn(String what) {
    if (!warned) {
      out.println("WARNING: run record: " + what + "; training goes on (later failures of the record are not "
          + "repeated)");
      warned = true;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public void close() {
    if (dir == null) {
      return;
    }
    try {
      if (tb != null) {
        tb.close();
      }
      dir.close();
    } catch (IOException e) {
      warn("cannot close the TensorBoard files (" + e.getMessage() + ")");
    }
  }
}
