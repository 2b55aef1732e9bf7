package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.Dataset;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * One data format: the seam every command reads data through ({@link DataSources#resolve} picks the source from the
 * spec's {@code data} section). On the driver a source answers metadata only ({@link #describe}: counts, the shape
 * of one example, the classes), reading headers, listings or schemas rather than the examples; on an executor it
 * decodes just the examples of one shard ({@link #read}). Sources are serializable values (locations and options),
 * so a shard's lineage is "this source, these indices": a lost partition is decoded again, identically, anywhere.
 *
 * <p>Examples are numbered per {@link Part} in the source's own stable order (file order, row order, sorted
 * listing); a part's first {@code limit} examples are the ones a {@code train_limit}/{@code test_limit} keeps.
 * Inputs come out as float32 NHWC, labels one-hot over the classes (one 0/1 column for {@code label_mode: binary}).
 */
public interface DataSource extends Serializable {
  /** The source's parts: what it trains on, and the held-out set it may have. */
  enum Part { TRAIN, TEST }

  /** The spec's {@code data.type} of this source, for messages. */
  String type();

  /** Where the data is, for messages and the run's fingerprint. */
  String location();

  /** Counts, example shape and classes, without decoding the examples where the format allows. */
  DataInfo describe(Configuration conf) throws IOException;

  /**
   * Decodes the examples {@code indices} (ascending, each below the part's count) of a part, in that order, as
   * {@code info} (this source's {@link #describe}) has them. A bad record (unreadable, wrong size, non-finite, a
   * label outside the classes) ends in a {@link dev.cnnspark.worker.data.DataFormatException} that names the file
   * and the record, or, with {@code mode.skipBad()}, is left out and logged (the result then holds fewer examples).
   */
  Dataset read(Part part, int[] indices, DataInfo info, ReadMode mode, Configuration conf) throws IOException;

  /**
   * A name for each of a part's examples {@code indices}, for prediction output: the file of an image-folder example,
   * else {@code <part>:<index>} (the example's position in the part, in the source's order).
   */
  default java.util.List<String> ids(Part part, int[] indices, DataInfo info, Configuration conf) throws IOException {
    java.util.List<String> out = new java.util.ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(part.name().toLowerCase(java.util.Locale.ROOT) + ":" + i);
    }
    return out;
  }

  /** Receives decoded examples a chunk at a time. */
  @FunctionalInterface
  interface Sink {
    void accept(Dataset chunk) throws IOException;
  }

  /**
   * How to read: with {@code skipBad} a bad record is left out instead of failing; with a {@code sink} the examples
   * go to it {@code chunk} at a time, in one pass over the source, and {@code read} returns no examples (a shard
   * larger than the heap, on its way to disk).
   */
  record ReadMode(boolean skipBad, int chunk, Sink sink) {
    public static final ReadMode FAIL = new ReadMode(false, 0, null);

    public static ReadMode of(boolean skipBad) {
      return new ReadMode(skipBad, 0, null);
    }
  }

  /**
   * The class of each of a part's first {@code count} examples (for a stratified validation split, on the driver).
   * This default decodes the examples; sources whose labels sit apart from their inputs read only those.
   */
  default int[] labels(Part part, int count, DataInfo info, Configuration conf) throws IOException {
    int[] all = new int[count];
    for (int i = 0; i < count; i++) {
      all[i] = i;
    }
    Dataset d = read(part, all, info, ReadMode.FAIL, conf);
    int w = d.labelWidth();
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      if (w == 1) {
        out[i] = d.y()[i] >= 0.5f ? 1 : 0;
      } else {
        for (int c = 0; c < w; c++) {
          if (d.y()[i * w + c] == 1f) {
            out[i] = c;
          }
        }
      }
    }
    return out;
  }
}
