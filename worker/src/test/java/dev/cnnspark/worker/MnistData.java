package dev.cnnspark.worker;

import dev.cnnspark.worker.data.Mnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** MNIST for tests, read once from the directory the build passes ({@code cnnspark.mnist.dir}). */
public final class MnistData {
  private static Mnist.Split split;

  private MnistData() {
  }

  public static Path dir() {
    return Path.of(System.getProperty("cnnspark.mnist.dir", "../../shared/data/mnist"));
  }

  public static synchronized Mnist.Split get() {
    if (split == null) {
      try {
        split = Mnist.load(dir());
      } catch (IOException e) {
        throw new UncheckedIOException("MNIST not readable at " + dir().toAbsolutePath()
            + " (set -Dcnnspark.mnist.dir)", e);
      }
    }
    return split;
  }
}
