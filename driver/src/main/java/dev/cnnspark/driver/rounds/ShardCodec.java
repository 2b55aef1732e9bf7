package dev.cnnspark.driver.rounds;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.cnnspark.worker.model.ModelState;

/** Bulk Kryo encoding of the array-heavy round classes (used by {@code spark.KryoSetup}). */
public final class ShardCodec {
  private ShardCodec() {
  }

  private static void floats(Output out, float[] a) {
    out.writeInt(a.length, true);
    out.writeFloats(a);
  }

  private static float[] floats(Input in) {
    return in.readFloats(in.readInt(true));
  }

  public static void write(Output out, Shard s) {
    out.writeInt(s.partition, true);
    out.writeInt(s.shape.length, true);
    out.writeInts(s.shape, true);
    out.writeInt(s.labelWidth, true);
    out.writeInt(s.count, true);
    out.writeBoolean(s.onDisk());
    if (s.onDisk()) {
      out.writeString(s.file);
      out.writeInt(s.recipe.length, true);
      out.writeBytes(s.recipe);
      out.writeBoolean(s.rows != null);
      if (s.rows != null) {
        out.writeInt(s.rows.length, true);
        out.writeInts(s.rows, true);
      }
    } else {
      floats(out, s.x);
      floats(out, s.y);
    }
  }

  public static Shard read(Input in) {
    int partition = in.readInt(true);
    int[] shape = in.readInts(in.readInt(true), true);
    int labelWidth = in.readInt(true);
    int count = in.readInt(true);
    if (in.readBoolean()) {
      String file = in.readString();
      byte[] recipe = in.readBytes(in.readInt(true));
      int[] rows = in.readBoolean() ? in.readInts(in.readInt(true), true) : null;
      return Shard.onDisk(partition, shape, labelWidth, count, file, recipe, rows);
    }
    return new Shard(partition, shape, labelWidth, count, floats(in), floats(in));
  }

  public static void writeState(Output out, ModelState s) {
    floats(out, s.params());
    floats(out, s.moving());
    floats(out, s.opt1());
    floats(out, s.opt2());
    out.writeLong(s.iterations());
  }

  public static ModelState readState(Input in) {
    return new ModelState(floats(in), floats(in), floats(in), floats(in), in.readLong());
  }
}
