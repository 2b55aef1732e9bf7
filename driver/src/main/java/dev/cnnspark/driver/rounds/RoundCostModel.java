package dev.cnnspark.driver.rounds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a round costs besides local training, for either aggregation, as a function of the executors N, the state
 * bytes S one worker moves (parameters, moving statistics and optimizer slots, float32), and the network (bandwidth
 * B, latency L). Seconds:
 * <pre>
 * driver path   a0 + a1 (N-1) + a2 S + a3 N S                      (fitted: scheduling, tasks, broadcast
 *               + (S + ceil(log2 N) min(S, 4 MiB)) / B              and copies, the driver's per-state work)
 *               + N S / B + (ceil(log2 N) + N) L                    (wire: torrent broadcast, N states in)
 * sharded       c0 + c1 (N-1) + c2 S + c3 S (N-1)/N                (fitted: two jobs a round, slicing, blocks)
 *               + 2 S (N-1)/N / B + 2 (N-1) L                       (wire: each executor's slices out and in)
 * </pre>
 * The fitted terms are CPU and scheduling costs measured on the one-machine standalone cluster
 * ({@code deploy/bench/round-costs.sh}, {@code cnnspark bench --fit-rounds}), where the wire is loopback and folded
 * into them; the wire terms are added for a real network only (a conservative double count of the loopback copy).
 * The torrent term assumes Spark's 4 MiB broadcast pieces spread by doubling; the driver's link carries every state
 * of the driver path, which is what caps it: N S / B grows with N while each worker's compute does not.
 */
public record RoundCostModel(double[] driver, double[] sharded) {
  /** A network: bandwidth in bytes per second (infinite: one machine) and latency in seconds per message. */
  public record Network(double bytesPerSecond, double latencySeconds) {
    public static final Network LOOPBACK = new Network(Double.POSITIVE_INFINITY, 0);

    public static Network gbps(double gbps, double latencyMs) {
      return new Network(gbps * 1e9 / 8, latencyMs / 1e3);
    }

    boolean isLoopback() {
      return Double.isInfinite(bytesPerSecond);
    }
  }

  /**
   * Fitted on this project's machine (2-core VM, 1-4 executor JVMs of one core, loopback), seconds and seconds per
   * byte; see docs/scaling.md for the runs and the check of every configuration.
   */
  public static final RoundCostModel DEFAULT = new RoundCostModel(new double[] {0.09422, 0.05468, 1.521e-09,
      3.967e-09}, new double[] {0.1178, 0.08093, 1.458e-09, 9.748e-09});

  /**
   * This model with its per-executor terms replaced: the driver path's by {@code perTaskSeconds} (one task an
   * executor a round) and sharded aggregation's by twice that (two jobs a round). For clusters whose executors have
   * cores of their own: the fitted per-executor terms were measured with up to 4 executor JVMs sharing 2 cores.
   */
  public RoundCostModel withPerTaskCost(double perTaskSeconds) {
    double[] d = driver.clone();
    double[] s = sharded.clone();
    d[1] = perTaskSeconds;
    s[1] = 2 * perTaskSeconds;
    return new RoundCostModel(d, s);
  }

  /** Predicted seconds per round outside local training. */
  public double communication(String aggregation, int executors, double stateBytes, Network net) {
    double[] f = features(aggregation, executors, stateBytes);
    double[] c = "sharded".equals(aggregation) ? sharded : driver;
    double t = 0;
    for (int i = 0; i < f.length; i++) {
      t += c[i] * f[i];
    }
    return t + wire(aggregation, executors, stateBytes, net);
  }

  /** The fitted terms' features: 1, N-1, S, and N S (driver) or S (N-1)/N (sharded). */
  static double[] features(String aggregation, int n, double s) {
    return "sharded".equals(aggregation) ? new double[] {1, n - 1, s, s * (n - 1) / n}
        : new double[] {1, n - 1, s, n * s};
  }

  /** Time on the wire of a real network (0 on loopback). */
  public static double wire(String aggregation, int n, double s, Network net) {
    if (net.isLoopback()) {
      return 0;
    }
    double b = net.bytesPerSecond();
    if ("sharded".equals(aggregation)) {
      return 2 * s * (n - 1) / n / b + 2 * (n - 1) * net.latencySeconds();
    }
    int hops = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
    return (s + hops * Math.min(s, 4 << 20)) / b + n * s / b + (hops + n) * net.latencySeconds();
  }

  /** The executors beyond which the driver's link alone (N S / B) takes longer than {@code computeSeconds}. */
  public static int driverLinkLimit(double stateBytes, Network net, double computeSeconds) {
    return net.isLoopback() ? Integer.MAX_VALUE : (int) Math.floor(computeSeconds * net.bytesPerSecond() / stateBytes);
  }

  /** Which aggregation and why. */
  public record Choice(String aggregation, String reason) {
  }

  /** The aggregation predicted faster for {@code workers} workers moving {@code stateBytes} each. */
  public Choice aggregation(int workers, double stateBytes, Network net) {
    if (net.isLoopback()) {
      return new Choice("driver", "driver (one machine: in local mode the driver reads the workers' states where "
          + "they are, without copies)");
    }
    double d = communication("driver", workers, stateBytes, net);
    double s = communication("sharded", workers, stateBytes, net);
    String what = workers == 1 ? "driver" : s < d ? "sharded" : "driver";
    return new Choice(what, String.format(Locale.ROOT, "%s (cost model, %d workers, state %.1f MB, %s: driver path "
        + "%.0f ms a round outside local training, sharded %.0f ms)", what, workers, stateBytes / 1e6,
        net.isLoopback() ? "one machine" : String.format(Locale.ROOT, "%.0f Gb/s", net.bytesPerSecond() * 8 / 1e9),
        d * 1e3, s * 1e3));
  }

  /** The convergence table's bound on k: at most 64 minibatches a round (docs/scaling.md). */
  public static final int MAX_AUTO_K = 64;
  /** ... and at least this many rounds an epoch (block momentum lost a point with two rounds an epoch). */
  public static final int MIN_ROUNDS_PER_EPOCH = 12;

  /** The averaging frequency {@code auto} chose and why. */
  public record Frequency(int k, String reason) {
  }

  /**
   * The smallest k whose predicted share of round time outside local training, comm / (comm + k c), is at most
   * {@code target}, with c the slowest worker's measured seconds per minibatch; then bounded by the convergence table
   * ({@link #MAX_AUTO_K}, {@link #MIN_ROUNDS_PER_EPOCH} rounds an epoch).
   */
  public Frequency averagingFrequency(String aggregation, int workers, double stateBytes, Network net,
                                      double secondsPerMinibatch, double target, int stepsPerEpoch) {
    double comm = communication(aggregation, workers, stateBytes, net);
    int wanted = (int) Math.max(1, Math.ceil(comm * (1 - target) / (target * secondsPerMinibatch) - 1e-9));
    int bound = Math.max(1, Math.min(MAX_AUTO_K, stepsPerEpoch / MIN_ROUNDS_PER_EPOCH));
    int k = Math.min(wanted, bound);
    double share = comm / (comm + k * secondsPerMinibatch);
    String why = String.format(Locale.ROOT, "k = %d: the slowest worker trains a minibatch in %.1f ms (measured); "
            + "the cost model predicts %.0f ms a round outside local training (%s aggregation, %d workers, state "
            + "%.1f MB, %s), so k >= %d keeps that share under %.0f%%", k, secondsPerMinibatch * 1e3, comm * 1e3,
        aggregation, workers, stateBytes / 1e6, net.isLoopback() ? "one machine" : String.format(Locale.ROOT,
            "%.0f Gb/s", net.bytesPerSecond() * 8 / 1e9), wanted, target * 100);
    if (wanted > bound) {
      why += String.format(Locale.ROOT, "; bounded by the convergence table to %d (at most %d, and at least %d "
          + "rounds in an epoch of %d minibatches): predicted share %.0f%%", bound, MAX_AUTO_K, MIN_ROUNDS_PER_EPOCH,
          stepsPerEpoch, share * 100);
    } else {
      why += String.format(Locale.ROOT, " (predicted share %.1f%%)", share * 100);
    }
    return new Frequency(k, why);
  }

  /** One measured configuration: mean seconds per round, all of it and its slowest worker's local training. */
  public record Observation(String name, String aggregation, int executors, double stateBytes, double wallSeconds,
                            double localSeconds) {
    double communication() {
      return wallSeconds - localSeconds;
    }
  }

  /**
   * Least squares of each aggregation's fitted terms on measured rounds, each configuration weighted by the inverse
   * of its measured time outside local training (relative errors, so small states count as much as large ones);
   * a term whose coefficient comes out negative is dropped and the rest refitted.
   */
  public static RoundCostModel fit(List<Observation> observations) {
    return new RoundCostModel(fitOne(observations, "driver"), fitOne(observations, "sharded"));
  }

  private static double[] fitOne(List<Observation> all, String aggregation) {
    List<Observation> obs = all.stream().filter(o -> o.aggregation().equals(aggregation)).toList();
    double[] coef = new double[4];
    if (obs.isEmpty()) {
      return aggregation.equals("sharded") ? DEFAULT.sharded.clone() : DEFAULT.driver.clone();
    }
    boolean[] active = {true, true, true, true};
    for (int attempt = 0; attempt < 4; attempt++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        if (active[i]) {
          idx.add(i);
        }
      }
      int m = idx.size();
      double[][] ata = new double[m][m];
      double[] atb = new double[m];
      for (Observation o : obs) {
        double w = 1 / Math.max(1e-3, o.communication());
        double[] f = features(aggregation, o.executors(), o.stateBytes());
        for (int i = 0; i < m; i++) {
          atb[i] += w * w * f[idx.get(i)] * o.communication();
          for (int j = 0; j < m; j++) {
            ata[i][j] += w * w * f[idx.get(i)] * f[idx.get(j)];
          }
        }
      }
      double[] x = solve(ata, atb);
      int worst = -1;
      for (int i = 0; i < m; i++) {
        if (x[i] < 0 && (worst < 0 || x[i] < x[worst])) {
          worst = i;
        }
      }
      java.util.Arrays.fill(coef, 0);
      for (int i = 0; i < m; i++) {
        coef[idx.get(i)] = x[i];
      }
      if (worst < 0) {
        return coef;
      }
      active[idx.get(worst)] = false;
    }
    return coef;
  }

  /** Gaussian elimination with partial pivoting (a 4 x 4 system at most). */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] t = m[c];
      m[c] = m[p];
      m[p] = t;
      if (m[c][c] == 0) {
        continue;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k <= n; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][i] == 0 ? 0 : m[i][n] / m[i][i];
    }
    return x;
  }

  /** The constants as Java source (to paste into {@link #DEFAULT}) and readable units. */
  public String describe() {
    return String.format(Locale.ROOT, "driver path: %.1f ms + %.1f ms per extra executor + %.2f ms per MB + %.2f ms "
            + "per MB per executor; sharded: %.1f ms + %.1f ms per extra executor + %.2f ms per MB + %.2f ms per MB "
            + "x (N-1)/N", driver[0] * 1e3, driver[1] * 1e3, driver[2] * 1e9, driver[3] * 1e9, sharded[0] * 1e3,
        sharded[1] * 1e3, sharded[2] * 1e9, sharded[3] * 1e9);
  }
}
