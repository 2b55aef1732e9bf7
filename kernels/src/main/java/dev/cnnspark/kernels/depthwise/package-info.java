/** Depthwise 2-D convolution (Keras' DepthwiseConv2D, and the first half of SeparableConv2D): kernels, reference, CPU. */
package dev.cnnspark.kernels.depthwise;
