package dev.cnnspark.driver.spark;

import dev.cnnspark.driver.spec.JobSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
    // peak heap per executor, reported at the end of a run (HeapPeaks): sampled, not only at heartbeats
    conf.setIfMissing("spark.executor.metrics.pollingInterval", "500ms");
    // our Keras-style progress line replaces Spark's console progress bar
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    if (spec.reportFlag("spark_event_log")) {
      // the history server reads <run dir>/spark-events (spark.history.fs.logDirectory)
      conf.setIfMissing("spark.eventLog.enabled", "true");
      conf.setIfMissing("spark.eventLog.dir", eventLogDir(spec));
    }
    for (Map.Entry<String, String> e : spec.sparkConf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    return conf;
  }

  /** {@code <run dir>/spark-events}, as a URI string. */
  static String eventLogDir(JobSpec spec) {
    return new org.apache.hadoop.fs.Path(dev.cnnspark.driver.storage.Locations.toUri(spec.reportDir()).toString(),
        "spark-events").toUri().toString();
  }

  /** Spark refuses to start when the event log directory does not exist: it is created first. */
  private static void createEventLogDir(SparkConf conf) {
    if (!conf.getBoolean("spark.eventLog.enabled", false)) {
      return;
    }
    String dir = conf.get("spark.eventLog.dir", "");
    try {
      java.net.URI uri = dev.cnnspark.driver.storage.Locations.toUri(dir);
      org.apache.hadoop.fs.FileSystem.get(uri, new org.apache.hadoop.conf.Configuration())
          .mkdirs(new org.apache.hadoop.fs.Path(uri));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new dev.cnnspark.driver.storage.StorageException("report.spark_event_log: cannot create the event log "
          + "directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A context for the job, waiting up to 30 s for a standalone master. */
  public static JavaSparkContext context(JobSpec spec) {
    return context(spec, 30_000);
  }

  /** A context for the job; a standalone master that does not answer within {@code waitMs} is refused first. */
  public static JavaSparkContext context(JobSpec spec, long waitMs) {
    SparkConf conf = conf(spec);
    checkReachable(conf.get("spark.master"), waitMs);
    createEventLogDir(conf);
    return new JavaSparkContext(conf);
  }

  /**
   * For {@code spark://host:port[,host:port...]}: waits until one master accepts a TCP connection, else throws
   * {@link MasterUnreachableException} naming the URL (Spark itself retries for about a minute and then fails with
   * "Cannot call methods on a stopped SparkContext"). Other masters are left to Spark.
   */
  static void checkReachable(String master, long waitMs) {
    if (!master.startsWith("spark://")) {
      return;
    }
    long deadline = System.currentTimeMillis() + Math.max(0, waitMs);
    String last = "";
    do {
      for (String hostPort : master.substring("spark://".length()).split(",")) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(host, port), 2000);
          return;
        } catch (IOException e) {
          last = hostPort + ": " + e.getMessage();
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.currentTimeMillis() < deadline);
    throw new MasterUnreachableException("the Spark master " + master + " cannot be reached (" + last + ", waited "
        + waitMs / 1000 + " s, --wait): check that the master runs and the URL's host and port");
  }
}
