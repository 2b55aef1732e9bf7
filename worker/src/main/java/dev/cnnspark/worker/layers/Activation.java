package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.Optional;

/** Keras' {@code Activation} layer; softmax acts on the last axis. */
public final class Activation extends Layer {
  private final ActivationFn fn;
  private boolean absorbed;
  private int scratchDelta = -1;

  public Activation(ActivationFn fn) {
    super("Activation", null);
    this.fn = fn;
  }

  public Activation(String fn) {
    this(ActivationFn.parse(fn));
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    super.reserve(work, maxRows);
    if (inDeltaOff < 0) {
      scratchDelta = work.reserve((long) maxRows * in.size());
    }
  }

  private int inputDelta() {
    return inDeltaOff >= 0 ? inDeltaOff : scratchDelta;
  }

  @Override
  public void forward(Pass p) {
    int len = p.rows() * in.size();
    if (fn == ActivationFn.SOFTMAX) {
      p.backend().softmaxForward(len / in.channels(), in.channels(), inOff, outOff);
    } else {
      p.backend().activationForward(fn.elementwise, len, inOff, outOff);
    }
  }

  @Override
  public void backward(Pass p) {
    if (absorbed || inDeltaOff < 0) {
      return;
    }
    int len = p.rows() * in.size();
    if (fn == ActivationFn.SOFTMAX) {
      p.backend().softmaxBackward(len / in.channels(), in.channels(), outOff, deltaOff, inDeltaOff);
    } else {
      p.backend().activationBackward(fn.elementwise, len, outOff, deltaOff, inDeltaOff);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("activation", fn.keras());
    return c;
  }

  @Override
  public Optional<ActivationFn> outputActivation() {
    return Optional.of(fn);
  }

  @Override
  public void setActivationAbsorbed(boolean absorbed) {
    this.absorbed = absorbed;
  }

  @Override
  public int logitsOffset() {
    return inOff;
  }

  @Override
  public int logitsDeltaOffset() {
    return inputDelta();
  }
}
