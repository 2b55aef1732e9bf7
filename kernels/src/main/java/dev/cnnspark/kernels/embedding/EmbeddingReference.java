package dev.cnnspark.kernels.embedding;

/**
 * Plain-Java reference of the embedding lookup: indices are floats holding integers (the input arena is float);
 * {@code y[t, :] = table[idx_t, :]}, an index outside {@code [0, vocab)} gives a zero row (the model refuses such
 * inputs before they reach a backend); backward {@code dtable[idx_t, :] += dy[t, :]}, summed over t in order.
 */
public final class EmbeddingReference {
  private EmbeddingReference() {
  }

  public static void forward(int tokens, int vocab, int dim, float[] x, int xOff, float[] table, int tableOff,
                             float[] y, int yOff) {
    for (int t = 0; t < tokens; t++) {
      int idx = (int) x[xOff + t];
      for (int d = 0; d < dim; d++) {
        y[yOff + t * dim + d] = idx >= 0 && idx < vocab ? table[tableOff + idx * dim + d] : 0f;
      }
    }
  }

  public static void backward(int tokens, int vocab, int dim, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dTable, int dTableOff) {
    java.util.Map<Integer, double[]> sums = new java.util.TreeMap<>();
    for (int t = 0; t < tokens; t++) {
      int idx = (int) x[xOff + t];
      if (idx < 0 || idx >= vocab) {
        continue;
      }
      double[] row = sums.computeIfAbsent(idx, k -> new double[dim]);
      for (int d = 0; d < dim; d++) {
        row[d] += dy[dyOff + t * dim + d];
      }
    }
    sums.forEach((idx, row) -> {
      for (int d = 0; d < dim; d++) {
        dTable[dTableOff + idx * dim + d] += (float) row[d];
      }
    });
  }
}
