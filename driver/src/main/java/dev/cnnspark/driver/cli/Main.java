package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.bench.BenchCommand;
import dev.cnnspark.driver.doctor.DoctorCommand;
import dev.cnnspark.driver.checkpoint.ResumeMismatchException;
import dev.cnnspark.driver.retrain.RetrainCommand;
import dev.cnnspark.driver.rounds.WorkerOutOfMemoryException;
import dev.cnnspark.driver.spark.MasterUnreachableException;
import dev.cnnspark.driver.spec.SpecException;
import dev.cnnspark.driver.storage.DirectoryLock;
import dev.cnnspark.driver.storage.StorageException;
import dev.cnnspark.kernels.BackendUnavailableException;
import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.io.CorruptStateFileException;
import dev.cnnspark.worker.train.TrainingDivergedException;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cnnspark} command line. User mistakes end with one clear message and a documented exit code
 * ({@link ExitCodes}), not a stack trace; unexpected errors keep theirs.
 */
@Command(name = "cnnspark", mixinStandardHelpOptions = true, version = "cnnspark 0.1.0",
    description = "Data-parallel CNN training on Spark with Aparapi OpenCL kernels.",
    subcommands = {TrainCommand.class, FitCommand.class, ValidateCommand.class, DoctorCommand.class,
        RetrainCommand.class, ConvertCommand.class, BenchCommand.class, ExportCommand.class,
        FeaturesCommand.class, PredictCommand.class, EvaluateCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return run(null, args);
  }

  /**
   * Runs a command line, with failure messages to {@code err} (null: standard error). {@code --verbose} (anywhere)
   * also puts the per-round and per-task log lines on the console; they always go to the run's log file.
   */
  public static int run(java.io.PrintWriter err, String... args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    args = java.util.Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
    dev.cnnspark.driver.spark.RunLog.console(verbose);
    CommandLine cl = new CommandLine(new Main());
    if (err != null) {
      cl.setErr(err);
    }
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getCommandName(), cmd.getErr()));
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      return report(e, "", cl.getErr());
    }
  }

  /**
   * Prints what a user needs of a failure and returns its exit code: for a failure a user can cause (its cause may
   * be wrapped by Spark's job failure) the culprit's own message, which names the file, field or option; for
   * anything else, our bug, the stack trace.
   */
  static int report(Throwable e, String command, java.io.PrintWriter err) {
    Throwable culprit = culprit(e);
    int code = culprit == null ? ExitCodes.FAILURE : exitCode(culprit);
    String who = command.isEmpty() ? "cnnspark: " : "cnnspark " + command + ": ";
    if (code == ExitCodes.FAILURE) {
      e.printStackTrace(err);
    } else if (culprit instanceof OutOfMemoryError) {
      err.println(who + "out of memory (" + culprit.getMessage() + "): lower training.batch_size (cnnspark "
          + "validate prints the largest that fits) or the data limits, or raise the heap (CNNSPARK_HEAP, "
          + "spark.driver.memory)");
    } else {
      err.println(who + culprit.getMessage());
    }
    err.flush();
    return code;
  }

  /** The first throwable in the cause chain that is a failure a user can cause, or null. */
  static Throwable culprit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (exitCode(t) != ExitCodes.FAILURE) {
        return t;
      }
    }
    return null;
  }

  /** The exit code for one exception (not its causes). */
  static int exitCode(Throwable e) {
    if (e instanceof SpecException || e instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof DataFormatException || e instanceof CorruptStateFileException) {
      return ExitCodes.DATA;
    }
    if (e instanceof TrainingDivergedException) {
      return ExitCodes.DIVERGED;
    }
    if (e instanceof BackendUnavailableException) {
      return ExitCodes.DEVICE;
    }
    if (e instanceof StorageException) {
      return ExitCodes.STORAGE;
    }
    if (e instanceof OutOfMemoryError || e instanceof WorkerOutOfMemoryException) {
      return ExitCodes.MEMORY;
    }
    if (e instanceof ResumeMismatchException) {
      return ExitCodes.RESUME_MISMATCH;
    }
    if (e instanceof DirectoryLock.LockedException) {
      return ExitCodes.LOCKED;
    }
    if (e instanceof MasterUnreachableException) {
      return ExitCodes.PREFLIGHT;
    }
    if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith("could not download")) {
      return ExitCodes.DATA;
    }
    return ExitCodes.FAILURE;
  }
}
