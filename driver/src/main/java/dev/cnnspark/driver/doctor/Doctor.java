package dev.cnnspark.driver.doctor;

import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.DataInfo;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.MemoryEstimate;
import dev.cnnspark.kernels.BackendKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Pre-flight checks: asks every executor for an {@link ExecutorReport}, prints one table, and lists the problems
 * that would make the job fail or run on the wrong device (GPUs requested where an executor has none, versions that
 * differ across executors or from the driver, no Vector API on a Java-path run).
 */
public final class Doctor {
  private Doctor() {
  }

  /** One report per executor (the driver's JVM in local mode). Waits up to {@code waitMs} for executors to join. */
  public static List<ExecutorReport> reports(JavaSparkContext sc, long waitMs) throws InterruptedException {
    int expected = sc.getConf().getInt("spark.executor.instances", 0);
    long deadline = System.currentTimeMillis() + waitMs;
    int executors = executors(sc);
    while (System.currentTimeMillis() < deadline && (executors == 0 || executors < expected)) {
      Thread.sleep(250);
      executors = executors(sc);
    }
    int tasks = Math.max(1, executors) * Math.max(4, sc.defaultParallelism());
    sc.setJobDescription("cnnspark doctor: probe executors");
    List<String> all = sc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
        .map(i -> ExecutorReport.probe().toJson()).collect();
    Map<String, ExecutorReport> byId = new TreeMap<>();
    for (String json : all) {
      ExecutorReport r = ExecutorReport.fromJson(json);
      byId.putIfAbsent(r.executorId(), r);
    }
    return List.copyOf(byId.values());
  }

  private static int executors(JavaSparkContext sc) {
    int n = sc.sc().getExecutorMemoryStatus().size();
    return sc.master().startsWith("local") ? 1 : Math.max(0, n - 1);
  }

