package dev.cnnspark.driver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.driver.rounds.RoundCostModel;
import dev.cnnspark.worker.bench.BenchmarkReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code cnnspark bench --fit-rounds DIR}: fits {@link RoundCostModel}'s constants to the runs
 * {@code deploy/bench/round-costs.sh} left in DIR (one directory per run, {@code <aggregation>-e<executors>-<name>},
 * holding the job's console and rounds.csv), then prints, for every run, the measured mean round time against the
 * model's prediction (the run's own measured local training plus the predicted time outside it) and the error.
 * The first {@link #WARM_UP} rounds of each run are left out (JIT compilation, first block fetches).
 */
final class RoundFit {
  static final int WARM_UP = 3;
  private static final Pattern RUN = Pattern.compile("(driver|sharded)-e(\\d+)-(.+)");
  private static final Pattern STATE = Pattern.compile("state per worker: (\\d+) floats");

  private final BenchmarkReport report;
  private final PrintStream out;

  RoundFit(BenchmarkReport report, PrintStream out) {
    this.report = report;
    this.out = out;
  }

  static List<RoundCostModel.Observation> read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--fit-rounds " + dir + ": no such directory");
    }
    List<RoundCostModel.Observation> obs = new ArrayList<>();
    try (Stream<Path> runs = Files.list(dir)) {
      for (Path run : runs.sorted().toList()) {
        Matcher m = RUN.matcher(run.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(run.resolve("rounds.csv"))) {
          continue;
        }
        Matcher s = STATE.matcher(Files.readString(run.resolve("console.txt")));
        if (!s.find()) {
          throw new IllegalArgumentException(run + "/console.txt does not say the state size (a job of an older "
              + "build?)");
        }
        List<String> rows = Files.readAllLines(run.resolve("rounds.csv"));
        double wall = 0;
        double local = 0;
        int n = 0;
        for (int i = 1 + WARM_UP; i < rows.size(); i++) {
          String[] f = rows.get(i).split(",");
          try {
            wall += Double.parseDouble(f[5]);
            local += Double.parseDouble(f[6]);
          } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(run + "/rounds.csv line " + (i + 1) + " is not a round of this "
                + "version (wall_ms and local_training_ms in columns 6 and 7): '" + rows.get(i) + "'");
          }
          n++;
        }
        if (n == 0) {
          throw new IllegalArgumentException(run + "/rounds.csv has no rounds after the " + WARM_UP + " warm-up ones");
        }
        obs.add(new RoundCostModel.Observation(m.group(3), m.group(1), Integer.parseInt(m.group(2)),
            4.0 * Long.parseLong(s.group(1)), wall / n / 1e3, local / n / 1e3));
      }
    }
    if (obs.isEmpty()) {
      throw new IllegalArgumentException(dir + " holds no runs of deploy/bench/round-costs.sh");
    }
    return obs;
  }

  void run(Path dir) throws IOException {
    List<RoundCostModel.Observation> obs = read(dir);
    RoundCostModel fitted = RoundCostModel.fit(obs);
    out.println("fitted: " + fitted.describe());
    out.println(String.format(Locale.ROOT, "as Java: new RoundCostModel(new double[] {%s}, new double[] {%s})",
        join(fitted.driver()), join(fitted.sharded())));
    StringBuilder table = new StringBuilder("\n| aggregation | executors | run | state MB | local training ms | "
        + "measured round ms | predicted ms | error |\n|---|---|---|---|---|---|---|---|\n");
    double worst = 0;
    for (RoundCostModel.Observation o : obs) {
      double predicted = o.localSeconds() + fitted.communication(o.aggregation(), o.executors(), o.stateBytes(),
          RoundCostModel.Network.LOOPBACK);
      double error = predicted / o.wallSeconds() - 1;
      worst = Math.max(worst, Math.abs(error));
      ObjectNode j = report.line("round_fit");
      j.put("aggregation", o.aggregation());
      j.put("executors", o.executors());
      j.put("run", o.name());
      j.put("state_mb", Math.round(o.stateBytes() / 1e5) / 10.0);
      j.put("local_training_ms", Math.round(o.localSeconds() * 1e4) / 10.0);
      j.put("measured_round_ms", Math.round(o.wallSeconds() * 1e4) / 10.0);
      j.put("predicted_round_ms", Math.round(predicted * 1e4) / 10.0);
      j.put("error", Math.round(error * 1000) / 1000.0);
      report.emit(j);
      table.append(String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.0f | %.0f | %.0f | %+.1f%% |%n",
          o.aggregation(), o.executors(), o.name(), o.stateBytes() / 1e6, o.localSeconds() * 1e3,
          o.wallSeconds() * 1e3, predicted * 1e3, error * 100));
    }
    out.println(table);
    out.println(String.format(Locale.ROOT, "largest error: %.1f%% over %d runs", worst * 100, obs.size()));
  }

  private static String join(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double x : v) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", x));
    }
    return b.toString();
  }
}
