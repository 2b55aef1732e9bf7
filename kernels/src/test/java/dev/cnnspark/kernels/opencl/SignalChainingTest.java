package dev.cnnspark.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Loading an LLVM-based OpenCL stack (PoCL) replaces the JVM's SIGSEGV and SIGBUS handlers, after which the JVM can
 * die at any implicit null check or safepoint poll (seen here: a training run killed by the kernel's "segfault" with
 * no hs_err file). With {@code LD_PRELOAD=libjsig.so}, as every launcher of this project sets it, the JVM's
 * handlers stay in place: a JVM started with {@code -Xcheck:jni} loads OpenCL, forces GCs and reports no modified
 * handler.
 */
@Tag("opencl")
class SignalChainingTest {

  private static String run(boolean jsig) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xcheck:jni", "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (jsig) {
      pb.environment().put("LD_PRELOAD", Path.of(System.getProperty("java.home"), "lib", "libjsig.so").toString());
    } else {
      pb.environment().remove("LD_PRELOAD");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void jvmSignalHandlersSurviveOpenClWithLibjsig() throws Exception {
    String with = run(true);
    assertTrue(with.contains("OpenCL devices:"), with);
    assertFalse(with.contains("handler modified"), "with libjsig:\n" + with);
    String without = run(false);
    System.out.println("without libjsig the OpenCL stack " + (without.contains("handler modified")
        ? "replaced the JVM's handlers (this is the hazard)" : "left the JVM's handlers alone"));
  }

  /** Loads OpenCL, then gives the JVM's handler checker (-Xcheck:jni) time and GCs to look. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      System.out.println("OpenCL devices: " + OpenClDevices.list(null).size());
      for (int i = 0; i < 10; i++) {
        byte[] garbage = new byte[20_000_000];
        garbage[i] = 1;
        System.gc();
        Thread.sleep(100);
      }
      System.out.println("done");
    }
  }
}
