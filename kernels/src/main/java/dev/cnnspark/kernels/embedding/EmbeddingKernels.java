package dev.cnnspark.kernels.embedding;

import dev.cnnspark.kernels.globalpool.GlobalPoolKernels;

/**
 * OpenCL kernels of the embedding lookup (indices in WORK at xOff, table in PARAMS at wOff, output WORK yOff);
 * reference: {@link EmbeddingReference}. The forward pass is one work item per output element. The gradient is a
 * scatter-add that repeated tokens would race on; instead one work item per embedding dimension walks all tokens in
 * order (GRADS at dwOff, dy at dyOff): no atomics, the same sum on every run, and parallel over the dimension
 * (128 for the IMDB model), which is enough for a layer this light.
 */
public abstract class EmbeddingKernels extends GlobalPoolKernels {
  public int vocab;
  public int embedDim;

  protected final void embeddingForward(int gid) {
    if (gid < total) {
      int t = gid / embedDim;
      int d = gid % embedDim;
      int idx = (int) work[xOff + t];
      float v = 0f;
      if (idx >= 0 && idx < vocab) {
        v = params[wOff + idx * embedDim + d];
      }
      work[yOff + gid] = v;
    }
  }

  /** total = embedDim; rows = tokens. */
  protected final void embeddingBackward(int gid) {
    if (gid < total) {
      for (int t = 0; t < rows; t++) {
        int idx = (int) work[xOff + t];
        if (idx >= 0 && idx < vocab) {
          grads[dwOff + idx * embedDim + gid] += work[dyOff + t * embedDim + gid];
        }
      }
    }
  }
}
