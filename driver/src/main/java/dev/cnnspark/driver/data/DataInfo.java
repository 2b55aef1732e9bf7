package dev.cnnspark.driver.data;

import dev.cnnspark.worker.Shape;
import java.io.Serializable;
import java.util.List;

/**
 * What the driver knows of a dataset before any example is decoded.
 *
 * @param dims one example's input shape (NHWC without N)
 * @param classNames the classes in label order (names travel with the model: summary, confusion matrix)
 * @param labelWidth width of a label row: the class count, or 1 for a binary source
 * @param trainCount examples in the training part
 * @param testCount examples in the test part, 0 when the source has none
 */
public record DataInfo(int[] dims, List<String> classNames, int labelWidth, int trainCount, int testCount)
    implements Serializable {
  public DataInfo {
    dims = dims.clone();
    classNames = List.copyOf(classNames);
  }

  public Shape shape() {
    return Shape.of(dims);
  }

  public int classes() {
    return classNames.size();
  }

  public int count(DataSource.Part part) {
    return part == DataSource.Part.TRAIN ? trainCount : testCount;
  }

  /** The same, with each part cut to its first {@code limit} examples (0: all). */
  public DataInfo limited(int trainLimit, int testLimit) {
    return new DataInfo(dims, classNames, labelWidth, trainLimit > 0 ? Math.min(trainLimit, trainCount)
        : trainCount, testLimit > 0 ? Math.min(testLimit, testCount) : testCount);
  }
}
