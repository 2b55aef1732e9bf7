package dev.cnnspark.driver.report;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Syncable;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;

/**
 * TensorBoard event files as Keras' TensorBoard callback lays them out: {@code tensorboard/train/} and
 * {@code tensorboard/validation/}, each an {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>} file of TFRecord-framed
 * {@link Event}s (TensorFlow's generated classes) that starts with the {@code brain.Event:2} version record. Scalars
 * are {@code simple_value}s, weight distributions {@code histo}s; a resumed run starts new files beside the old ones,
 * as Keras does.
 */
final class TensorBoardLog implements Closeable {
  static final String DIR = "tensorboard";
  private static final int BUCKETS = 30;
  private final RunDirectory dir;
  private final String suffix;
  /** Tells apart two logs a process opens in the same second (TensorFlow's names add the pid and a counter too). */
  private static final AtomicInteger OPENED = new AtomicInteger();
  private final Map<String, OutputStream> files = new LinkedHashMap<>();

  TensorBoardLog(RunDirectory dir, long startMillis, String host) {
    this.dir = dir;
    this.suffix = (startMillis / 1000) + "." + host + "." + ProcessHandle.current().pid() + "."
        + OPENED.getAndIncrement();
  }

  /** The event file's name for a run ({@code train}, {@code validation}), relative to the run directory. */
  String fileName(String run) {
    return DIR + "/" + run + "/events.out.tfevents." + suffix;
  }

  void scalar(String run, String tag, long step, double value) throws IOException {
    write(run, step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value).build());
  }

  /** A distribution of {@code values[off, off + len)} in {@value #BUCKETS} equal buckets between its extremes. */
  void histogram(String run, String tag, long step, float[] values, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double sumSquares = 0;
    for (int i = off; i < off + len; i++) {
      double v = values[i];
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sumSquares += v * v;
    }
    double width = max > min ? (max - min) / BUCKETS : 1;
    double[] counts = new double[BUCKETS];
    for (int i = off; i < off + len; i++) {
      counts[Math.min(BUCKETS - 1, (int) ((values[i] - min) / width))]++;
    }
    HistogramProto.Builder h = HistogramProto.newBuilder().setMin(min).setMax(max).setNum(len).setSum(sum)
        .setSumSquares(sumSquares);
    for (int b = 0; b < BUCKETS; b++) {
      h.addBucketLimit(b == BUCKETS - 1 ? max : min + (b + 1) * width).addBucket(counts[b]);
    }
    write(run, step, Summary.Value.newBuilder().setTag(tag).setHisto(h).build());
  }

  private void write(String run, long step, Summary.Value value) throws IOException {
    Event e = Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(step)
        .setSummary(Summary.newBuilder().addValue(value)).build();
    TfRecords.write(file(run), e.toByteArray());
  }

  private OutputStream file(String run) throws IOException {
    OutputStream o = files.get(run);
    if (o == null) {
      o = dir.create(fileName(run));
      Event version = Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0)
          .setFileVersion("brain.Event:2").build();
      TfRecords.write(o, version.toByteArray());
      files.put(run, o);
    }
    return o;
  }

  /** Makes what was written visible to TensorBoard (Hadoop's hflush where the stream has it). */
  void flush() throws IOException {
    for (OutputStream o : files.values()) {
      o.flush();
      if (o instanceof Syncable s) {
        s.hflush();
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (OutputStream o : files.values()) {
      try {
        o.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    files.clear();
    if (first != null) {
      throw first;
    }
  }
}
