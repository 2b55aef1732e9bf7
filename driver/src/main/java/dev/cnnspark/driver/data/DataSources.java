package dev.cnnspark.driver.data;

import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.data.MnistFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads datasets through the Hadoop FileSystem API, so a path may be {@code file://}, {@code hdfs://},
 * {@code s3a://} or anything else Hadoop has a connector for on the classpath. An empty path means "find or
 * download MNIST locally" ({@link MnistFiles#locate}).
 */
public final class DataSources {
  private DataSources() {
  }

  /** The directory URI a spec's data path means ({@code ""} resolves to a local copy, downloading if needed). */
  public static URI mnistDirectory(String path, Consumer<String> log) throws IOException {
    if (path == null || path.isBlank()) {
      return MnistFiles.locate(null, log).toAbsolutePath().normalize().toUri();
    }
    return Locations.toUri(path);
  }

  /** MNIST's training and test sets from a directory URI, the first {@code limit} examples of each (0 = all). */
  public static Mnist.Split mnist(URI dir, Configuration conf, int trainLimit, int testLimit) throws IOException {
    Dataset train = read(dir, conf, Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS);
    Dataset test = read(dir, conf, Mnist.TEST_IMAGES, Mnist.TEST_LABELS);
    return new Mnist.Split(trainLimit > 0 ? train.take(trainLimit) : train,
        testLimit > 0 ? test.take(testLimit) : test);
  }

  /** Only MNIST's test set (a holdout), without reading the training files. */
  public static Dataset mnistTest(URI dir, Configuration conf) throws IOException {
    return read(dir, conf, Mnist.TEST_IMAGES, Mnist.TEST_LABELS);
  }

  private static Dataset read(URI dir, Configuration conf, String images, String labels) throws IOException {
    Path base = new Path(dir);
    Path ip = new Path(base, images);
    Path lp = new Path(base, labels);
    FileSystem fs = base.getFileSystem(conf);
    try (InputStream is = open(fs, ip); InputStream ls = open(fs, lp)) {
      return Mnist.read(is, ip.toString(), ls, lp.toString());
    }
  }

  private static InputStream open(FileSystem fs, Path p) throws IOException {
    try {
      return fs.open(p);
    } catch (FileNotFoundException e) {
      throw new DataFormatException(p.toString(), "missing (an MNIST directory holds " + Mnist.TRAIN_IMAGES + ", "
          + Mnist.TRAIN_LABELS + ", " + Mnist.TEST_IMAGES + ", " + Mnist.TEST_LABELS + ")");
    }
  }
}
