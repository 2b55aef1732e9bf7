package dev.cnnspark.worker.train;

/**
 * The loss became NaN or infinite. The model keeps the last finite state (the end of the last completed epoch, or
 * the last checkpoint in distributed runs), so nothing already learned is lost.
 */
public class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
