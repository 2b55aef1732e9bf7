package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.Consumer;
import org.apache.spark.SparkEnv;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * Slices of a model state kept in Spark's block managers, for sharded aggregation ({@link ShardedAggregation}): the
 * state's four arrays (parameters, moving statistics, two optimizer slots) are each cut into {@code n} contiguous
 * ranges; slice {@code s} holds range {@code s} of every array. A slice is stored as raw little-endian floats
 * ({@code putBytes}, memory then disk, never replicated) and read either from this JVM's block manager or straight
 * from the executor that holds it ({@code fetchBlockSync} on its host and port, which the writer reported): no
 * block-location lookup goes through the driver, so a round costs the driver no RPC per block.
 *
 * <p>Names: {@code test_cnnspark-<run>-<kind>-<round>-<a>-<b>} (Spark parses block names it receives; the
 * {@code test_} prefix is the only one it accepts for blocks of an application's own, the way BigDL keeps its
 * parameter slices). Spark-internal API, public in the bytecode: {@code SparkEnv.blockManager()}, as
 * {@link CachedResults} uses it.
 */
public final class SliceBlocks {
  private SliceBlocks() {
  }

  /** Where a block lives: the block manager that wrote it (executor id, host, port), as one string. */
  public static String here() {
    BlockManagerId id = SparkEnv.get().blockManager().blockManagerId();
    return id.executorId() + "|" + id.host() + "|" + id.port();
  }

  /** The block of a worker's slice ({@code part}), an averaged slice ({@code avg}) or a momentum slice. */
  public static String name(String run, String kind, long round, int a, int b) {
    return "cnnspark-" + run + "-" + kind + "-" + round + "-" + a + "-" + b;
  }

  /** Range {@code s} of {@code n} over {@code length} elements: [from, to). */
  static int from(int length, int s, int n) {
    return (int) ((long) length * s / n);
  }

  /** A state's four arrays: parameters, moving statistics, the two optimizer slots. */
  static float[][] parts(ModelState state) {
    return new float[][] {state.params(), state.moving(), state.opt1(), state.opt2()};
  }

  /** The slice {@code s} of {@code n} of a state's four arrays, one buffer (lengths first). */
  static ByteBuffer encode(ModelState state, int s, int n) {
    return encode(parts(state), s, n);
  }

  /** Range {@code s} of {@code n} of each array, copied. */
  static float[][] slice(float[][] parts, int s, int n) {
    float[][] out = new float[parts.length][];
    for (int k = 0; k < parts.length; k++) {
      out[k] = java.util.Arrays.copyOfRange(parts[k], from(parts[k].length, s, n), from(parts[k].length, s + 1, n));
    }
    return out;
  }

