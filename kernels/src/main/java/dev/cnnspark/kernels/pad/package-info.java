/** Zero padding and cropping of NHWC images (Keras' ZeroPadding1D/2D, Cropping1D/2D): kernels, reference, CPU path. */
package dev.cnnspark.kernels.pad;
