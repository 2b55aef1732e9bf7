package dev.cnnspark.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Kernel micro-benchmarks through JMH ({@link KernelOpsBenchmark}): each {@link KernelCase} on one backend, as the
 * mean time per op over JMH's measurement iterations with its 99.9% confidence half-width, and GFLOP/s. JMH's own
 * console output is silenced so stdout stays one JSON object per line. With {@code forks > 0} every case runs in a
 * fresh JVM that inherits this one's flags and class path (JMH's default), so one case's JIT profile cannot slow
 * another's; {@code forks = 0} runs in this JVM (tests, quick looks).
 */
public final class KernelBench {

  /** How long JMH measures: forks per case, warm-up and measurement iterations, and their length. */
  public record Settings(int forks, int warmupIterations, int iterations, int iterationMillis, List<String> cases) {
    public Settings {
      if (forks < 0 || warmupIterations < 0 || iterations < 1 || iterationMillis < 1) {
        throw new IllegalArgumentException("kernel benchmark settings need forks >= 0, warm-up >= 0, iterations "
            + ">= 1 and iteration time >= 1 ms, got " + forks + ", " + warmupIterations + ", " + iterations + ", "
            + iterationMillis);
      }
      for (String c : cases) {
        KernelCase.named(c);
      }
      cases = List.copyOf(cases);
    }

    /** Every case, one fork each, 3 warm-up and 5 measured iterations of 1 s. */
    public static Settings defaults() {
      return new Settings(1, 3, 5, 1000, names(KernelCase.all()));
    }
  }

  private final BenchmarkReport report;
  private final Settings settings;

  public KernelBench(BenchmarkReport report, Settings settings) {
    this.report = report;
    this.settings = settings;
  }

  /** Measures every case on {@code backend} (opened anew inside each trial) and prints a line per case. */
  public void run(String backend, String device, int threads) {
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include("^" + KernelOpsBenchmark.class.getName().replace(".", "\\.") + "\\.")
        .param("backend", backend)
        .param("threads", Integer.toString(threads))
        .param("kernelCase", settings.cases().toArray(new String[0]))
        .forks(settings.forks())
        .warmupIterations(settings.warmupIterations())
        .warmupTime(TimeValue.milliseconds(settings.iterationMillis()))
        .measurementIterations(settings.iterations())
        .measurementTime(TimeValue.milliseconds(settings.iterationMillis()))
        .timeUnit(TimeUnit.MILLISECONDS)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    Collection<RunResult> results;
    Path log;
    try {
      log = Files.createTempFile("cnnspark-jmh", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      // JMH's own output, including what the forked JVMs print, goes to stderr, never into the JSON lines
      results = new Runner(o.output(log.toString()).build()).run();
    } catch (RunnerException e) {
      throw new IllegalStateException("JMH kernel benchmark failed on backend " + backend + ": " + e.getMessage(), e);
    } finally {
      try {
        System.err.print(Files.readString(log));
        Files.deleteIfExists(log);
      } catch (IOException e) {
        System.err.println("could not read or delete JMH's log " + log + ": " + e.getMessage());
      }
    }
    List<RunResult> ordered = new ArrayList<>(results);
    ordered.sort((a, b) -> Integer.compare(settings.cases().indexOf(a.getParams().getParam("kernelCase")),
        settings.cases().indexOf(b.getParams().getParam("kernelCase"))));
    for (RunResult r : ordered) {
      KernelCase c = KernelCase.named(r.getParams().getParam("kernelCase"));
      Result<?> score = r.getPrimaryResult();
      double ms = score.getScore();
      double error = score.getScoreError();
      ObjectNode n = report.line("kernel");
      n.put("backend", backend);
      n.put("device", device);
      n.put("case", c.name());
      n.put("op", c.op());
      n.put("shape", c.shape());
      n.put("ms", round(ms, 1000));
      if (!Double.isNaN(error)) {
        n.put("ms_error", round(error, 1000));
      }
      n.put("gflops", round(c.flop() / ms / 1e6, 10));
      n.put("harness", "jmh " + r.getParams().getJmhVersion() + ", avgt, " + settings.forks() + " fork(s), "
          + settings.warmupIterations() + "+" + settings.iterations() + " x " + settings.iterationMillis() + " ms");
      report.emit(n);
    }
  }

  private static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }

  static List<String> names(List<KernelCase> cases) {
    return cases.stream().map(KernelCase::name).toList();
  }
}
