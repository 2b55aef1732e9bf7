package dev.cnnspark.worker.data;

/** A data file that is not what it claims to be: names the file and the problem. */
public class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String file, String problem) {
    super(file + ": " + problem);
  }

  public DataFormatException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
