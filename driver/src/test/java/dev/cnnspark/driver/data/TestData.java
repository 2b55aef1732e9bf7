package dev.cnnspark.driver.data;

import java.util.List;

/** Metadata of well-known datasets, for tests that check a spec against its data without reading it. */
public final class TestData {
  private TestData() {
  }

  /** MNIST, as {@code IdxSource.describe} gives it. */
  public static final DataInfo MNIST = new DataInfo(new int[] {28, 28, 1},
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 10, 60_000, 10_000);

  /** MNIST with only the first {@code train} training examples. */
  public static DataInfo mnist(int train) {
    return MNIST.limited(train, 0);
  }
}
