package dev.cnnspark.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Static partitioning of a range over a fixed number of threads: chunk 0 runs on the calling thread, the others on a
 * private {@link ForkJoinPool}. Ops are coarse (a layer over a whole minibatch), so a static split with one chunk
 * per thread beats work stealing here and keeps results independent of scheduling.
 */
public final class Parallel implements AutoCloseable {

  /** Body over the half-open range {@code [from, to)}, given the chunk index (for per-thread scratch). */
  @FunctionalInterface
  public interface RangeBody {
    void run(int chunk, int from, int to);
  }

  private final int threads;
  private final ForkJoinPool pool;

  public Parallel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
  }

  public int threads() {
    return threads;
  }

  /** Splits {@code [0, n)} into at most {@link #threads()} contiguous chunks of at least {@code grain} items. */
  public void forRange(int n, int grain, RangeBody body) {
    int chunks = Math.max(1, Math.min(threads, n / Math.max(1, grain)));
    if (chunks == 1 || pool == null) {
      if (n > 0) {
        body.run(0, 0, n);
      }
      return;
    }
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int t = 1; t < chunks; t++) {
      final int chunk = t;
      final int from = (int) ((long) n * t / chunks);
      final int to = (int) ((long) n * (t + 1) / chunks);
      tasks[t - 1] = pool.submit(new RecursiveAction() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void compute() {
          body.run(chunk, from, to);
        }
      });
    }
    body.run(0, 0, (int) ((long) n / chunks));
    for (ForkJoinTask<?> task : tasks) {
      task.join();
    }
  }

  /** Fixed number of reduction groups, independent of the thread count (see {@link #forGroups}). */
  public static final int GROUPS = 16;

  /**
   * Splits {@code [0, n)} into {@link #GROUPS} fixed contiguous groups (fewer when n is small) and runs each group
   * on some thread. Partial results kept per group and combined in group order do not depend on how many threads
   * ran them, so reductions give bit-identical results on machines with different core counts (a re-executed
   * Spark task must compute exactly what the lost one would have).
   *
   * @return the number of groups used; group g covered {@code [n*g/groups, n*(g+1)/groups)}
   */
  public int forGroups(int n, GroupBody body) {
    int groups = Math.max(1, Math.min(GROUPS, n));
    forRange(groups, 1, (chunk, from, to) -> {
      for (int g = from; g < to; g++) {
        body.run(chunk, g, (int) ((long) n * g / groups), (int) ((long) n * (g + 1) / groups));
      }
    });
    return groups;
  }

  /** Body of one reduction group: the thread's scratch slot, the group index and its range. */
  @FunctionalInterface
  public interface GroupBody {
    void run(int slot, int group, int from, int to);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