  static ByteBuffer encode(float[][] parts, int s, int n) {
    int floats = 0;
    for (float[] p : parts) {
      floats += from(p.length, s + 1, n) - from(p.length, s, n);
    }
    ByteBuffer bytes = ByteBuffer.allocate(4 * parts.length + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] p : parts) {
      bytes.putInt(from(p.length, s + 1, n) - from(p.length, s, n));
    }
    FloatBuffer f = bytes.asFloatBuffer();
    for (float[] p : parts) {
      int a = from(p.length, s, n);
      f.put(p, a, from(p.length, s + 1, n) - a);
    }
    bytes.rewind();
    return bytes;
  }

  /** Slice {@code s} of {@code n}, encoded, read straight into its range of each of the whole arrays. */
  static void decodeInto(ByteBuffer bytes, float[][] whole, int s, int n) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int[] lengths = new int[whole.length];
    for (int k = 0; k < whole.length; k++) {
      lengths[k] = b.getInt();
      int expected = from(whole[k].length, s + 1, n) - from(whole[k].length, s, n);
      if (lengths[k] != expected) {
        throw new IllegalStateException("slice " + s + " of " + n + ": array " + k + " holds " + lengths[k]
            + " floats, not " + expected);
      }
    }
    FloatBuffer f = b.asFloatBuffer();
    for (int k = 0; k < whole.length; k++) {
      f.get(whole[k], from(whole[k].length, s, n), lengths[k]);
    }
  }

  /** The arrays of an encoded slice ({@code count} of them). */
  static float[][] decode(ByteBuffer bytes, int count) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      lengths[i] = b.getInt();
    }
    FloatBuffer f = b.asFloatBuffer();
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      out[i] = new float[lengths[i]];
      f.get(out[i]);
    }
    return out;
  }

  /**
   * Held while this JVM removes slice blocks. Spark's {@code BlockManager.removeBlock} is not safe for two threads
   * removing the same block: the second waits for the first's write lock, is granted it on the block the first has
   * just unregistered, and then fails ("Block ... does not exist"), as does the end of its task (seen in CI, failing
   * a sharded run); or removers wait for each other for ever ({@code SliceBlocksTest} hangs without this lock).
   * Tasks of one executor (and every task in local mode) share a block manager and clear the same finished rounds,
   * so every removal of ours goes through this lock, and none is left to the block manager master.
   */
  private static final Object REMOVING = new Object();

  /** Stores a block in this JVM's block manager (replacing one of the same name); the master learns of it. */
  static void put(String name, ByteBuffer bytes) {
    BlockManager bm = SparkEnv.get().blockManager();
    BlockId id = TestBlockId.apply(name);
    synchronized (REMOVING) {
      bm.removeBlock(id, false);
    }
    if (!bm.putBytes(id, new ChunkedByteBuffer(bytes), StorageLevel.MEMORY_AND_DISK_SER(), true,
        ClassTag$.MODULE$.apply(byte[].class))) {
      throw new IllegalStateException("the block manager refused block " + name + " (" + bytes.remaining()
          + " bytes)");
    }
  }

  /**
   * Reads a block from {@code location} (see {@link #here}): this JVM's block manager when it is this one, else the
   * holder's block-transfer service directly.
   *
   * @throws LostSliceException when the block is not there (its executor was lost)
   */
  static ByteBuffer get(String name, String location) {
    BlockManager bm = SparkEnv.get().blockManager();
    BlockId id = TestBlockId.apply(name);
    String[] at = location.split("\\|");
    if (at[0].equals(bm.blockManagerId().executorId())) {
      Option<BlockData> local = bm.getLocalBytes(id);
      if (local.isEmpty()) {
        throw new LostSliceException("block " + name + " is not in this executor's block manager");
      }
      try {
        return copyOf(local.get().toByteBuffer());
      } finally {
        bm.releaseLockAndDispose(id, local.get(), Option.empty());
      }
    }
    try {
      ManagedBuffer remote = bm.blockTransferService().fetchBlockSync(at[1], Integer.parseInt(at[2]), at[0], id.name(),
          null);
      try {
        return copyOf(remote.nioByteBuffer());
      } finally {
        remote.release();
      }
    } catch (Exception e) {
      throw new LostSliceException("block " + name + " could not be fetched from executor " + at[0] + " on " + at[1]
          + ":" + at[2] + " (" + e + ")", e);
    }
  }

  /** The buffer's remaining bytes in a heap buffer of our own (the block's may be released or disposed after). */
  private static ByteBuffer copyOf(ByteBuffer src) {
    ByteBuffer copy = ByteBuffer.allocate(src.remaining());
    copy.put(src.duplicate()).flip();
    return copy;
  }

  /** Removes this JVM's blocks of a run whose names pass {@code which} (their rounds are over). */
  static int removeLocal(String run, java.util.function.Predicate<String> which, Consumer<String> log) {
    String prefix = "test_cnnspark-" + run + "-";
    int removed = remove(name -> name.startsWith(prefix) && which.test(name.substring(prefix.length())));
    if (removed > 0 && log != null) {
      log.accept("removed " + removed + " finished slice blocks of run " + run);
    }
    return removed;
  }

  /** Removes every slice block this JVM holds, of every run, as the loss of its executor would (tests use it). */
  public static int removeAllLocal() {
    return remove(name -> name.startsWith("test_cnnspark-"));
  }

  private static int remove(java.util.function.Predicate<String> which) {
    BlockManager bm = SparkEnv.get().blockManager();
    int removed = 0;
    synchronized (REMOVING) {
      scala.collection.immutable.Seq<BlockId> ids = bm.getMatchingBlockIds(id -> which.test(id.name()));
      for (scala.collection.Iterator<BlockId> it = ids.iterator(); it.hasNext(); ) {
        bm.removeBlock(it.next(), true);
        removed++;
      }
    }
    return removed;
  }

  /** A slice block that is gone: its executor was lost, so the round must be replayed from a checkpoint. */
  public static final class LostSliceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LostSliceException(String message) {
      super(message);
    }

    LostSliceException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
