package dev.cnnspark.driver.spark;

/** The Spark master named by the job (or spark-submit) did not answer within the wait: names its URL. */
public final class MasterUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MasterUnreachableException(String message) {
    super(message);
  }
}
