package dev.cnnspark.driver.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the command line in this JVM as a user would, capturing its exit code and everything it printed. */
public final class Cli {
  private Cli() {
  }

  /** What a command returned and printed (standard output and error, interleaved as written). */
  public record Result(int code, String output) {
    @Override
    public String toString() {
      return "exit " + code + ":\n" + output;
    }
  }

  public static synchronized Result run(String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(capture);
    System.setErr(capture);
    int code;
    try {
      code = Main.run(new PrintWriter(capture, true), args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = buffer.toString(StandardCharsets.UTF_8);
    out.print(text);
    return new Result(code, text);
  }

  public static String mnistDir() {
    return Path.of(System.getProperty("cnnspark.mnist.dir", "../../shared/data/mnist")).toAbsolutePath().normalize()
        .toString();
  }
}
