package dev.cnnspark.kernels.opencl;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.exception.QueryFailedException;
import com.aparapi.internal.kernel.KernelManager;
import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.BackendUnavailableException;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.LossKind;
import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import dev.cnnspark.kernels.PadGeometry;
import dev.cnnspark.kernels.depthwise.DepthwiseLauncher;
import dev.cnnspark.kernels.dropout.DropoutMask;
import dev.cnnspark.kernels.embedding.EmbeddingLauncher;
import dev.cnnspark.kernels.globalpool.GlobalPoolLauncher;
import dev.cnnspark.kernels.pad.PadLauncher;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Aparapi backend: one {@link DeviceKernel} in explicit mode with device-private buffers
 * ({@code setSharedMemory(false)}), so the arenas stay on the device between launches and move only on
 * {@link #upload}/{@link #download}. Each op sets the kernel's scalar fields and launches one 1-D range rounded up to
 * whole work groups (kernels guard {@code gid < total}); the conv and dense products launch whole tiles instead
 * ({@link TiledKernels}, planned by {@link TiledPlan}), or the direct kernels when {@link Products#DIRECT} is chosen.
 *
 * <p>Never falls back silently: the kernel is compiled for the chosen device up front
 * ({@link BackendUnavailableException} if it does not compile), and every launch checks that Aparapi did not mark
 * the device failed and switch to Java threads.
 *
 * <p>Not thread-safe; one backend per worker thread. Aparapi serializes all OpenCL dispatch of a JVM anyway.
 */
public final class OpenClBackend implements Backend {

  private final BackendKind kind;
  private final OpenCLDevice device;
  private final int localSize;
  private final Products products;
  /** What the compiled kernel allows and uses on this device, for {@link #device()}. */
  private final String kernelLimits;
  /** Work groups a tiled product aims for: 4 per compute unit ({@link TiledPlan}). */
  private final int targetGroups;
  private final DeviceKernel kernel = new DeviceKernel();
  /** No op: the launch only makes Aparapi bind the current arrays (see {@link #bind()}). */
  private static final int OP_NONE = 0;
  private final Map<Arena, float[]> arenas = new EnumMap<>(Arena.class);
  private long launches;
  /** The sizes being allocated while {@link #allocate} binds them, for the error when the device refuses. */
  private ArenaSizes allocating;
  private boolean pendingUploads;
  /** What the op families' launchers use (the newer ops set their own named arguments there). */
  private final Launch launcher = new Launch() {
    @Override
    public DeviceKernel kernel() {
      return kernel;
    }

    @Override
    public void run(int op, int total) {
      launch(op, total);
    }

    @Override
    public int parallelItems() {
      return targetGroups * localSize;
    }

    @Override
    public void geometry(ConvGeometry g) {
      OpenClBackend.this.geometry(g);
    }

    @Override
    public void biasGrad(int rows, int cols, int dyOff, int dbOff) {
      OpenClBackend.this.biasGrad(rows, cols, dyOff, dbOff);
    }
  };

  private OpenClBackend(BackendKind kind, OpenCLDevice device, int localSize, Products products, int targetGroups) {
    this.kind = kind;
    this.device = device;
    this.targetGroups = targetGroups > 0 ? targetGroups : 4 * Math.max(1, device.getMaxComputeUnits());
    device.setSharedMemory(false);
    kernel.setExplicit(true);
    KernelManager.instance().setPreferredDevices(kernel, new LinkedHashSet<Device>(List.of(device)));
    for (Arena a : Arena.values()) {
      arenas.put(a, Residency.allocate(1));
    }
    kernel.scratch = Residency.allocate(1);
    bindArenas();
    try {
      kernel.compile(device);
    } catch (CompileFailedException e) {
      throw new BackendUnavailableException("the device kernel did not compile for " + OpenClDevices.describe(device)
          + ": " + e.getMessage(), e);
    }
    // one kernel holds every op, so its register use (and with it the largest work group it may launch) is the
    // largest of any op's: the tiled products need groups of 256, the other ops take what the device allows
    int maxGroup = maxWorkGroup();
    this.localSize = maxGroup > 0 ? Math.min(localSize, Integer.highestOneBit(maxGroup)) : localSize;
    this.products = fitting(products, maxGroup);
    String limits = "kernel work groups up to " + (maxGroup > 0 ? maxGroup : "?");
    this.kernelLimits = this.products == products ? limits
        : limits + "; tiled products need work groups of " + TiledKernels.GROUP + ", so direct ones run";
  }

  /**
   * The products that can run where the compiled kernel allows work groups of at most {@code maxGroup} items (-1:
   * unknown): the tiled ones need {@link TiledKernels#GROUP}; the direct ones run with any group size. The choice is
   * named in {@link #device()}, which every run logs.
   */
  static Products fitting(Products requested, int maxGroup) {
    return requested == Products.TILED && maxGroup > 0 && maxGroup < TiledKernels.GROUP ? Products.DIRECT
        : requested;
  }

  private int maxWorkGroup() {
    try {
      return kernel.getKernelMaxWorkGroupSize(device);
    } catch (QueryFailedException | RuntimeException e) {
      return -1;
    }
  }


  /**
   * Opens the {@code index}-th OpenCL device of the kind's type ({@link BackendKind#GPU} or {@link BackendKind#CPU}),
   * with the products {@link Products#fromSystemProperty()} names.
   *
   * @throws BackendUnavailableException naming what is missing when there is no such device
   */
  public static OpenClBackend open(BackendKind kind, int index) {
    return open(kind, index, Products.fromSystemProperty(), 0);
  }

  /**
   * As {@link #open(BackendKind, int)}, with the conv and dense products' kernels chosen explicitly.
   *
   * @param targetGroups work groups a tiled product aims for before it splits its reduction ({@link TiledPlan});
   *     0: 4 per compute unit. Tests raise it to split every product on a device with few compute units.
   */
  public static OpenClBackend open(BackendKind kind, int index, Products products, int targetGroups) {
    Device.TYPE type = switch (kind) {
      case GPU -> Device.TYPE.GPU;
      case CPU -> Device.TYPE.CPU;
      default -> throw new IllegalArgumentException("not an OpenCL backend kind: " + kind);
    };
    if (!OpenClDevices.available()) {
      throw new BackendUnavailableException("backend '" + kind.id() + "' needs OpenCL, but no OpenCL runtime was found "
          + "(libOpenCL.so.1 and an ICD in /etc/OpenCL/vendors; for a CPU device install pocl-opencl-icd)");
    }
    List<OpenCLDevice> devices = OpenClDevices.list(type);
    if (devices.isEmpty()) {
      throw new BackendUnavailableException("backend '" + kind.id() + "' asked for an OpenCL " + type
          + " device, but this host has none (devices present: " + OpenClDevices.list(null).stream()
          .map(OpenClDevices::describe).toList() + ")");
    }
    if (index < 0 || index >= devices.size()) {
      throw new BackendUnavailableException("OpenCL " + type + " device index " + index + " out of range: this host has "
          + devices.size());
    }
    synchronized (OpenClDevices.NATIVE_LOCK) {
      return new OpenClBackend(kind, devices.get(index), type == Device.TYPE.GPU ? 128 : 64, products,
          targetGroups);
    }
  }

  @Override
  public BackendKind kind() {
    return kind;
  }

  @Override
  public String device() {
    return "OpenCL " + OpenClDevices.describe(device) + ", Aparapi explicit buffers, "
        + products.name().toLowerCase(Locale.ROOT) + " products (" + kernelLimits + ")";
  }

  public OpenCLDevice openClDevice() {
    return device;
  }

  @Override
  public long launches() {
    return launches;
  }

  /**
   * Allocates every arena the device writes so that G1 never moves it ({@link Residency}). IO is the exception: the
   * device only reads it and the host uploads it before every step, so a moved IO array re-created from its host
   * copy holds exactly the current minibatch; keeping it small keeps the per-step upload small.
   */
  @Override
  public void allocate(ArenaSizes sizes) {
    String tooLarge = tooLarge(sizes, device.getMaxMemAllocSize(), device.getGlobalMemSize());
    if (tooLarge != null) {
      throw new IllegalStateException(tooLarge + " on " + OpenClDevices.describe(device) + ": lower the batch size");
    }
    allocating = sizes;
    for (Arena a : Arena.values()) {
      int n = Math.max(1, sizes.of(a));
      arenas.put(a, a == Arena.IO ? new float[n] : Residency.allocate(n));
    }
    bindArenas();
    for (Arena a : Arena.values()) {
      kernel.put(arenas.get(a));
    }
    bind();
    allocating = null;
    if (Residency.g1RegionBytes() < 0) {
      verifyResidency();
    }
  }

  /**
   * An empty launch that makes Aparapi's native side take the current arrays (creating their device buffers and
   * copying the host contents). Needed after the arrays change: Aparapi's {@code get} of an array its native side
   * has not seen yet dereferences a null argument and crashes the JVM (SIGSEGV in {@code getArgForBuffer}; seen
   * here when a download followed an allocation with no launch in between).
   */
  private void bind() {
    launch(OP_NONE, 1);
  }

  private void bindArenas() {
    kernel.params = arenas.get(Arena.PARAMS);
    kernel.grads = arenas.get(Arena.GRADS);
    kernel.opt1 = arenas.get(Arena.OPT1);
    kernel.opt2 = arenas.get(Arena.OPT2);
    kernel.moving = arenas.get(Arena.MOVING);
    kernel.work = arenas.get(Arena.WORK);
    kernel.io = arenas.get(Arena.IO);
    kernel.out = arenas.get(Arena.OUT);
  }

  /**
   * Proves that device-side data survives garbage collections: writes a marker on the device, forces two GCs and a
   * launch (the point where Aparapi would re-create a moved array's buffer from the stale host copy), reads back.
   *
   * @throws IllegalStateException when the marker was lost, naming the collector setting that avoids it
   */
  public void verifyResidency() {
    float[] out = arenas.get(Arena.OUT);
    float marker = 12345.5f;
    out[0] = 0f;
    upload(Arena.OUT);
    fill(Arena.OUT, 0, 1, marker);
    System.gc();
    System.gc();
    fill(Arena.WORK, 0, 1, 0f);
    download(Arena.OUT);
    if (out[0] != marker) {
      throw new IllegalStateException("device-resident arrays do not survive garbage collection in this JVM "
          + "(collector moved an arena; Aparapi re-created its buffer from the stale host copy). Run with -XX:+UseG1GC.");
    }
    out[0] = 0f;
    upload(Arena.OUT);
  }

  @Override
  public float[] host(Arena arena) {
    return arenas.get(arena);
  }

  /**
   * Aparapi's {@code put} only marks the array; the copy happens at the next launch. Uploads before the next op
   * therefore cost nothing extra, and {@link #download} flushes pending ones first (a {@code get} before that
   * launch would read the old device copy into the host array, and the queued write would then push it back).
   */
  @Override
  public void upload(Arena arena) {
    kernel.put(arenas.get(arena));
    pendingUploads = true;
  }

  @Override
  public void download(Arena arena) {
    if (pendingUploads) {
      bind();
    }
    kernel.get(arenas.get(arena));
  }

  @Override
  public void finish() {
    // Aparapi's execute returns after the kernel completed.
  }

  private void launch(int op, int total) {
    if (total <= 0) {
      return;
    }
    kernel.total = total;
    launchRange(op, device.createRange((total + localSize - 1) / localSize * localSize, localSize));
  }

  /**
   * Why arenas of these sizes cannot be device buffers on a device with the given limits (bytes), or null when they
   * fit: one arena over the device's largest allocation, or all of them over its global memory.
   */
  static String tooLarge(ArenaSizes sizes, long maxAlloc, long globalMem) {
    long total = 0;
    for (Arena a : Arena.values()) {
      long bytes = 4L * sizes.of(a);
      total += bytes;
      if (maxAlloc > 0 && bytes > maxAlloc) {
        return "the " + a + " arena needs " + mib(bytes) + ", more than the device's largest buffer ("
            + mib(maxAlloc) + ")";
      }
    }
    if (globalMem > 0 && total > globalMem) {
      return "the arenas need " + mib(total) + " (" + sizes + " floats), more than the device's memory ("
          + mib(globalMem) + ")";
    }
    return null;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
  }

  private void launchRange(int op, Range range) {
    kernel.op = op;
    try {
      kernel.execute(range);
    } catch (RuntimeException | AssertionError e) {
      // Aparapi reports a failed OpenCL call (its native side prints OpenCL's error, e.g. "clCreateBuffer failed
      // out of host memory") as an exception, or, for a kernel bound to one device, as an AssertionError from its
      // fallback; neither names what the job asked of the device.
      throw new IllegalStateException("OpenCL execution failed on " + OpenClDevices.describe(device)
          + (allocating == null ? " (op " + op + ")"
          : " while creating the device buffers (" + mib(4L * allocating.total()) + ": " + allocating
          + " floats; a smaller batch needs less)")
          + ": " + e.getMessage() + "; OpenCL's own error is in the output above", e);
    }
    launches++;
    pendingUploads = false;
    if (KernelManager.instance().getPreferences(kernel).getFailedDevices().contains(device)) {
      throw new IllegalStateException("OpenCL execution failed on " + OpenClDevices.describe(device)
          + " (op " + op + "); Aparapi would fall back to Java threads, which this backend refuses. See the log above.");
    }
  }

  private void geometry(ConvGeometry g) {
    kernel.n = g.n();
    kernel.h = g.h();
    kernel.w = g.w();
    kernel.c = g.c();
    kernel.kh = g.kh();
    kernel.kw = g.kw();
    kernel.sh = g.sh();
    kernel.sw = g.sw();
    kernel.pt = g.pt();
    kernel.pl = g.pl();
    kernel.oh = g.oh();
    kernel.ow = g.ow();
    kernel.oc = g.oc();
  }

  @Override
  public void fill(Arena arena, int off, int len, float value) {
    kernel.fn = arena.ordinal();
    kernel.xOff = off;
    kernel.f0 = value;
    launch(KernelArgs.OP_FILL, len);
  }

  @Override
  public void copy(Arena src, int srcOff, Arena dst, int dstOff, int len) {
    kernel.fn = src.ordinal();
    kernel.fn2 = dst.ordinal();
    kernel.xOff = srcOff;
    kernel.yOff = dstOff;
    launch(KernelArgs.OP_COPY, len);
  }

  /**
   * Launches the tiled product {@code view} of extents [m, n] over k (the view's fields already set): one launch, or
   * two when {@link TiledPlan} splits the reduction. {@code biasRow}: the filter-gradient views add the bias
   * gradient as row m of the product (A's extra row is ones), so m grows by one.
   */
  private void tiled(int view, int m, int n, int k, boolean biasRow) {
    TiledPlan plan = TiledPlan.of(m, n, k, targetGroups);
    kernel.view = view;
    kernel.gBias = biasRow ? 1 : 0;
    kernel.gm = m;
    kernel.gn = n;
    kernel.gk = k;
    kernel.splits = plan.splits();
    if (plan.splits() > 1) {
      ensureScratch(plan.splits() * m * n);
    }
    launchRange(plan.narrow() ? KernelArgs.OP_NARROW_TILED_PRODUCT : KernelArgs.OP_TILED_PRODUCT,
        device.createRange(plan.groups() * TiledKernels.GROUP, TiledKernels.GROUP));
    if (plan.splits() > 1) {
      launch(KernelArgs.OP_TILED_FINISH, m * n);
    }
  }

  @Override
  public void conv2dForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act) {
    geometry(g);
    kernel.xOff = xOff;
    kernel.wOff = wOff;
    kernel.bOff = bOff;
    kernel.yOff = yOff;
    kernel.fn = act.code;
    if (products == Products.TILED) {
      tiled(TiledKernels.V_CONV_FORWARD, g.outputSize() / g.oc(), g.oc(), g.kh() * g.kw() * g.c(), false);
    } else {
      launch(KernelArgs.OP_CONV_FORWARD, g.outputSize());
    }
  }

  @Override
  public void conv2dBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff) {
    geometry(g);
    kernel.dyOff = dyOff;
    kernel.wOff = wOff;
    kernel.dxOff = dxOff;
    if (products == Products.TILED) {
      tiled(TiledKernels.V_CONV_BACKWARD_DATA, g.inputSize() / g.c(), g.c(), g.kh() * g.kw() * g.oc(), false);
    } else {
      launch(KernelArgs.OP_CONV_BACKWARD_DATA, g.inputSize());
    }
  }

  /** Work items a split reduction aims for: enough to fill a large GPU several times over. */
  static final int SPLIT_TARGET = 1 << 17;

  /** Splits for a reduction of {@code outputs} results over {@code items} independent chunks. */
  static int splits(int outputs, int items) {
    return Math.max(1, Math.min(items, SPLIT_TARGET / Math.max(1, outputs)));
  }

  /** Scratch of at least {@code floats}, G1-humongous like the arenas (it is written and read by two launches). */
  private void ensureScratch(int floats) {
    if (kernel.scratch == null || kernel.scratch.length < floats) {
      kernel.scratch = Residency.allocate(floats);
    }
  }

  /** Launches the second half of a split reduction over {@code len} outputs into GRADS at {@code dwOff}. */
  private void addSplits(int len, int splits, int dwOff) {
    kernel.len = len;
    kernel.splits = splits;
    kernel.dwOff = dwOff;
    launch(KernelArgs.OP_ADD_SPLITS, len);
  }

  @Override
  public void conv2dBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff) {
    geometry(g);
    kernel.xOff = xOff;
    kernel.dyOff = dyOff;
    int pixels = g.outputSize() / g.oc();
    if (products == Products.TILED) {
      kernel.dwOff = dwOff;
      kernel.bOff = dbOff;
      int rows = g.kernelSize() / g.oc();
      tiled(TiledKernels.V_CONV_BACKWARD_FILTER, dbOff >= 0 ? rows + 1 : rows, g.oc(), pixels, dbOff >= 0);
      return;
    }
    int splits = splits(g.kernelSize(), g.n());
    ensureScratch(splits * g.kernelSize());
    kernel.splits = splits;
    launch(KernelArgs.OP_CONV_BACKWARD_FILTER_PARTIAL, splits * g.kernelSize());
    addSplits(g.kernelSize(), splits, dwOff);
    if (dbOff >= 0) {
      biasGrad(pixels, g.oc(), dyOff, dbOff);
    }
  }

  /** The direct products' bias gradient: a split column sum and its ordered second pass. */
  private void biasGrad(int rows, int cols, int dyOff, int dbOff) {
    kernel.rows = rows;
    kernel.cols = cols;
    kernel.dyOff = dyOff;
    int splits = splits(cols, rows);
    ensureScratch(splits * cols);
    kernel.splits = splits;
    launch(KernelArgs.OP_BIAS_GRAD_PARTIAL, splits * cols);
    addSplits(cols, splits, dbOff);
  }

  private void dense(int rows, int in, int out) {
    kernel.rows = rows;
    kernel.len = in;
    kernel.cols = out;
  }

  @Override
  public void denseForward(int rows, int in, int out, int xOff, int wOff, int bOff, int yOff, Activation act) {
    dense(rows, in, out);
    kernel.xOff = xOff;
    kernel.wOff = wOff;
    kernel.bOff = bOff;
    kernel.yOff = yOff;
    kernel.fn = act.code;
    if (products == Products.TILED) {
      tiled(TiledKernels.V_DENSE_FORWARD, rows, out, in, false);
    } else {
      launch(KernelArgs.OP_DENSE_FORWARD, rows * out);
    }
  }

  @Override
  public void denseBackwardData(int rows, int in, int out, int dyOff, int wOff, int dxOff) {
    dense(rows, in, out);
    kernel.dyOff = dyOff;
    kernel.wOff = wOff;
    kernel.dxOff = dxOff;
    if (products == Products.TILED) {
      tiled(TiledKernels.V_DENSE_BACKWARD_DATA, rows, in, out, false);
    } else {
      launch(KernelArgs.OP_DENSE_BACKWARD_DATA, rows * in);
    }
  }

  @Override
  public void denseBackwardFilter(int rows, int in, int out, int xOff, int dyOff, int dwOff, int dbOff) {
    dense(rows, in, out);
    kernel.xOff = xOff;
    kernel.dyOff = dyOff;
    kernel.dwOff = dwOff;
    if (products == Products.TILED) {
      kernel.bOff = dbOff;
      tiled(TiledKernels.V_DENSE_BACKWARD_FILTER, dbOff >= 0 ? in + 1 : in, out, rows, dbOff >= 0);
    } else {
      launch(KernelArgs.OP_DENSE_BACKWARD_FILTER, in * out);
      if (dbOff >= 0) {
        biasGrad(rows, out, dyOff, dbOff);
      }
    }
  }

  @Override
  public void activationForward(Activation act, int len, int xOff, int yOff) {
    kernel.fn = act.code;
    kernel.xOff = xOff;
    kernel.yOff = yOff;
    launch(KernelArgs.OP_ACTIVATION_FORWARD, len);
  }

  @Override
  public void activationBackward(Activation act, int len, int yOff, int dyOff, int dxOff) {
    kernel.fn = act.code;
    kernel.yOff = yOff;
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    launch(KernelArgs.OP_ACTIVATION_BACKWARD, len);
  }

  @Override
  public void softmaxForward(int rows, int cols, int xOff, int yOff) {
    kernel.cols = cols;
    kernel.xOff = xOff;
    kernel.yOff = yOff;
    launch(KernelArgs.OP_SOFTMAX_FORWARD, rows);
  }

  @Override
  public void softmaxBackward(int rows, int cols, int yOff, int dyOff, int dxOff) {
    kernel.cols = cols;
    kernel.yOff = yOff;
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    launch(KernelArgs.OP_SOFTMAX_BACKWARD, rows);
  }

  @Override
  public void maxPoolForward(ConvGeometry g, int xOff, int yOff) {
    geometry(g);
    kernel.xOff = xOff;
    kernel.yOff = yOff;
    launch(KernelArgs.OP_MAX_POOL_FORWARD, g.outputSize());
  }

  @Override
  public void maxPoolBackward(ConvGeometry g, int xOff, int dyOff, int dxOff) {
    geometry(g);
    kernel.xOff = xOff;
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    launch(KernelArgs.OP_MAX_POOL_BACKWARD, g.inputSize());
  }

  @Override
  public void avgPoolForward(ConvGeometry g, int xOff, int yOff) {
    geometry(g);
    kernel.xOff = xOff;
    kernel.yOff = yOff;
    launch(KernelArgs.OP_AVG_POOL_FORWARD, g.outputSize());
  }

  @Override
  public void avgPoolBackward(ConvGeometry g, int dyOff, int dxOff) {
    geometry(g);
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    launch(KernelArgs.OP_AVG_POOL_BACKWARD, g.inputSize());
  }

  private void dropout(int len, float rate, long seed, int inOff, int outOff) {
    kernel.seedLo = DropoutMask.lo(seed);
    kernel.seedHi = DropoutMask.hi(seed);
    kernel.f0 = rate;
    kernel.xOff = inOff;
    kernel.yOff = outOff;
    launch(KernelArgs.OP_DROPOUT, len);
  }

  @Override
  public void dropoutForward(int len, float rate, long seed, int xOff, int yOff) {
    dropout(len, rate, seed, xOff, yOff);
  }

  @Override
  public void dropoutBackward(int len, float rate, long seed, int dyOff, int dxOff) {
    dropout(len, rate, seed, dyOff, dxOff);
  }

  @Override
  public void batchNormStats(int rows, int c, int xOff, int meanOff, int invStdOff, int movingOff, float momentum,
                             float eps) {
    kernel.rows = rows;
    kernel.c = c;
    kernel.xOff = xOff;
    kernel.aux0 = meanOff;
    kernel.aux1 = invStdOff;
    kernel.aux2 = movingOff;
    kernel.f0 = momentum;
    kernel.f1 = eps;
    launch(KernelArgs.OP_BN_STATS, c);
  }

  @Override
  public void batchNormMovingStats(int c, int movingOff, int meanOff, int invStdOff, float eps) {
    kernel.c = c;
    kernel.aux0 = meanOff;
    kernel.aux1 = invStdOff;
    kernel.aux2 = movingOff;
    kernel.f1 = eps;
    launch(KernelArgs.OP_BN_MOVING_STATS, c);
  }

  @Override
  public void batchNormApply(int rows, int c, int xOff, int yOff, int gammaOff, int meanOff, int invStdOff) {
    kernel.rows = rows;
    kernel.c = c;
    kernel.xOff = xOff;
    kernel.yOff = yOff;
    kernel.wOff = gammaOff;
    kernel.aux0 = meanOff;
    kernel.aux1 = invStdOff;
    launch(KernelArgs.OP_BN_APPLY, rows * c);
  }

  @Override
  public void batchNormBackward(int rows, int c, int xOff, int dyOff, int dxOff, int gammaOff, int meanOff,
                                int invStdOff, int dGammaOff, int sumsOff) {
    kernel.rows = rows;
    kernel.c = c;
    kernel.xOff = xOff;
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    kernel.wOff = gammaOff;
    kernel.aux0 = meanOff;
    kernel.aux1 = invStdOff;
    kernel.aux3 = sumsOff;
    kernel.dwOff = dGammaOff;
    launch(KernelArgs.OP_BN_BACKWARD_REDUCE, c);
    launch(KernelArgs.OP_BN_BACKWARD_DATA, rows * c);
  }

  @Override
  public void batchNormBackwardInference(int rows, int c, int dyOff, int dxOff, int gammaOff, int invStdOff) {
    kernel.c = c;
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    kernel.wOff = gammaOff;
    kernel.aux1 = invStdOff;
    launch(KernelArgs.OP_BN_BACKWARD_INFERENCE, rows * c);
  }

  @Override
  public void reluForward(int len, float maxValue, float negativeSlope, int xOff, int yOff) {
    kernel.reluMax = maxValue;
    kernel.reluSlope = negativeSlope;
    kernel.xOff = xOff;
    kernel.yOff = yOff;
    launch(KernelArgs.OP_RELU_FORWARD, len);
  }

  @Override
  public void reluBackward(int len, float maxValue, float negativeSlope, int yOff, int dyOff, int dxOff) {
    kernel.reluMax = maxValue;
    kernel.reluSlope = negativeSlope;
    kernel.yOff = yOff;
    kernel.dyOff = dyOff;
    kernel.dxOff = dxOff;
    launch(KernelArgs.OP_RELU_BACKWARD, len);
  }

  @Override
  public void padForward(PadGeometry g, int xOff, int yOff) {
    PadLauncher.forward(launcher, g, xOff, yOff);
  }

  @Override
  public void padBackward(PadGeometry g, int dyOff, int dxOff) {
    PadLauncher.backward(launcher, g, dyOff, dxOff);
  }

  @Override
  public void globalPoolForward(boolean max, int n, int s, int c, int xOff, int yOff) {
    GlobalPoolLauncher.forward(launcher, max, n, s, c, xOff, yOff);
  }

  @Override
  public void globalPoolBackward(boolean max, int n, int s, int c, int xOff, int dyOff, int dxOff) {
    GlobalPoolLauncher.backward(launcher, max, n, s, c, xOff, dyOff, dxOff);
  }

  @Override
  public void embeddingForward(int tokens, int vocab, int dim, int xOff, int tableOff, int yOff) {
    EmbeddingLauncher.forward(launcher, tokens, vocab, dim, xOff, tableOff, yOff);
  }

  @Override
  public void embeddingBackward(int tokens, int vocab, int dim, int xOff, int dyOff, int dTableOff) {
    EmbeddingLauncher.backward(launcher, tokens, vocab, dim, xOff, dyOff, dTableOff);
  }

  @Override
  public void depthwiseForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act) {
    DepthwiseLauncher.forward(launcher, g, xOff, wOff, bOff, yOff, act);
  }

  @Override
  public void depthwiseBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff) {
    DepthwiseLauncher.backwardData(launcher, g, dyOff, wOff, dxOff);
  }

  @Override
  public void depthwiseBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff) {
    DepthwiseLauncher.backwardFilter(launcher, g, xOff, dyOff, dwOff, dbOff);
  }

  @Override
  public void loss(LossKind kind, int rows, int cols, int predOff, int labelOff, int gradOff, int rowStatsOff) {
    kernel.fn = kind.code;
    kernel.rows = rows;
    kernel.cols = cols;
    kernel.xOff = predOff;
    kernel.yOff = labelOff;
    kernel.dxOff = gradOff;
    kernel.aux0 = rowStatsOff;
    kernel.f0 = LossKind.EPSILON;
    launch(KernelArgs.OP_LOSS, rows);
  }

  @Override
  public void accumulateMetrics(int rows, int rowStatsOff, int outOff) {
    kernel.rows = rows;
    kernel.xOff = rowStatsOff;
    kernel.yOff = outOff;
    launch(KernelArgs.OP_ACCUMULATE_METRICS, 1);
  }

  @Override
  public void optimizerStep(OptimizerRule rule, int off, int len, StepHyper h) {
    kernel.fn = rule.code;
    kernel.xOff = off;
    kernel.fn2 = h.nesterov() ? 1 : 0;
    kernel.f0 = h.lr();
    kernel.f1 = h.a1();
    kernel.f2 = h.a2();
    kernel.f3 = h.eps();
    kernel.f4 = h.c0();
    kernel.f5 = h.c1();
    kernel.f6 = h.c2();
    launch(KernelArgs.OP_OPTIMIZER, len);
  }

  @Override
  public void close() {
    kernel.dispose();
  }
}
