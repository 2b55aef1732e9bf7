package dev.cnnspark.kernels;

/** The requested backend cannot run here: no such device, no OpenCL runtime, or a kernel that did not compile. */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
