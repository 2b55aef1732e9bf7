package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import java.io.Serializable;

/**
 * Integer sequences for text models (the IMDB notebook), Keras' {@code pad_sequences} semantics: each row of token
 * ids is cut or padded to {@code maxlen} ({@code truncating: pre} drops from the start and keeps the last
 * {@code maxlen}, {@code post} keeps the first; {@code padding: pre} puts {@code value} before the ids, {@code post}
 * after), and with {@code num_words} every id at or above it becomes {@code oov} (what {@code imdb.load_data(
 * num_words=...)} does with its out-of-vocabulary id 2). Ids travel as float32, which holds integers exactly only
 * below 2^24: a larger id, a negative or fractional one is refused with its row named.
 *
 * @param maxlen the length every row becomes; 0: sequences off
 */
record Sequences(int maxlen, boolean padPre, boolean truncatePre, double value, int numWords, int oov)
    implements Serializable {
  static final double EXACT = 1 << 24;
  static final Sequences OFF = new Sequences(0, true, true, 0, 0, 2);

  boolean on() {
    return maxlen > 0;
  }

  /** One row of ids, checked, mapped and cut or padded to {@code maxlen}. */
  double[] apply(double[] ids, String file, String record) {
    double[] out = new double[maxlen];
    java.util.Arrays.fill(out, value);
    int n = Math.min(ids.length, maxlen);
    int from = truncatePre ? ids.length - n : 0;
    int to = padPre ? maxlen - n : 0;
    for (int i = 0; i < n; i++) {
      double id = ids[from + i];
      if (id != Math.rint(id) || id < 0) {
        throw new DataFormatException(file, record + ": token " + (from + i) + " is " + id + ", not a token id");
      }
      if (id >= EXACT) {
        throw new DataFormatException(file, record + ": token id " + (long) id + " is 2^24 or more, which float32 "
            + "cannot hold exactly: cut the vocabulary with data.sequence.num_words");
      }
      out[to + i] = numWords > 0 && id >= numWords ? oov : id;
    }
    return out;
  }
}
