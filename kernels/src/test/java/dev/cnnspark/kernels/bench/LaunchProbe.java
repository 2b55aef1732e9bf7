package dev.cnnspark.kernels.bench;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.kernels.opencl.OpenClDevices;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Developer probe: the cost of one launch of the device kernel (a one-element fill; ~70 kernel arguments, most of
 * them scalars that Aparapi re-reads and re-sets every launch) against a one-array Aparapi kernel, and against one
 * with 64 int fields besides its array, on the first OpenCL device of a type. The differences say what the
 * arguments cost per launch. Run by {@code run-gpu.sh} on GPU hosts.
 *   java -cp ... dev.cnnspark.kernels.bench.LaunchProbe [cpu|gpu] [launches]
 * Measured on PoCL 3.1 (2-core Xeon), 2000-3000 launches, rounds 2-3 of two runs: device kernel 38-73 us, one-array
 * kernel 16-29 us, one array + 64 ints 76-77 us: on PoCL each scalar argument costs ~0.8 us per launch.
 */
public final class LaunchProbe {

  /** One array, one statement. */
  public static final class TinyKernel extends Kernel {
    public float[] a;

    @Override
    public void run() {
      a[getGlobalId()] = 3f;
    }
  }

  /** One array and 64 scalar arguments, all read. */
  public static final class ScalarsKernel extends Kernel {
    public float[] a;
    public int s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15;
    public int s16, s17, s18, s19, s20, s21, s22, s23, s24, s25, s26, s27, s28, s29, s30, s31;
    public int s32, s33, s34, s35, s36, s37, s38, s39, s40, s41, s42, s43, s44, s45, s46, s47;
    public int s48, s49, s50, s51, s52, s53, s54, s55, s56, s57, s58, s59, s60, s61, s62, s63;

    @Override
    public void run() {
      a[getGlobalId()] = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15
          + s16 + s17 + s18 + s19 + s20 + s21 + s22 + s23 + s24 + s25 + s26 + s27 + s28 + s29 + s30 + s31
          + s32 + s33 + s34 + s35 + s36 + s37 + s38 + s39 + s40 + s41 + s42 + s43 + s44 + s45 + s46 + s47
          + s48 + s49 + s50 + s51 + s52 + s53 + s54 + s55 + s56 + s57 + s58 + s59 + s60 + s61 + s62 + s63;
    }
  }

  public static void main(String[] args) {
    BackendKind kind = args.length > 0 && args[0].equals("gpu") ? BackendKind.GPU : BackendKind.CPU;
    int launches = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    try (OpenClBackend b = OpenClBackend.open(kind, 0)) {
      b.allocate(new ArenaSizes(64, 0, 0, 1, 64, 1, 1));
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < launches; i++) {
          b.fill(Arena.WORK, 0, 1, i);
        }
        System.out.printf("device kernel: %.1f us per launch (%s)%n", (System.nanoTime() - t0) / 1e3 / launches,
            b.device());
      }
    }
    OpenCLDevice device = OpenClDevices.list(kind == BackendKind.GPU ? Device.TYPE.GPU : Device.TYPE.CPU).get(0);
    device.setSharedMemory(false);
    TinyKernel tiny = new TinyKernel();
    tiny.a = new float[1 << 20];
    time("one-array kernel", tiny, tiny.a, device, launches);
    ScalarsKernel scalars = new ScalarsKernel();
    scalars.a = new float[1 << 20];
    time("one array + 64 ints kernel", scalars, scalars.a, device, launches);
  }

  private static void time(String name, Kernel k, float[] a, OpenCLDevice device, int launches) {
    k.setExplicit(true);
    KernelManager.instance().setPreferredDevices(k, new LinkedHashSet<Device>(List.of(device)));
    Range range = device.createRange(64, 64);
    k.put(a);
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < launches; i++) {
        k.execute(range);
      }
      System.out.printf("%s: %.1f us per launch%n", name, (System.nanoTime() - t0) / 1e3 / launches);
    }
    k.dispose();
  }
}
