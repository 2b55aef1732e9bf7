package dev.cnnspark.driver.storage;

/** A location the run must write (checkpoints, a model directory, an output file) cannot be written: names it. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
