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
  /** retrain: the candidate did not pass the gate; the published model is unchanged. */
  public static final int GATE_REJECTED = 10;
  /** retrain: another run holds the model directory's lock. */
  public static final int LOCKED = 11;
  /** doctor: a pre-flight check failed. */
  public static final int PREFLIGHT = 12;

  private ExitCodes() {
  }
}
