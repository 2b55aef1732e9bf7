package dev.cnnspark.worker.model;

import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.LossKind;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.layers.Pass;
import dev.cnnspark.worker.layers.WorkLayout;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.train.Augmentation;
import dev.cnnspark.worker.train.ConfusionMatrix;
import java.util.List;

/**
 * A compiled model bound to a backend for minibatches of up to {@code maxRows}: lays out the arenas, and runs the
 * training step, evaluation and prediction on them. One training step moves one minibatch in (IO) and nothing
 * out; metrics accumulate on the device in OUT until {@link #takeMetrics()}; parameters and optimizer state come
 * back only through {@link #state()}.
 *
 * <pre>
 * WORK: input copy | per layer: output, delta (+ pre-activation, scratch) | per-row loss statistics
 * IO:   inputs [maxRows x inputSize] | labels [maxRows x labelWidth]
 * OUT:  loss sum, correct sum, -, - | per-row dump (statistics or predictions)
 * </pre>
 */
public final class Trainer {
  private static final int DUMP = 4;
  private final List<Layer> layers;
  private final Optimizer optimizer;
  private final Backend backend;
  private final int maxRows;
  private final int inputSize;
  private final int labelWidth;
  private final int params;
  private final int moving;
  private final int inputOff;
  private final int labelOff;
  private final int statsOff;
  private final int predOff;
  private final int gradOff;
  private final int outputOff;
  private final int outputSize;
  private final LossKind lossKind;
  /** {@code [offset, length]} pairs of the trainable layers' parameters, adjacent layers merged. */
  private final int[] trainableRanges;
  private long examplesSinceFetch;
  private final Shape inputShape;
  private Augmentation augmentation;
  private float[] augmentScratch;

