package dev.cnnspark.driver.doctor;

import dev.cnnspark.driver.cli.ExitCodes;
import dev.cnnspark.driver.cli.SpecOptions;
import dev.cnnspark.driver.data.DataInfo;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cnnspark doctor}: the pre-flight table of every executor, and a refusal when the job cannot run as asked. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check every executor (OpenCL devices, memory, Java/Spark/Aparapi versions) for a job spec.")
public final class DoctorCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Override
  public Integer call() throws Exception {
    JobSpec spec = options.load();
    try (JavaSparkContext sc = SparkSetup.context(spec, options.waitSeconds * 1000L)) {
      DataPlan plan = DataPlan.of(spec, sc.hadoopConfiguration(), System.out::println);
      return check(sc, spec, plan.info(), options.waitSeconds * 1000L) ? ExitCodes.OK : ExitCodes.PREFLIGHT;
    }
  }

  /** Prints the table and the problems; true when the job can run. Also the pre-flight step of {@code train}. */
  public static boolean check(JavaSparkContext sc, JobSpec spec, DataInfo info, long waitMs)
      throws InterruptedException {
    return preflight(sc, spec, info, waitMs).ok();
  }

  /** What {@link #check} found: the executors (for the run's report) and whether the job can run as asked. */
  public record Preflight(List<ExecutorReport> executors, boolean ok) {
  }

  /** {@link #check}, keeping the executors' reports. */
  public static Preflight preflight(JavaSparkContext sc, JobSpec spec, DataInfo info, long waitMs)
      throws InterruptedException {
    List<ExecutorReport> reports = Doctor.reports(sc, waitMs);
    System.out.print("pre-flight: " + reports.size() + " executor(s), job backend '" + spec.backend().id() + "'\n"
        + Doctor.table(reports));
    List<String> problems = new java.util.ArrayList<>(Doctor.problems(reports, spec.backend(),
        ExecutorReport.probe()));
    int slots = Math.max(1, sc.defaultParallelism() / Math.max(1, reports.size())
        / sc.getConf().getInt("spark.task.cpus", 1));
    problems.addAll(Doctor.memoryProblems(reports, spec, info, slots));
    for (String w : spec.warnings(info.trainCount())) {
      System.out.println("WARNING: " + w);
    }
    for (String p : problems) {
      System.out.println("PRE-FLIGHT PROBLEM: " + p);
    }
    System.out.println(problems.isEmpty() ? "pre-flight OK" : "pre-flight FAILED: the job would not run as asked");
    return new Preflight(reports, problems.isEmpty());
  }
}