  public static String table(Collection<ExecutorReport> reports) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %-22s %5s %9s %9s %10s %-10s %-7s %-8s "
        + "%-6s %s%n", "executor", "host", "cores", "heap MiB", "free MiB", "phys free", "java", "spark", "aparapi",
        "vector", "OpenCL devices"));
    for (ExecutorReport r : reports) {
      sb.append(String.format(Locale.ROOT, "%-10s %-22s %5d %9d %9d %10s %-10s %-7s %-8s %-6s %s%n", r.executorId(),
          r.host(), r.cores(), r.maxHeapMiB(), r.freeHeapMiB(), r.freePhysicalMiB() < 0 ? "?" : r.freePhysicalMiB(),
          r.javaVersion(), r.sparkVersion(), r.aparapiVersion(), r.vectorApi() ? "yes" : "NO",
          r.openClDevices().isEmpty() ? "none" : String.join("; ", r.openClDevices())));
    }
    return sb.toString();
  }

  /** Problems for a job on {@code backend}; empty when it can run as asked. */
  public static List<String> problems(Collection<ExecutorReport> reports, BackendKind backend, ExecutorReport driver) {
    List<String> p = new ArrayList<>();
    if (reports.isEmpty()) {
      p.add("no executor answered");
      return p;
    }
    if (backend == BackendKind.GPU) {
      List<String> without = reports.stream().filter(r -> r.openClGpus() == 0)
          .map(r -> r.executorId() + "@" + r.host()).toList();
      if (!without.isEmpty()) {
        p.add("the job asks for backend 'gpu' but these executors have no OpenCL GPU: " + String.join(", ", without)
            + " (check the NVIDIA/AMD OpenCL ICD in /etc/OpenCL/vendors, or run with --backend java)");
      }
    }
    if (backend == BackendKind.CPU && reports.stream().anyMatch(r -> r.openClDevices().isEmpty())) {
      p.add("the job asks for backend 'cpu' (OpenCL CPU device) but some executors have no OpenCL device");
    }
    if (backend == BackendKind.JAVA || (backend == BackendKind.AUTO && reports.stream().anyMatch(r -> r.openClGpus() == 0))) {
      reports.stream().filter(r -> !r.vectorApi()).findFirst().ifPresent(r -> p.add("executor " + r.executorId()
          + " runs without --add-modules=jdk.incubator.vector: the Java CPU path would be ~20x slower (set "
          + "spark.executor.extraJavaOptions)"));
    }
    reports.stream().filter(r -> !r.openClDevices().isEmpty() && !r.signalChaining()).findFirst().ifPresent(r ->
        p.add("executor " + r.executorId() + " loads OpenCL without signal chaining: an LLVM-based OpenCL stack "
            + "(PoCL) replaces the JVM's SIGSEGV handler and the JVM can die at any time; set "
            + "spark.executorEnv.LD_PRELOAD=$JAVA_HOME/lib/libjsig.so (the cnnspark launchers do)"));
    for (String what : new String[] {"java", "spark", "aparapi"}) {
      Map<String, List<String>> versions = reports.stream().collect(Collectors.groupingBy(r -> version(r, what),
          TreeMap::new, Collectors.mapping(ExecutorReport::executorId, Collectors.toList())));
      if (versions.size() > 1) {
        p.add(what + " versions differ across executors: " + versions);
      } else if (driver != null && !versions.containsKey(version(driver, what))) {
        p.add(what + " version of the driver (" + version(driver, what) + ") differs from the executors' "
            + versions.keySet());
      }
    }
    return p;
  }

  /**
   * Memory problems of a job on these executors: each must hold its workers' engines and shards in its heap
   * ({@link MemoryEstimate}), and an OpenCL GPU the engines' arenas in its global memory; a problem names the
   * executor, what is needed and the largest batch size that fits.
   *
   * @param tasksPerExecutor workers an executor runs at once (its task slots)
   */
  public static List<String> memoryProblems(Collection<ExecutorReport> reports, JobSpec spec, DataInfo info,
                                            int tasksPerExecutor) {
    List<String> p = new ArrayList<>();
    if (reports.isEmpty()) {
      return p;
    }
    int workersHere = (spec.workers() + reports.size() - 1) / reports.size();
    int tasks = Math.max(1, Math.min(tasksPerExecutor, workersHere));
    MemoryEstimate e;
    try {
      e = MemoryEstimate.of(spec, spec.batchSize(), info.trainCount(), DataChecks.evalExamples(spec, info));
    } catch (IllegalArgumentException ex) {
      p.add("training.batch_size: " + ex.getMessage());
      return p;
    }
    for (ExecutorReport r : reports) {
      long heap = r.maxHeapMiB() << 20;
      if (!e.fits(heap, tasks, workersHere)) {
        p.add("executor " + r.executorId() + "@" + r.host() + ": training.batch_size " + e.shortfall(heap, tasks,
            workersHere) + "; " + MemoryEstimate.largestNote(spec, info.trainCount(), DataChecks.evalExamples(spec,
            info), heap, tasks, workersHere) + ". Lower training.batch_size or raise spark.executor.memory");
      }
      long gpuMem = r.openClDevices().stream().map(GPU_MEMORY::matcher).filter(Matcher::find)
          .mapToLong(m -> Long.parseLong(m.group(1)) << 20).min().orElse(-1);
      boolean onGpu = spec.backend() == BackendKind.GPU || (spec.backend() == BackendKind.AUTO && r.openClGpus() > 0);
      if (onGpu && gpuMem > 0 && e.engineBytes() > gpuMem) {
        p.add(String.format(Locale.ROOT, "executor %s@%s: training.batch_size %d needs %s of OpenCL GPU memory for "
            + "its arenas, the GPU has %s: lower training.batch_size", r.executorId(), r.host(), spec.batchSize(),
            MemoryEstimate.mib(e.engineBytes()), MemoryEstimate.mib(gpuMem)));
      }
    }
    return p;
  }

  private static final Pattern GPU_MEMORY = Pattern.compile("^GPU .*?, (\\d+) MiB global");

  private static String version(ExecutorReport r, String what) {
    return switch (what) {
      case "java" -> r.javaVersion();
      case "spark" -> r.sparkVersion();
      default -> r.aparapiVersion();
    };
  }
}
