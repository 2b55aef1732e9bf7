package dev.cnnspark.kernels.embedding;

import dev.cnnspark.kernels.cpu.CpuContext;
import java.util.Arrays;

/**
 * CPU embedding: the lookup copies one table row per token (tokens split over threads); the gradient adds each
 * token's row of dy into its table row, the embedding dimensions split over threads so no two threads touch one
 * element and the tokens are summed in order (the same bits with any thread count). Reference:
 * {@link EmbeddingReference}.
 */
public final class EmbeddingCpu {
  private EmbeddingCpu() {
  }

  public static void forward(CpuContext ctx, int tokens, int vocab, int dim, float[] x, int xOff, float[] table,
                             int tableOff, float[] y, int yOff) {
    ctx.parallel().forRange(tokens, 64, (chunk, from, to) -> {
      for (int t = from; t < to; t++) {
        int idx = (int) x[xOff + t];
        if (idx >= 0 && idx < vocab) {
          System.arraycopy(table, tableOff + idx * dim, y, yOff + t * dim, dim);
        } else {
          Arrays.fill(y, yOff + t * dim, yOff + (t + 1) * dim, 0f);
        }
      }
    });
  }

  public static void backward(CpuContext ctx, int tokens, int vocab, int dim, float[] x, int xOff, float[] dy,
                              int dyOff, float[] dTable, int dTableOff) {
    ctx.parallel().forRange(dim, 8, (chunk, from, to) -> {
      for (int t = 0; t < tokens; t++) {
        int idx = (int) x[xOff + t];
        if (idx < 0 || idx >= vocab) {
          continue;
        }
        int row = dTableOff + idx * dim;
        int src = dyOff + t * dim;
        for (int d = from; d < to; d++) {
          dTable[row + d] += dy[src + d];
        }
      }
    });
  }
}
