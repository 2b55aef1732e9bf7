package dev.cnnspark.kernels.opencl;

import dev.cnnspark.kernels.depthwise.DepthwiseKernels;

/**
 * The one Aparapi kernel: {@link #run()} dispatches on {@link #op} to the op families it inherits (see
 * {@link KernelArgs} for why it is built this way). The branch is uniform across a launch, so it costs nothing on
 * a GPU beyond the kernel's size.
 */
public final class DeviceKernel extends DepthwiseKernels {

  @Override
  public void run() {
    int gid = getGlobalId();
    if (op == OP_CONV_FORWARD) {
      conv2dForward(gid);
    } else if (op == OP_CONV_BACKWARD_DATA) {
      conv2dBackwardData(gid);
    } else if (op == OP_CONV_BACKWARD_FILTER_PARTIAL) {
      conv2dBackwardFilterPartial(gid);
    } else if (op == OP_BIAS_GRAD_PARTIAL) {
      biasGradPartial(gid);
    } else if (op == OP_ADD_SPLITS) {
      addSplits(gid);
    } else if (op == OP_TILED_PRODUCT) {
      tiledProduct();
    } else if (op == OP_NARROW_TILED_PRODUCT) {
      narrowTiledProduct();
    } else if (op == OP_TILED_FINISH) {
      tiledFinish(gid);
    } else if (op == OP_DENSE_FORWARD) {
      denseForward(gid);
    } else if (op == OP_DENSE_BACKWARD_DATA) {
      denseBackwardData(gid);
    } else if (op == OP_DENSE_BACKWARD_FILTER) {
      denseBackwardFilter(gid);
    } else if (op == OP_ACTIVATION_FORWARD) {
      activationForward(gid);
    } else if (op == OP_ACTIVATION_BACKWARD) {
      activationBackward(gid);
    } else if (op == OP_SOFTMAX_FORWARD) {
      softmaxForward(gid);
    } else if (op == OP_SOFTMAX_BACKWARD) {
      softmaxBackward(gid);
    } else if (op == OP_MAX_POOL_FORWARD) {
      maxPoolForward(gid);
    } else if (op == OP_MAX_POOL_BACKWARD) {
      maxPoolBackward(gid);
    } else if (op == OP_AVG_POOL_FORWARD) {
      avgPoolForward(gid);
    } else if (op == OP_AVG_POOL_BACKWARD) {
      avgPoolBackward(gid);
    } else if (op == OP_DROPOUT) {
      dropoutOp(gid);
    } else if (op == OP_BN_STATS) {
      batchNormStats(gid);
    } else if (op == OP_BN_MOVING_STATS) {
      batchNormMovingStats(gid);
    } else if (op == OP_BN_APPLY) {
      batchNormApply(gid);
    } else if (op == OP_BN_BACKWARD_REDUCE) {
      batchNormBackwardReduce(gid);
    } else if (op == OP_BN_BACKWARD_DATA) {
      batchNormBackwardData(gid);
    } else if (op == OP_LOSS) {
      lossOp(gid);
    } else if (op == OP_ACCUMULATE_METRICS) {
      accumulateMetrics(gid);
    } else if (op == OP_OPTIMIZER) {
      optimizerStep(gid);
    } else if (op == OP_FILL) {
      fillOp(gid);
    } else if (op == OP_COPY) {
      copyOp(gid);
    } else if (op == OP_RELU_FORWARD) {
      reluForward(gid);
    } else if (op == OP_RELU_BACKWARD) {
      reluBackward(gid);
    } else if (op == OP_BN_BACKWARD_INFERENCE) {
      batchNormBackwardInference(gid);
    } else if (op == OP_PAD_FORWARD) {
      padForward(gid);
    } else if (op == OP_PAD_BACKWARD) {
      padBackward(gid);
    } else if (op == OP_GLOBAL_POOL_FORWARD) {
      globalPoolForward(gid);
    } else if (op == OP_GLOBAL_POOL_BACKWARD) {
      globalPoolBackward(gid);
    } else if (op == OP_EMBEDDING_FORWARD) {
      embeddingForward(gid);
    } else if (op == OP_EMBEDDING_BACKWARD) {
      embeddingBackward(gid);
    } else if (op == OP_DEPTHWISE_FORWARD) {
      depthwiseForward(gid);
    } else if (op == OP_DEPTHWISE_BACKWARD_DATA) {
      depthwiseBackwardData(gid);
    } else if (op == OP_DEPTHWISE_BACKWARD_FILTER) {
      depthwiseBackwardFilter(gid);
    }
  }
}
