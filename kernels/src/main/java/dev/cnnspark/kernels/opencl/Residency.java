package dev.cnnspark.kernels.opencl;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Keeps device-resident arenas from being silently overwritten after a garbage collection.
 *
 * <p>Aparapi re-creates an explicit buffer from the host copy whenever the pinned Java array's address changed
 * since the last launch (it compares addresses); in explicit mode the host copy is stale, so a moved array loses
 * every device-side update since the last {@code get} (measured: a 64 KB array lost most updates after
 * {@code System.gc()}, a 16 MB one none). G1 never moves humongous objects (at least half a region), so every
 * arena is allocated at least that large. Other collectors give no such promise: the backend then runs
 * {@link OpenClBackend#verifyResidency()} and refuses to train if a GC moved an arena.
 */
public final class Residency {
  private Residency() {
  }

  /** The G1 region size in bytes, or -1 when the JVM does not run G1. */
  public static long g1RegionBytes() {
    try {
      HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (!Boolean.parseBoolean(bean.getVMOption("UseG1GC").getValue())) {
        return -1;
      }
      return Long.parseLong(bean.getVMOption("G1HeapRegionSize").getValue());
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  /** Smallest float[] length that G1 allocates as a humongous (never moved) object; 1 if not G1. */
  public static int minimumResidentLength() {
    long region = g1RegionBytes();
    if (region <= 0) {
      return 1;
    }
    // A humongous object is at least half a region including its 16-byte header.
    return (int) (region / 2 / Float.BYTES) + 1;
  }

  /** A zeroed array of at least {@code length} floats that G1 will not move. */
  public static float[] allocate(int length) {
    return new float[Math.max(length, minimumResidentLength())];
  }
}
