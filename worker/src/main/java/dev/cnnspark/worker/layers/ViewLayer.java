package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;

/**
 * A layer that only re-reads its input under another shape ({@link Flatten}, {@link Reshape}): each example is
 * contiguous in NHWC, so the output and delta regions are the input's, with no op and no copy. (The first layer's
 * input has no delta region; then one is reserved so the layer after it has somewhere to write.)
 */
public abstract class ViewLayer extends Layer {

  protected ViewLayer(String type, Shape declaredInput) {
    super(type, declaredInput);
  }

  @Override
  protected final void reserve(WorkLayout work, int maxRows) {
    outOff = inOff;
    deltaOff = inDeltaOff >= 0 ? inDeltaOff : work.reserve((long) maxRows * out.size());
  }

  @Override
  public final void forward(Pass p) {
  }

  @Override
  public final void backward(Pass p) {
  }
}
