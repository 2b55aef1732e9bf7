package dev.cnnspark.worker.data;

import dev.cnnspark.worker.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST from its four IDX files: 60,000 training and 10,000 test images of 28x28x1, scaled to [0, 1], labels
 * one-hot over 10 classes. {@link MnistFiles} finds or downloads the files.
 */
public final class Mnist {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
  public static final Shape SHAPE = Shape.of(28, 28, 1);
  public static final int CLASSES = 10;

  private Mnist() {
  }

  /** The training and test sets. */
  public record Split(Dataset train, Dataset test) {
  }

  /** Reads the four files of a directory. */
  public static Split load(Path dir) throws IOException {
    return new Split(read(dir, TRAIN_IMAGES, TRAIN_LABELS), read(dir, TEST_IMAGES, TEST_LABELS));
  }

  private static Dataset read(Path dir, String images, String labels) throws IOException {
    Path ip = dir.resolve(images);
    Path lp = dir.resolve(labels);
    for (Path p : new Path[] {ip, lp}) {
      if (!Files.isRegularFile(p)) {
        throw new DataFormatException(p.toString(), "missing (MNIST needs " + TRAIN_IMAGES + ", " + TRAIN_LABELS
            + ", " + TEST_IMAGES + ", " + TEST_LABELS + ")");
      }
    }
    try (InputStream is = Files.newInputStream(ip); InputStream ls = Files.newInputStream(lp)) {
      return read(is, ip.toString(), ls, lp.toString());
    }
  }

  /** Images and labels from two IDX streams; shapes and counts are checked against each other and MNIST's. */
  public static Dataset read(InputStream images, String imagesName, InputStream labels, String labelsName)
      throws IOException {
    IdxReader.Idx img = IdxReader.read(images, imagesName, 3);
    IdxReader.Idx lab = IdxReader.read(labels, labelsName, 1);
    if (img.dims()[1] != 28 || img.dims()[2] != 28) {
      throw new DataFormatException(imagesName, "images are " + img.dims()[1] + "x" + img.dims()[2]
          + ", MNIST's are 28x28");
    }
    if (img.count() != lab.count()) {
      throw new DataFormatException(labelsName, "has " + lab.count() + " labels but " + imagesName + " has "
          + img.count() + " images");
    }
    int n = img.count();
    float[] x = new float[n * 784];
    byte[] px = img.data();
    for (int i = 0; i < x.length; i++) {
      x[i] = (px[i] & 0xff) / 255f;
    }
    int[] labelValues = new int[n];
    for (int i = 0; i < n; i++) {
      labelValues[i] = lab.data()[i] & 0xff;
      if (labelValues[i] >= CLASSES) {
        throw new DataFormatException(labelsName, "label " + labelValues[i] + " at index " + i + " is not a digit");
      }
    }
    return new Dataset(x, Dataset.oneHot(labelValues, CLASSES), SHAPE, CLASSES, n);
  }
}
