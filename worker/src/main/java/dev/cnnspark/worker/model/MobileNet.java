package dev.cnnspark.worker.model;

import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.DepthwiseConv2D;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.layers.ReLU;
import dev.cnnspark.worker.layers.ZeroPadding;

/**
 * MobileNet v1 without its classifier ({@code keras.applications.MobileNet(include_top=False)}), layer for layer
 * with Keras' names, so Keras' ImageNet weights load by name where a user has them: {@code conv1_pad}, {@code conv1}
 * (3x3 stride 2, no bias), {@code conv1_bn}, {@code conv1_relu} (ReLU 6), then 13 depthwise-separable blocks
 * ({@code conv_pad_i} before a strided one, {@code conv_dw_i}, {@code conv_dw_i_bn}, {@code conv_dw_i_relu},
 * {@code conv_pw_i}, {@code conv_pw_i_bn}, {@code conv_pw_i_relu}). At alpha 1: 3,228,864 parameters of which
 * 21,888 are BatchNorm moving statistics, as Keras' summary says; 160x160 inputs give 5x5x1024 features.
 */
public final class MobileNet {
  private static final int[][] BLOCKS = {{64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1},
      {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1}};

  private MobileNet() {
  }

  public static Sequential v1(double alpha, Shape input) {
    if (!(alpha > 0) || alpha > 4) {
      throw new IllegalArgumentException("mobilenet_v1 alpha must be in (0, 4], got " + alpha);
    }
    if (input.rank() != 3 || input.dim(0) < 32 || input.dim(1) < 32) {
      throw new IllegalArgumentException("mobilenet_v1 needs an input of at least 32x32 pixels (height, width, "
          + "channels), got " + input);
    }
    Sequential m = new Sequential("mobilenet_" + alpha + "_" + input.dim(0));
    m.add(named(new ZeroPadding("ZeroPadding2D", new int[] {0, 1, 0, 1}, input), "conv1_pad"));
    m.add(named(new Conv2D(filters(32, alpha), 3, 3, 2, 2, Padding.VALID, ActivationFn.LINEAR, false, null),
        "conv1"));
    m.add(named(new BatchNormalization(), "conv1_bn"));
    m.add(named(new ReLU(6.0, 0, false, null), "conv1_relu"));
    for (int b = 0; b < BLOCKS.length; b++) {
      int id = b + 1;
      boolean strided = BLOCKS[b][1] == 2;
      if (strided) {
        m.add(named(new ZeroPadding("ZeroPadding2D", new int[] {0, 1, 0, 1}, null), "conv_pad_" + id));
      }
      int s = BLOCKS[b][1];
      m.add(named(new DepthwiseConv2D(3, 3, s, s, strided ? Padding.VALID : Padding.SAME, 1, ActivationFn.LINEAR,
          false, null), "conv_dw_" + id));
      m.add(named(new BatchNormalization(), "conv_dw_" + id + "_bn"));
      m.add(named(new ReLU(6.0, 0, false, null), "conv_dw_" + id + "_relu"));
      m.add(named(new Conv2D(filters(BLOCKS[b][0], alpha), 1, 1, 1, 1, Padding.SAME, ActivationFn.LINEAR, false,
          null), "conv_pw_" + id));
      m.add(named(new BatchNormalization(), "conv_pw_" + id + "_bn"));
      m.add(named(new ReLU(6.0, 0, false, null), "conv_pw_" + id + "_relu"));
    }
    return m;
  }

  private static int filters(int n, double alpha) {
    return (int) (n * alpha);
  }

  private static Layer named(Layer l, String name) {
    l.setName(name);
    return l;
  }
}
