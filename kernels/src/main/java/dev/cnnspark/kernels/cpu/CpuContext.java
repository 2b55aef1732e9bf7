package dev.cnnspark.kernels.cpu;

/** What the CPU ops share: the thread split and the per-thread scratch. One per {@link JavaBackend}. */
public final class CpuContext implements AutoCloseable {
  private static final int SCRATCH_KINDS = 8;
  private final Parallel parallel;
  private final Scratch scratch;

  public CpuContext(int threads) {
    this.parallel = new Parallel(threads);
    this.scratch = new Scratch(threads, SCRATCH_KINDS);
  }

  public Parallel parallel() {
    return parallel;
  }

  /** Scratch buffer {@code kind} (0..7, chosen by each op) of thread slot {@code slot}, at least {@code length}. */
  public float[] scratch(int slot, int kind, int length) {
    return scratch.get(slot, kind, length);
  }

  @Override
  public void close() {
    parallel.close();
  }
}
