package dev.cnnspark.driver.checkpoint;

/** The checkpoint directory holds a run of another job: the message lists what differs and what the user can do. */
public final class ResumeMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResumeMismatchException(String message) {
    super(message);
  }
}
