package dev.cnnspark.driver.cli;

/** Process exit codes of the {@code cnnspark} commands (documented in the README). */
public final class ExitCodes {
  /** Finished; for {@code retrain}: a new version was published. */
  public static final int OK = 0;
  /** Unexpected failure: see the log. */
  public static final int FAILURE = 1;
  /** Bad command line or job spec: the message names the field. */
  public static final int USAGE = 2;
  /** Unreadable or malformed data: the message names the file. */
  public static final int DATA = 3;
  /** Training diverged (NaN/Inf loss); the last good model was kept. */
  public static final int DIVERGED = 4;
  /** The requested device is not available (for example --backend gpu on a host without an OpenCL GPU). */
  public static final int DEVICE = 5;
  /**
   * A location the run must write (checkpoint.dir, --output, --models) cannot be written, or is a file where a
   * directory should be: found by the write probe before training.
   */
  public static final int STORAGE = 6;
  /** Out of memory: the message says what to lower (the batch size, with the largest that fits) or raise. */
  public static final int MEMORY = 7;
  /**
   * The checkpoint directory holds a run of a different job (the message lists the differences); resume anyway with
   * --resume-with-changes, or point checkpoint.dir elsewhere.
   */
  public static final int RESUME_MISMATCH = 8;
  /** retrain: the candidate did not pass the gate; the published model is unchanged. */
  public static final int GATE_REJECTED = 10;
  /** Another live run holds the lock of the checkpoint directory (train) or model directory (retrain). */
  public static final int LOCKED = 11;
  /** doctor / pre-flight: an executor cannot run the job as asked, or the Spark master cannot be reached. */
  public static final int PREFLIGHT = 12;

  private ExitCodes() {
  }
}
