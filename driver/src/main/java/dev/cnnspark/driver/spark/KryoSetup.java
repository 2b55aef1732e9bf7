package dev.cnnspark.driver.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.driver.rounds.RoundResult;
import dev.cnnspark.driver.rounds.Shard;
import dev.cnnspark.driver.rounds.ShardCodec;
import dev.cnnspark.worker.model.ModelState;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers the classes our RDDs, broadcasts and task results carry, for {@code spark.kryo.registrationRequired=true}
 * (an unregistered class then fails loudly instead of writing its name into every record). The array-heavy ones
 * get serializers that write their arrays in bulk.
 */
public final class KryoSetup implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(float[].class);
    kryo.register(double[].class);
    kryo.register(double[][].class);
    kryo.register(long[].class);
    kryo.register(int[].class);
    // a sharded round's averaging tasks return {slice, location, finite}
    kryo.register(String[].class);
    kryo.register(Shard.class, new ShardSerializer());
    kryo.register(ModelState.class, new ModelStateSerializer());
    kryo.register(RoundResult.class);
    kryo.register(ModelState[].class);
    kryo.register(EvalResult.class);
    kryo.register(dev.cnnspark.driver.rounds.FeatureTask.Part.class, new FeaturePartSerializer());
    kryo.register(dev.cnnspark.driver.serve.TrainedModel.class, new TrainedModelSerializer());
    // the driver's Hadoop configuration, broadcast once per job for the executors that read the data
    kryo.register(java.util.HashMap.class);
  }

  /** A trained model (predict, evaluate): its source and config, the weight arrays, the class names. */
  static final class TrainedModelSerializer extends Serializer<dev.cnnspark.driver.serve.TrainedModel> {
    @Override
    public void write(Kryo kryo, Output out, dev.cnnspark.driver.serve.TrainedModel m) {
      out.writeString(m.source());
      out.writeString(m.modelJson());
      out.writeInt(m.params().length);
      out.writeFloats(m.params());
      out.writeInt(m.moving().length);
      out.writeFloats(m.moving());
      out.writeInt(m.classNames().size());
      m.classNames().forEach(out::writeString);
    }

    @Override
    public dev.cnnspark.driver.serve.TrainedModel read(Kryo kryo, Input in,
                                                     Class<dev.cnnspark.driver.serve.TrainedModel> type) {
      String source = in.readString();
      String json = in.readString();
      float[] params = in.readFloats(in.readInt());
      float[] moving = in.readFloats(in.readInt());
      int n = in.readInt();
      java.util.List<String> names = new java.util.ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        names.add(in.readString());
      }
      return new dev.cnnspark.driver.serve.TrainedModel(source, json, params, moving, names);
    }
  }

  /** A shard's features: the count, then the feature and label arrays. */
  static final class FeaturePartSerializer extends Serializer<dev.cnnspark.driver.rounds.FeatureTask.Part> {
    @Override
    public void write(Kryo kryo, Output out, dev.cnnspark.driver.rounds.FeatureTask.Part p) {
      out.writeInt(p.count());
      out.writeInt(p.x().length);
      out.writeFloats(p.x());
      out.writeInt(p.y().length);
      out.writeFloats(p.y());
    }

    @Override
    public dev.cnnspark.driver.rounds.FeatureTask.Part read(Kryo kryo, Input in,
                                                           Class<dev.cnnspark.driver.rounds.FeatureTask.Part> type) {
      int count = in.readInt();
      float[] x = in.readFloats(in.readInt());
      float[] y = in.readFloats(in.readInt());
      return new dev.cnnspark.driver.rounds.FeatureTask.Part(x, y, count);
    }
  }

  /** Shards: geometry, then the example and label arrays. */
  static final class ShardSerializer extends Serializer<Shard> {
    @Override
    public void write(Kryo kryo, Output out, Shard s) {
      ShardCodec.write(out, s);
    }

    @Override
    public Shard read(Kryo kryo, Input in, Class<Shard> type) {
      return ShardCodec.read(in);
    }
  }

  /** Model state (a round's broadcast, a worker's result): four float arrays and the iteration count. */
  static final class ModelStateSerializer extends Serializer<ModelState> {
    @Override
    public void write(Kryo kryo, Output out, ModelState s) {
      ShardCodec.writeState(out, s);
    }

    @Override
    public ModelState read(Kryo kryo, Input in, Class<ModelState> type) {
      return ShardCodec.readState(in);
    }
  }
}
