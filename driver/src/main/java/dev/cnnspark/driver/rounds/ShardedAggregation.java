package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Sharded aggregation (BigDL's scheme on Spark's block managers): the driver moves no worker's state. A round is two
 * jobs:
 * <pre>
 * training   partition p: start state = the previous round's averaged slices (or the broadcast after the driver held
 *            the state), train k minibatches, cut the end state into n slices: block part(r, p, s) for each s;
 *            the task result is the metrics and where the blocks are
 * averaging  task s: part(r, p, s) of every worker in partition order -> the same weighted mean the driver path forms
 *            ({@link RoundResult#average}, element by element) -> {@link Averaging#next} on the slice (block
 *            momentum slice too) -> blocks avg(r, s), mom(r, s)
 * </pre>
 * Every executor then sends and receives about 2 x state x (n-1)/n per round, whatever n is; the driver only learns
 * locations. Every element goes through the same float operations in the same order as on the driver path, so a
 * sharded run ends on the driver path's bits ({@code ShardedAggregationTest}).
 *
 * <p>The driver takes the state in ({@link #collect}) only when it needs it: checkpoints, epoch ends (validation,
 * callbacks) and the end. A lost executor takes its slices with it; nothing recomputes them, so the run replays from
 * its newest checkpoint ({@link StateLost}), which gives the same bits as if nothing had happened.
 */
public final class ShardedAggregation {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShardedAggregation.class);
  private final JavaSparkContext sc;
  /** Names this run's blocks apart from any other run's in the application. */
  private final String run;
  private final int slices;
  private final int[] lengths;
  /** Where avg(round, s) is, and mom(round, s) with block momentum (the same task wrote both); null while the driver
   * holds the state. */
  private String[] avgAt;
  private long round;

  public ShardedAggregation(JavaSparkContext sc, String run, int slices, ModelState shape) {
    this.sc = sc;
    this.run = run;
    this.slices = slices;
    this.lengths = new int[] {shape.params().length, shape.moving().length, shape.opt1().length,
        shape.opt2().length};
  }

  /** Whether the current state lives in the executors' block managers (the driver's copy is stale). */
  public boolean onExecutors() {
    return avgAt != null;
  }

  /**
   * What a training task of global round {@code r} needs: where its start state (of {@code iterations} updates) and
   * its outputs are.
   */
  public Round round(long r, long iterations) {
    return new Round(run, r, slices, lengths, avgAt == null ? null : avgAt.clone(), iterations);
  }

  /**
   * The averaging job of round {@code r}, after its training job returned {@code parts} (partition order): writes
   * avg(r, s) and mom(r, s) and returns whether every averaged value is finite.
   */
  public boolean average(long r, List<RoundResult> parts, long baseIterations, Broadcast<ModelState> start,
                         Broadcast<float[]> startMomentum, Averaging averaging, int optimizerSlots) {
    for (RoundResult part : parts) {
      if (part.lostSlice != null) {
        throw new StateLost("a training task could not read its start state: " + part.lostSlice, null);
      }
    }
    long[] weights = new long[parts.size()];
    String[] partAt = new String[parts.size()];
    for (int p = 0; p < parts.size(); p++) {
      weights[p] = parts.get(p).weight();
      partAt[p] = parts.get(p).location;
    }
    List<Integer> ids = new ArrayList<>();
    for (int s = 0; s < slices; s++) {
      ids.add(s);
    }
    SliceAverageTask task = new SliceAverageTask(round(r, baseIterations), weights, partAt, start, startMomentum,
        averaging, optimizerSlots);
    List<String[]> done = StateLost.guard(() -> sc.parallelize(ids, slices).mapPartitionsWithIndex(task, false)
        .collect());
    String[] avg = new String[slices];
    boolean finite = true;
    for (String[] d : done) {
      if (d[3] != null) {
        throw new StateLost("an averaging task could not read the slices: " + d[3], null);
      }
      avg[Integer.parseInt(d[0])] = d[1];
      finite &= Boolean.parseBoolean(d[2]);
    }
    avgAt = avg;
    round = r;
    return finite;
  }

  /**
   * The state from the slices, onto the driver; with block momentum ({@code momentum} not null) its running update
   * too, written into {@code momentum}.
   */
  public ModelState collect(long iterations, float[] momentum) {
    return StateLost.guard(() -> {
      if (momentum != null) {
        assemble(run, "mom", round, avgAt, new float[][] {momentum});
      }
      float[][] full = arrays(lengths);
      assemble(run, "avg", round, avgAt, full);
      return new ModelState(full[0], full[1], full[2], full[3], iterations);
    });
  }

  /** New arrays of these lengths. */
  static float[][] arrays(int[] lengths) {
    float[][] a = new float[lengths.length][];
    for (int k = 0; k < lengths.length; k++) {
      a[k] = new float[lengths[k]];
    }
    return a;
  }

  /** Fills {@code whole} from its slices, blocks {@code kind}(round, s) at {@code at[s]}. */
  static void assemble(String run, String kind, long round, String[] at, float[][] whole) {
    for (int s = 0; s < at.length; s++) {
      SliceBlocks.decodeInto(SliceBlocks.get(SliceBlocks.name(run, kind, round, s, 0), at[s]), whole, s, at.length);
    }
  }

  /**
   * The driver holds the state again: the next round starts from a broadcast. The averaged slices stay on the
   * executors until a later round's training tasks clear finished rounds ({@link Round#write}), which is the only
   * place blocks are removed while the run goes on (see {@link SliceBlocks}: concurrent removals of one block are
   * unsafe in Spark's block manager, and the master's removal runs in the block manager's own thread).
   */
  public void onDriver() {
    avgAt = null;
  }

  /**
   * At the end of a run (or of an attempt that lost slices): a best-effort job of 2n tasks removes whatever of this
   * run the executors it reaches still hold (the last rounds' worker and averaged slices; tasks usually land on every
   * executor, and an application's blocks go with it in any case).
   */
  public void release() {
    onDriver();
    String r = run;
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 2 * slices; i++) {
      ids.add(i);
    }
    try {
      sc.parallelize(ids, ids.size()).foreach(i -> SliceBlocks.removeLocal(r, name -> true, null));
    } catch (Exception e) {
      // best effort: a run that lost an executor may lose this job too (Spark's checked SparkException comes
      // through the Java API undeclared); its blocks end with the application
      LOG.warn("could not remove the slice blocks of run {} from every executor (they go with the application): {}",
          run, e.toString());
    }
  }

  /** A training task's view of the sharded round: where to read its start state and how to leave its result. */
  public record Round(String run, long round, int slices, int[] lengths, String[] startAt, long iterations)
      implements Serializable {
    /** The start state: the previous round's averaged slices, or null when it comes from the broadcast. */
    ModelState start() {
      if (startAt == null) {
        return null;
      }
      float[][] full = arrays(lengths);
      assemble(run, "avg", round - 1, startAt, full);
      return new ModelState(full[0], full[1], full[2], full[3], iterations);
    }

    /** Leaves partition {@code p}'s end state as n slice blocks in this executor; returns where they are. */
    String write(int p, ModelState end) {
      // this executor's blocks of rounds before the previous one are finished with
      SliceBlocks.removeLocal(run, name -> roundOf(name) < round - 1 || name.startsWith("part-" + (round - 1) + "-"),
          null);
      for (int s = 0; s < slices; s++) {
        SliceBlocks.put(SliceBlocks.name(run, "part", round, p, s), SliceBlocks.encode(end, s, slices));
      }
      return SliceBlocks.here();
    }

    private static long roundOf(String name) {
      String[] f = name.split("-");
      return Long.parseLong(f[1]);
    }
  }

  /**
   * The slices of the state are gone with an executor (or a job failed because of it): the run replays from its
   * newest checkpoint.
   */
  public static final class StateLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StateLost(String message, Throwable cause) {
      super(message, cause);
    }

    /** Runs a job or a read of slices; a lost slice (here or in a task) becomes a {@link StateLost}. */
    public static <T> T guard(java.util.function.Supplier<T> job) {
      try {
        return job.get();
      } catch (SliceBlocks.LostSliceException e) {
        throw new StateLost(e.getMessage(), e);
      } catch (Exception e) {
        // a failed job: Spark's SparkException (checked, thrown undeclared through the Java API) names the cause
        if (String.valueOf(e.getMessage()).contains(SliceBlocks.LostSliceException.class.getSimpleName())) {
          throw new StateLost("a task could not read the slices of the state: " + firstLine(e.getMessage()), e);
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e);
      }
    }

    private static String firstLine(String s) {
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    }
  }
}
