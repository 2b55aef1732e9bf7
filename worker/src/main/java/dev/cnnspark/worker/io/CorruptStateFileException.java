package dev.cnnspark.worker.io;

/** A weights file or checkpoint that fails verification: truncated, corrupted, or of another format. */
public class CorruptStateFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptStateFileException(String message) {
    super(message);
  }
}
