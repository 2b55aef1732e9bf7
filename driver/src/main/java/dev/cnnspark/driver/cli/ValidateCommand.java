package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.MemoryEstimate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks a job spec without running it and prints the effective spec. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a job spec (every problem, each with its field) and print the effective spec as JSON.")
public final class ValidateCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Override
  public Integer call() {
    JobSpec spec = options.load();
    System.out.println(spec.tree().toPrettyString());
    try (var m = spec.buildModel()) {
      System.out.print(m.summary());
    }
    System.out.println(MemoryEstimate.of(spec, spec.batchSize(), spec.trainExamples(), spec.evalExamples())
        .describe());
    spec.warnings().forEach(w -> System.out.println("WARNING: " + w));
    System.out.println("spec OK");
    return ExitCodes.OK;
  }
}
