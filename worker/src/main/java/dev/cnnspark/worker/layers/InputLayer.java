package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;

/**
 * Keras' {@code InputLayer}: declares the model's input shape and nothing else. As in Keras' {@code Sequential} it is
 * not one of the model's layers: {@code Sequential.add} hands its shape to the next layer (so summaries and parameter
 * offsets match Keras'), and a model config keeps the shape as the first layer's {@code input_shape}.
 */
public final class InputLayer extends Layer {
  private final Shape shape;

  public InputLayer(Shape shape) {
    super("InputLayer", shape);
    this.shape = shape;
  }

  public Shape shape() {
    return shape;
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public void forward(Pass p) {
    throw new IllegalStateException("an InputLayer is never bound into a model");
  }

  @Override
  public void backward(Pass p) {
    throw new IllegalStateException("an InputLayer is never bound into a model");
  }
}
