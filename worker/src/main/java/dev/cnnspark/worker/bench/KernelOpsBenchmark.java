package dev.cnnspark.worker.bench;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.Backends;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH benchmark behind the kernel lines of {@code cnnspark bench}: one {@link KernelCase} on one backend per
 * trial, average time per op. Each invocation waits for the op to finish ({@link Backend#finish()}), so on OpenCL
 * the time is the launch plus the device's work, as a training step sees it. Run through {@link KernelBench}, which
 * sets the parameters and turns the scores into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KernelOpsBenchmark {
  /** A {@link KernelCase} name. */
  @Param("conv2.forward")
  public String kernelCase;

  /** A backend name ({@link BackendKind#parse}). */
  @Param("java")
  public String backend;

  /** Threads of the Java path. */
  @Param("1")
  public int threads;

  private Backend open;
  private KernelCase measured;

  @Setup(Level.Trial)
  public void setUp() {
    measured = KernelCase.named(kernelCase);
    open = Backends.open(BackendKind.parse(backend), 0, threads);
    measured.prepare(open);
  }

  @Benchmark
  public void op() {
    measured.body().accept(open);
    open.finish();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    open.close();
  }
}
