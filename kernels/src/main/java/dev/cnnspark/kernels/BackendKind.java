package dev.cnnspark.kernels;

import java.util.Locale;

/** Where the ops run. */
public enum BackendKind {
  /** An OpenCL GPU through Aparapi. */
  GPU,
  /** An OpenCL CPU device (for example PoCL) through Aparapi. */
  CPU,
  /** Plain Java on the host: Vector API GEMM, one thread per core. */
  JAVA,
  /** The best available: an OpenCL GPU if there is one, else {@link #JAVA} (faster than OpenCL on CPUs; see README). */
  AUTO;

  public static BackendKind parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("backend must be one of gpu, cpu, java, auto; got '" + s + "'");
    }
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
