/** Global max and average pooling over the spatial positions of NHWC data (1-D and 2-D): kernels, reference, CPU. */
package dev.cnnspark.kernels.globalpool;
