package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A layer, Keras' lifecycle: the constructor validates the immutable configuration; {@link #build} binds the layer
 * into a model (input shape, parameter offsets, regions of the WORK arena for its output and delta); forward writes
 * its output region; backward turns the delta of its output into the delta of its input (when the previous layer
 * needs one) and accumulates its parameter gradients into GRADS.
 *
 * <p>Regions: {@code inOff}/{@code inDeltaOff} are the previous layer's output and delta ({@code inDeltaOff = -1}
 * for the first layer, whose input needs no gradient); {@code outOff}/{@code deltaOff} are this layer's.
 */
public abstract class Layer {
  private final String type;
  private Shape declaredInput;
  private String name;
  private boolean trainable = true;

  protected int index = -1;
  protected Shape in;
  protected Shape out;
  protected int paramOffset = -1;
  protected int movingOffset = -1;
  /** Where this layer's PARAMS/GRADS scratch starts (past the model's parameters), or -1 without scratch. */
  protected int paramScratchOffset = -1;
  protected int inOff = -1;
  protected int inDeltaOff = -1;
  protected int outOff = -1;
  protected int deltaOff = -1;

  protected Layer(String type, Shape declaredInput) {
    this.type = type;
    this.declaredInput = declaredInput;
  }

  /** Keras' class name, e.g. {@code Conv2D}. */
  public final String type() {
    return type;
  }

  /** The layer's name in its model ({@code conv2d_1}); null before the model names it. */
  public final String name() {
    return name;
  }

  public final void setName(String name) {
    this.name = name;
  }

  /** The input shape given to this layer's constructor (Keras' {@code input_shape}), if any. */
  public final Optional<Shape> declaredInputShape() {
    return Optional.ofNullable(declaredInput);
  }

  /** Declares the model's input shape on its first layer (what an {@link InputLayer} before it said). */
  public final void declareInputShape(Shape shape) {
    if (declaredInput != null && !declaredInput.equals(shape)) {
      throw new IllegalArgumentException(describe() + " declares input_shape " + declaredInput
          + " but the InputLayer before it says " + shape);
    }
    this.declaredInput = shape;
  }

  /**
   * Keras' {@code layer.trainable}. A frozen layer computes no gradient of its weights and the optimizer never
   * touches them or their slots; a frozen BatchNormalization also runs in inference mode (Keras 2.1+ semantics).
   * Read when a model binds to a backend, so a change takes effect at the next bind (as Keras needs a recompile).
   */
  public final boolean trainable() {
    return trainable;
  }

  public final void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /**
   * Checks a minibatch's inputs before they reach a backend, when this is the model's first layer; throws naming the
   * row and the value. Only layers whose inputs have a domain (token indices) check anything.
   */
  public void checkInputs(float[] x, int off, int rows, int perRow) {
  }

  /** What this layer makes of an input shape; an impossible combination throws, naming the layer and the problem. */
  public abstract Shape outputShape(Shape input);

  /** Trainable parameters for an input shape. */
  public int trainableCount(Shape input) {
    return 0;
  }

  /**
   * Floats of PARAMS (and the same of GRADS) this layer needs past the model's parameters as working space, for an
   * input shape: never part of the state that is averaged, checkpointed or stepped (a dilated Conv1D's expanded
   * kernel). 0 for almost every layer.
   */
  public int paramScratch(Shape input) {
    return 0;
  }

  /** Where {@link #paramScratch} lives; set by the engine before {@link #build}. */
  public final void bindParamScratch(int offset) {
    this.paramScratchOffset = offset;
  }

  /** Non-trainable state (BatchNorm moving statistics) for an input shape. */
  public int movingCount(Shape input) {
    return 0;
  }

  /** Binds the layer into a model; see the class comment for the regions. */
  public final void build(int index, Shape input, int paramOffset, int movingOffset, int inOff, int inDeltaOff,
                          WorkLayout work, int maxRows) {
    this.index = index;
    this.in = input;
    this.out = outputShape(input);
    this.paramOffset = paramOffset;
    this.movingOffset = movingOffset;
    this.inOff = inOff;
    this.inDeltaOff = inDeltaOff;
    reserve(work, maxRows);
  }

  /** Reserves output and delta regions, plus any scratch. Layers that alias or need more override. */
  protected void reserve(WorkLayout work, int maxRows) {
    outOff = work.reserve((long) maxRows * out.size());
    deltaOff = work.reserve((long) maxRows * out.size());
  }

  public abstract void forward(Pass p);

  public abstract void backward(Pass p);

  /**
   * The shapes of this layer's weight arrays in Keras' order and layout for an input shape (kernel, bias; gamma, beta,
   * moving mean, moving variance; ...): what a Keras file stores, and how the layer's views of the flat vectors
   * (trainable, then moving) split into arrays. Empty for layers without weights.
   */
  public java.util.List<int[]> weightShapes(Shape input) {
    return java.util.List.of();
  }

  /**
   * Writes initial values (Keras' default initializers) of this layer's parameters from {@code params[p0]} and of
   * its moving statistics from {@code moving[m0]}, for an input shape; needs no {@link #build}.
   */
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
  }

  /** Keras-style configuration: the constructor arguments, for model files and checkpoints. */
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    if (declaredInput != null) {
      c.put("input_shape", declaredInput.dims());
    }
    if (!trainable) {
      c.put("trainable", false);
    }
    return c;
  }

  // ---- loss fusion: a final softmax or sigmoid is folded into the loss when the loss matches ----

  /** The activation this layer ends in, if it has one the loss could absorb. */
  public Optional<ActivationFn> outputActivation() {
    return Optional.empty();
  }

  /**
   * Whether the loss computes this layer's activation (from its logits); forward still writes the activated output.
   * Set by the model when it compiles, before the layer is built.
   */
  public void setActivationAbsorbed(boolean absorbed) {
    if (absorbed) {
      throw new UnsupportedOperationException(type + " has no output activation to absorb");
    }
  }

  /** Where the pre-activation output (logits) lives when the activation is absorbed. */
  public int logitsOffset() {
    throw new UnsupportedOperationException(type + " has no logits");
  }

  /** Where the loss writes the gradient of the logits when the activation is absorbed. */
  public int logitsDeltaOffset() {
    throw new UnsupportedOperationException(type + " has no logits");
  }

  // ---- bound state ----

  public final int outputOffset() {
    return outOff;
  }

  public final int deltaOffset() {
    return deltaOff;
  }

  /**
   * Throws unless the input is {@code (steps, channels)} (a 1-D layer) or {@code (height, width, channels)}, naming
   * this layer and the input.
   */
  protected final void requireSpatial(Shape input, boolean oneD) {
    if (input.rank() != (oneD ? 2 : 3)) {
      throw new IllegalArgumentException(describe() + " expects " + (oneD ? "(steps, channels)" : "(height, width, "
          + "channels)") + " input, got " + input);
    }
  }

  /**
   * A geometry computed from a spatial input ({@link #requireSpatial}); an input it cannot take ends in a message
   * that names this layer.
   */
  protected final <T> T spatial(Shape input, boolean oneD, java.util.function.Supplier<T> geometry) {
    requireSpatial(input, oneD);
    try {
      return geometry.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe() + ": " + e.getMessage());
    }
  }

  /** "Conv2D 'conv2d_1'" for error messages. */
  protected final String describe() {
    return type + (name == null ? "" : " '" + name + "'");
  }
}
