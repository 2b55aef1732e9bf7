package dev.cnnspark.worker.data;

import dev.cnnspark.worker.Shape;

/**
 * Examples a trainer reads one row at a time: a {@link Dataset} in memory, or a shard kept on an executor's local
 * disk when the training set is larger than the executors' memory. Rows are numbered from 0 in a fixed order.
 */
public interface Rows {
  int count();

  Shape shape();

  int labelWidth();

  /** Copies example {@code index}'s input ({@code shape().size()} floats) to {@code dst[off ..]}. */
  void copyX(int index, float[] dst, int off);

  /** Copies example {@code index}'s label row ({@code labelWidth()} floats) to {@code dst[off ..]}. */
  void copyY(int index, float[] dst, int off);
}
