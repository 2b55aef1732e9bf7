package dev.cnnspark.kernels.embedding;

import dev.cnnspark.kernels.opencl.DeviceKernel;
import dev.cnnspark.kernels.opencl.KernelArgs;
import dev.cnnspark.kernels.opencl.Launch;

/** Sets the embedding kernels' arguments and launches them. */
public final class EmbeddingLauncher {
  private EmbeddingLauncher() {
  }

  public static void forward(Launch l, int tokens, int vocab, int dim, int xOff, int tableOff, int yOff) {
    DeviceKernel k = l.kernel();
    k.vocab = vocab;
    k.embedDim = dim;
    k.xOff = xOff;
    k.wOff = tableOff;
    k.yOff = yOff;
    l.run(KernelArgs.OP_EMBEDDING_FORWARD, tokens * dim);
  }

  public static void backward(Launch l, int tokens, int vocab, int dim, int xOff, int dyOff, int dTableOff) {
    DeviceKernel k = l.kernel();
    k.vocab = vocab;
    k.embedDim = dim;
    k.rows = tokens;
    k.xOff = xOff;
    k.dyOff = dyOff;
    k.dwOff = dTableOff;
    int slices = slices(vocab, dim, l.parallelItems());
    k.embedSlice = (vocab + slices - 1) / slices;
    l.run(KernelArgs.OP_EMBEDDING_BACKWARD, dim * ((vocab + k.embedSlice - 1) / k.embedSlice));
  }

  /** Vocabulary slices for the gradient: enough that dim x slices items fill the device, at most one per row. */
  static int slices(int vocab, int dim, int parallelItems) {
    return Math.max(1, Math.min(vocab, (parallelItems + dim - 1) / dim));
  }
}
