package dev.cnnspark.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** One JSON object per line on stdout: machine-readable benchmark results. */
public final class BenchmarkReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;

  public BenchmarkReport(PrintStream out) {
    this.out = out;
  }

  public ObjectNode line(String bench) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", bench);
    return n;
  }

  public void emit(ObjectNode n) {
    out.println(n.toString());
    out.flush();
  }

  /** Peak heap use so far, summed over the heap pools, in MiB. */
  public static double peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024.0 * 1024.0);
  }
}
