package dev.cnnspark.kernels.opencl;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Discovery of OpenCL devices through Aparapi, without side effects on a machine that has none (no libOpenCL, no
 * ICD): {@link #available()} is then false and {@link #list} empty, and it is the caller's decision to fail.
 */
public final class OpenClDevices {
  private OpenClDevices() {
  }

  static {
    // Aparapi's class-file reader warns about every Java 11+ nest attribute it does not model; that noise would
    // bury the warnings that matter (compile failures), so only those are dropped.
    Logger aparapi = Logger.getLogger("com.aparapi");
    Filter previous = aparapi.getFilter();
    aparapi.setFilter(rec -> (rec.getMessage() == null || !rec.getMessage().startsWith("Found unexpected Attribute"))
        && (previous == null || previous.isLoggable(rec)));
  }

  /** Whether Aparapi found an OpenCL runtime and loaded its native library. */
  public static boolean available() {
    try {
      return OpenCLLoader.isOpenCLAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  /** Guards every call into Aparapi's native OpenCL discovery and kernel setup. */
  static final Object NATIVE_LOCK = new Object();
  private static List<OpenCLDevice> all;

  /**
   * OpenCL devices of a type ({@code GPU}, {@code CPU}, or {@code null} for all), in platform order. Discovered once
   * per JVM under a lock: Aparapi's native platform query crashes the JVM (SIGSEGV in {@code getPlatforms}) when
   * two threads run it at once, as two Spark tasks starting in one executor do.
   */
  public static List<OpenCLDevice> list(Device.TYPE type) {
    if (!available()) {
      return List.of();
    }
    synchronized (NATIVE_LOCK) {
      if (all == null) {
        all = List.copyOf(OpenCLDevice.listDevices(null));
      }
    }
    List<OpenCLDevice> out = new ArrayList<>();
    for (OpenCLDevice d : all) {
      if (type == null || d.getType() == type) {
        out.add(d);
      }
    }
    return out;
  }

  /** One line per device: index, type, vendor, name, compute units, memory. */
  public static String describe(OpenCLDevice d) {
    return String.format(Locale.ROOT, "%s %s / %s (%d compute units, %d MiB global, %d KiB local, %s)",
        d.getType(), d.getOpenCLPlatform().getVendor().trim(), d.getName() == null ? "?" : d.getName().trim(),
        d.getMaxComputeUnits(), d.getGlobalMemSize() >> 20, d.getLocalMemSize() >> 10,
        d.getOpenCLPlatform().getVersion().trim());
  }
}
