package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.bench.BenchCommand;
import dev.cnnspark.driver.doctor.DoctorCommand;
import dev.cnnspark.driver.retrain.RetrainCommand;
import dev.cnnspark.driver.spec.SpecException;
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
        RetrainCommand.class, BenchCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      int code = exitCode(e);
      if (code == ExitCodes.FAILURE) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("cnnspark " + cmd.getCommandName() + ": " + e.getMessage());
      }
      return code;
    });
    return cl.execute(args);
  }

  /** The exit code for an exception a command threw. */
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
    if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith("could not download")) {
      return ExitCodes.DATA;
    }
    return ExitCodes.FAILURE;
  }
}
