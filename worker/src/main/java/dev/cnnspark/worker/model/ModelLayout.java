package dev.cnnspark.worker.model;

import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.layers.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes and parameter offsets of a model's layers, computed once from the input shape; independent of batch size.
 * Each layer's parameters are a contiguous view {@code [paramOffset, paramOffset + trainable)} of the flat vector.
 */
public record ModelLayout(Shape input, List<Shape> inputs, List<Shape> outputs, int[] paramOffsets, int[] paramCounts,
                          int[] movingOffsets, int[] movingCounts, int params, int moving) {

  /** Walks the layers, asking each for its output shape; throws naming the first layer that cannot take its input. */
  public static ModelLayout of(Shape input, List<Layer> layers) {
    List<Shape> ins = new ArrayList<>();
    List<Shape> outs = new ArrayList<>();
    int[] po = new int[layers.size()];
    int[] pc = new int[layers.size()];
    int[] mo = new int[layers.size()];
    int[] mc = new int[layers.size()];
    long params = 0;
    long moving = 0;
    Shape s = input;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      ins.add(s);
      Shape o = l.outputShape(s);
      outs.add(o);
      po[i] = (int) params;
      pc[i] = l.trainableCount(s);
      mo[i] = (int) moving;
      mc[i] = l.movingCount(s);
      params += pc[i];
      moving += mc[i];
      if (params > Integer.MAX_VALUE - 64 || moving > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("model has more than 2^31 parameters; not supported");
      }
      s = o;
    }
    return new ModelLayout(input, List.copyOf(ins), List.copyOf(outs), po, pc, mo, mc, (int) params, (int) moving);
  }

  public Shape output() {
    return outputs.get(outputs.size() - 1);
  }
}
