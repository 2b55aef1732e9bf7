package dev.cnnspark.driver.cli;

import java.io.PrintStream;

/**
 * Reporting after the results are written. A run whose weights, checkpoints or published model are already on
 * storage has succeeded; a bug in printing its tables must not turn that into a failed job (a scheduler would rerun
 * it, and a rerun that resumes would fail the same way), so a failing report is said as a warning instead.
 */
final class Reports {
  private Reports() {
  }

  static void safely(PrintStream out, String what, Runnable report) {
    try {
      report.run();
    } catch (RuntimeException e) {
      out.println();
      out.println("WARNING: could not print " + what + " (" + e + "); the results were written before it. "
          + "Please report this as a bug.");
    }
  }
}
