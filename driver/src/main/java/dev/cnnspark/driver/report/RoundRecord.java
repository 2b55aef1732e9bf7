package dev.cnnspark.driver.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One averaging round: its training loss and where its wall time went (milliseconds; {@code otherMs} is scheduling,
 * the workers' states reaching the driver and GC). One row of {@code rounds.csv}.
 */
public record RoundRecord(long globalRound, int epoch, int round, double loss, long examples, double wallMs,
                          double localTrainMs, double broadcastMs, double copyMs, double averageMs, double otherMs,
                          double learningRate) {
  static final String HEADER = "global_round,epoch,round,loss,examples,wall_ms,local_training_ms,broadcast_ms,"
      + "state_copies_ms,averaging_ms,other_ms,learning_rate";

  String csv() {
    return String.format(Locale.ROOT, "%d,%d,%d,%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%s", globalRound, epoch, round,
        loss, examples, wallMs, localTrainMs, broadcastMs, copyMs, averageMs, otherMs, learningRate);
  }

  /** Examples per second of wall time. */
  public double samplesPerSecond() {
    return wallMs <= 0 ? 0 : examples * 1000.0 / wallMs;
  }

  static String toCsv(List<RoundRecord> rows) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    rows.forEach(r -> sb.append(r.csv()).append('\n'));
    return sb.toString();
  }

  /** The rows of a {@code rounds.csv} this class wrote, up to and including {@code lastRound}. */
  static List<RoundRecord> parse(String csv, long lastRound) {
    List<RoundRecord> rows = new ArrayList<>();
    String[] lines = csv.split("\n");
    if (lines.length == 0 || !lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("not a rounds.csv of this version (header '" + (lines.length == 0 ? ""
          : lines[0]) + "')");
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      if (f.length != 12) {
        throw new IllegalArgumentException("rounds.csv line " + (i + 1) + " has " + f.length + " fields, not 12");
      }
      RoundRecord r = new RoundRecord(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
          Double.parseDouble(f[3]), Long.parseLong(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
          Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
          Double.parseDouble(f[11]));
      if (r.globalRound() <= lastRound) {
        rows.add(r);
      }
    }
    return rows;
  }
}