  Trainer(Sequential model, Backend backend, int maxRows) {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + maxRows);
    }
    this.layers = model.layers();
    this.optimizer = model.optimizer();
    this.backend = backend;
    this.maxRows = maxRows;
    ModelLayout layout = model.layout();
    this.inputSize = layout.input().size();
    this.inputShape = layout.input();
    this.outputSize = layout.output().size();
    this.labelWidth = outputSize;
    this.params = layout.params();
    this.moving = layout.moving();
    this.lossKind = model.lossKind();
    this.trainableRanges = trainableRanges(layers, layout);

    Plan plan = plan(model, maxRows);
    inputOff = plan.inputOff();
    statsOff = plan.statsOff();
    Layer last = layers.get(layers.size() - 1);
    boolean fused = model.lossFused();
    predOff = fused ? last.logitsOffset() : last.outputOffset();
    gradOff = fused ? last.logitsDeltaOffset() : last.deltaOffset();
    outputOff = last.outputOffset();
    labelOff = maxRows * inputSize;
    backend.allocate(plan.sizes());
  }

  /** The parameter ranges the optimizer steps: every trainable layer's, adjacent ones merged into one range. */
  static int[] trainableRanges(List<Layer> layers, ModelLayout layout) {
    List<int[]> ranges = new java.util.ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      int off = layout.paramOffsets()[i];
      int len = layout.paramCounts()[i];
      if (!layers.get(i).trainable() || len == 0) {
        continue;
      }
      int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[0] + last[1] == off) {
        last[1] += len;
      } else {
        ranges.add(new int[] {off, len});
      }
    }
    return ranges.stream().flatMapToInt(java.util.Arrays::stream).toArray();
  }

  /** Where a batch bound lays out the WORK arena, and every arena's length. */
  private record Plan(int inputOff, int statsOff, ArenaSizes sizes) {
  }

  /**
   * Builds every layer of a compiled model for batches of up to {@code maxRows} and lays out the arenas, without
   * allocating them. Throws {@link IllegalArgumentException} when an arena would exceed what one Java array holds.
   */
  private static Plan plan(Sequential model, int maxRows) {
    ModelLayout layout = model.layout();
    List<Layer> layers = model.layers();
    int inputSize = layout.input().size();
    int outputSize = layout.output().size();
    WorkLayout work = new WorkLayout();
    int inputOff = work.reserve((long) maxRows * inputSize);
    int prevOut = inputOff;
    int prevDelta = -1;
    long scratch = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      int s = l.paramScratch(layout.inputs().get(i));
      l.bindParamScratch(s > 0 ? layout.params() + (int) scratch : -1);
      scratch += s;
      l.build(i, layout.inputs().get(i), layout.paramOffsets()[i], layout.movingOffsets()[i], prevOut, prevDelta,
          work, maxRows);
      prevOut = l.outputOffset();
      prevDelta = l.deltaOffset();
    }
    int statsOff = work.reserve((long) maxRows * LossKind.ROW_STATS);
    long io = (long) maxRows * (inputSize + outputSize);
    long out = DUMP + (long) maxRows * Math.max(LossKind.ROW_STATS, outputSize);
    if (io > Integer.MAX_VALUE - 64 || out > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("a minibatch of " + maxRows + " needs " + Math.max(io, out) + " floats of "
          + "input, more than one Java array holds: lower the batch size");
    }
    // PARAMS and GRADS (and the slots, which must have their length) hold the layers' scratch past the parameters:
    // state copies, averaging and the optimizer touch only [0, params)
    if (layout.params() + scratch > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("parameters and their scratch exceed one Java array");
    }
    int params = layout.params() + (int) scratch;
    int slots = model.optimizer().rule().slots;
    return new Plan(inputOff, statsOff, new ArenaSizes(params, slots >= 1 ? params : 0, slots >= 2 ? params : 0,
        layout.moving(), work.size(), (int) io, (int) out));
  }

  /**
   * The arenas a worker engine of this compiled model allocates for batches of {@code maxRows} (host memory on every
   * backend; the same again on an OpenCL device), without allocating them: the basis of the memory check at
   * {@code validate} and in the pre-flight.
   */
  public static ArenaSizes arenaSizes(Sequential model, int maxRows) {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + maxRows);
    }
    return plan(model, maxRows).sizes();
  }

  /** Bytes of all arenas (GRADS included, which has the parameters' length). */
  public static long bytes(ArenaSizes s) {
    long floats = 0;
    for (Arena a : Arena.values()) {
      floats += s.of(a);
    }
    return floats * Float.BYTES;
  }

  public Backend backend() {
    return backend;
  }

  public int maxRows() {
    return maxRows;
  }

  /** Puts parameters, moving statistics and optimizer state on the device. */
  public void setState(ModelState s) {
    put(Arena.PARAMS, s.params(), params);
    put(Arena.MOVING, s.moving(), moving);
    int slots = optimizer.rule().slots;
    if (slots >= 1) {
      put(Arena.OPT1, s.opt1(), params);
    }
    if (slots >= 2) {
      put(Arena.OPT2, s.opt2(), params);
    }
    optimizer.setIterations(s.iterations());
  }

  private void put(Arena a, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(a + " state has " + values.length + " values, the model needs " + expected);
    }
    System.arraycopy(values, 0, backend.host(a), 0, expected);
    backend.upload(a);
  }

  /** Brings parameters, moving statistics and optimizer state back from the device. */
  public ModelState state() {
    int slots = optimizer.rule().slots;
    return new ModelState(get(Arena.PARAMS, params), get(Arena.MOVING, moving),
        slots >= 1 ? get(Arena.OPT1, params) : new float[0], slots >= 2 ? get(Arena.OPT2, params) : new float[0],
        optimizer.iterations());
  }

  private float[] get(Arena a, int n) {
    if (n == 0) {
      return new float[0];
    }
    backend.download(a);
    return java.util.Arrays.copyOf(backend.host(a), n);
  }

  /**
   * Augments every training minibatch from now on (never evaluation or prediction); {@link Augmentation#NONE} or
   * null turns it off. Each example's transform is drawn from the step's seed and the example's index.
   */
  public void setAugmentation(Augmentation a) {
    this.augmentation = a == null || a.isIdentity() ? null : a;
    if (augmentation != null) {
      if (inputShape.dims().length != 3) {
        this.augmentation = null;
        throw new IllegalArgumentException("augmentation transforms images (height, width, channels); the model's "
            + "input is " + inputShape);
      }
      augmentScratch = new float[inputSize];
    }
  }

  /** Copies rows {@code order[from .. from+rows)} (or {@code from ..} without an order) of d into IO and WORK. */
  private void load(Rows d, int[] order, int from, int rows, boolean labels) {
    load(d, order, from, rows, labels, 0, false);
  }

  private void load(Rows d, int[] order, int from, int rows, boolean labels, long seed, boolean augment) {
    if (rows > maxRows) {
      throw new IllegalArgumentException("minibatch of " + rows + " exceeds the bound batch size " + maxRows);
    }
    float[] io = backend.host(Arena.IO);
    for (int r = 0; r < rows; r++) {
      int idx = order == null ? from + r : order[from + r];
      d.copyX(idx, io, r * inputSize);
      layers.get(0).checkInputs(io, r * inputSize, 1, inputSize);
      if (augment && augmentation != null) {
        augmentation.apply(io, r * inputSize, inputShape, seed * 0x9E3779B97F4A7C15L + (idx + 1L)
            * 0xBF58476D1CE4E5B9L, augmentScratch);
      }
      if (labels) {
        d.copyY(idx, io, labelOff + r * labelWidth);
      }
    }
    backend.upload(Arena.IO);
    backend.copy(Arena.IO, 0, Arena.WORK, inputOff, rows * inputSize);
  }

  private void forward(Pass p) {
    for (Layer l : layers) {
      l.forward(p);
    }
  }

  /**
   * One optimizer step on the minibatch {@code order[from .. from+rows)}.
   *
   * @param seed the step's seed (dropout masks); the same seed gives the same step
   */
  public void trainBatch(Rows d, int[] order, int from, int rows, long seed) {
    forwardBackward(d, order, from, rows, seed);
    optimizer.step(backend, trainableRanges);
  }

  /** Forward and backward in training mode without an update: the gradients are left in GRADS. */
  public void forwardBackward(Rows d, int[] order, int from, int rows, long seed) {
    load(d, order, from, rows, true, seed, true);
    backend.fill(Arena.GRADS, 0, params, 0f);
    Pass p = new Pass(backend, rows, true, seed);
    forward(p);
    backend.loss(lossKind, rows, labelWidth, predOff, labelOff, gradOff, statsOff);
    backend.accumulateMetrics(rows, statsOff, 0);
    for (int i = layers.size() - 1; i >= 0; i--) {
      layers.get(i).backward(p);
    }
    examplesSinceFetch += rows;
  }

  /** The gradients of the last {@link #forwardBackward} (mean loss over its rows). */
  public float[] gradients() {
    return get(Arena.GRADS, params);
  }

  /** Sums since the last call: {@code [loss sum, correct sum, examples]}; resets the device accumulators. */
  public double[] takeMetrics() {
    backend.download(Arena.OUT);
    float[] out = backend.host(Arena.OUT);
    double[] m = {out[0], out[1], examplesSinceFetch};
    backend.fill(Arena.OUT, 0, 2, 0f);
    examplesSinceFetch = 0;
    return m;
  }

  /**
   * Loss and accuracy sums over a dataset in inference mode, and the confusion matrix when asked (categorical
   * labels); returns {@code [loss sum, correct sum, examples]}.
   */
  public double[] evaluate(Rows d, ConfusionMatrix confusion) {
    takeMetrics();
    for (int from = 0; from < d.count(); from += maxRows) {
      int rows = Math.min(maxRows, d.count() - from);
      load(d, null, from, rows, true);
      forward(new Pass(backend, rows, false, 0));
      backend.loss(lossKind, rows, labelWidth, predOff, labelOff, -1, statsOff);
      backend.accumulateMetrics(rows, statsOff, 0);
      if (confusion != null) {
        backend.copy(Arena.WORK, statsOff, Arena.OUT, DUMP, rows * LossKind.ROW_STATS);
        backend.download(Arena.OUT);
        float[] out = backend.host(Arena.OUT);
        for (int r = 0; r < rows; r++) {
          int s = DUMP + r * LossKind.ROW_STATS;
          confusion.add((int) out[s + 3], (int) out[s + 2]);
        }
      }
      examplesSinceFetch += rows;
    }
    return takeMetrics();
  }

  /** Model outputs for every example of {@code x} ({@code count x outputSize}), inference mode. */
  public float[] predict(Dataset x) {
    float[] result = new float[x.count() * outputSize];
    for (int from = 0; from < x.count(); from += maxRows) {
      int rows = Math.min(maxRows, x.count() - from);
      load(x, null, from, rows, false);
      forward(new Pass(backend, rows, false, 0));
      backend.copy(Arena.WORK, outputOff, Arena.OUT, DUMP, rows * outputSize);
      backend.download(Arena.OUT);
      System.arraycopy(backend.host(Arena.OUT), DUMP, result, from * outputSize, rows * outputSize);
    }
    return result;
  }
}
