package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.DataInfo;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.MemoryEstimate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks a job spec without running it and prints the effective spec. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a job spec (every problem, each with its field) and print the effective spec as JSON.")
public final class ValidateCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Override
  public Integer call() throws java.io.IOException {
    JobSpec spec = options.load();
    System.out.println(spec.tree().toPrettyString());
    try (var m = spec.buildModel()) {
      System.out.print(m.summary());
    }
    Configuration conf = new Configuration();
    DataPlan plan = DataPlan.of(spec, conf, System.out::println);
    DataInfo info = plan.info();
    System.out.printf(Locale.ROOT, "data: %s %s: %,d training and %,d test examples of %s, %d classes %s%n",
        plan.source().type(), plan.source().location(), info.trainCount(), info.testCount(), info.shape(),
        info.classes(), info.classNames().size() <= 12 ? info.classNames() : info.classNames().subList(0, 12) + "...");
    DataChecks.require(spec, info);
    System.out.println(MemoryEstimate.of(spec, spec.batchSize(), info.trainCount(),
        DataChecks.evalExamples(spec, info)).describe());
    spec.warnings(info.trainCount()).forEach(w -> System.out.println("WARNING: " + w));
    System.out.println("spec OK");
    return ExitCodes.OK;
  }
}
