package dev.cnnspark.driver.spark;

import dev.cnnspark.driver.spec.JobSpec;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark configuration of a training job. Under {@code spark-submit} the master and resources come from there
 * (anything already set wins); from the local launcher the spec's {@code spark.master} applies, and a local master
 * binds the driver to 127.0.0.1.
 */
public final class SparkSetup {
  private SparkSetup() {
  }

  public static SparkConf conf(JobSpec spec) {
    SparkConf conf = new SparkConf(true);
    conf.setIfMissing("spark.master", spec.sparkMaster());
    conf.setIfMissing("spark.app.name", "cnnspark " + spec.name());
    conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.set("spark.kryo.registrationRequired", "true");
    conf.set("spark.kryo.registrator", KryoSetup.class.getName());
    conf.setIfMissing("spark.kryoserializer.buffer.max", "1g");
    conf.setIfMissing("spark.kryo.unsafe", "true");
    // float arrays do not compress: LZ4 over a round's broadcast only costs time
    conf.setIfMissing("spark.broadcast.compress", "false");
    // a worker's round result (its state, ~4 floats per parameter) goes back inside the status message instead of
    // through the block manager (limit: spark.rpc.message.maxSize, 128 MiB by default)
    conf.setIfMissing("spark.task.maxDirectResultSize", "120m");
    conf.setIfMissing("spark.driver.maxResultSize", "4g");
    // our Keras-style progress line replaces Spark's console progress bar
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    for (Map.Entry<String, String> e : spec.sparkConf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    return conf;
  }

  public static JavaSparkContext context(JobSpec spec) {
    return new JavaSparkContext(conf(spec));
  }
}
