package dev.cnnspark.driver.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.TestJobs;
import dev.cnnspark.driver.data.TestData;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.kernels.BackendKind;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** The pre-flight table and its refusals. */
class DoctorTest {

  private static ExecutorReport report(String id, int gpus, String java, boolean vector) {
    return new ExecutorReport(id, "host-" + id, 8, 4096, 4000, 10000, java, "4.1.0", "3.0.2", vector,
        gpus == 0 ? List.of() : List.of("GPU NVIDIA / H100"), gpus, true);
  }

  @Test
  void refusesGpuJobsOnExecutorsWithoutGpus() {
    List<ExecutorReport> r = List.of(report("1", 1, "17.0.15", true), report("2", 0, "17.0.15", true));
    List<String> p = Doctor.problems(r, BackendKind.GPU, r.get(0));
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).contains("no OpenCL GPU: 2@host-2"), p.get(0));
    assertTrue(Doctor.problems(r, BackendKind.JAVA, r.get(0)).isEmpty());
  }

  @Test
  void refusesDifferingVersionsAndMissingVectorApi() {
    List<ExecutorReport> r = List.of(report("1", 0, "17.0.15", true), report("2", 0, "21.0.2", false));
    List<String> p = Doctor.problems(r, BackendKind.JAVA, r.get(0));
    assertTrue(p.stream().anyMatch(s -> s.startsWith("java versions differ across executors")), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.contains("executor 2 runs without --add-modules=jdk.incubator.vector")),
        p.toString());
  }

  @Test
  void refusesOpenClWithoutSignalChaining() {
    ExecutorReport r = new ExecutorReport("3", "h", 4, 1, 1, 1, "17", "4.1.0", "3.0.2", true, List.of("CPU PoCL"), 0,
        false);
    List<String> p = Doctor.problems(List.of(r), BackendKind.JAVA, r);
    assertTrue(p.stream().anyMatch(s -> s.contains("without signal chaining")), p.toString());
  }

  @Test
  void refusesABatchThatDoesNotFitAnExecutorsHeapOrItsGpuNamingTheLargestThatDoes() {
    JobSpec spec = JobSpec.parse("training: {batch_size: 2000, workers: 4}\nspark: {master: \"spark://m:7077\"}\n",
        "t", java.util.Map.of()).validate(); // a cluster master: validate leaves memory to the pre-flight
    ExecutorReport small = new ExecutorReport("1", "a", 4, 2048, 2000, 1, "17", "4.1.0", "3.0.2", true, List.of(), 0,
        true);
    ExecutorReport big = new ExecutorReport("2", "b", 4, 65536, 65000, 1, "17", "4.1.0", "3.0.2", true,
        List.of("GPU NVIDIA Corporation / NVIDIA H200 (132 compute units, 1024 MiB global, 48 KiB local, OpenCL 3.0)"),
        1, true);
    List<String> p = Doctor.memoryProblems(List.of(small, big), spec, TestData.MNIST, 2);
    assertEquals(2, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("executor 1@a: training.batch_size 2000 needs about "), p.get(0));
    int largest = Integer.parseInt(p.get(0).replaceAll("(?s).*the largest batch that fits is (\\d+).*", "$1"));
    assertTrue(largest > 0 && largest < 2000, p.get(0));
    assertTrue(Doctor.memoryProblems(List.of(small, small), JobSpec.parse("training: {batch_size: " + largest
        + ", workers: 4}\n", "t", java.util.Map.of()), TestData.MNIST, 2).isEmpty(), "the named batch fits (2 "
        + "workers each)");
    assertTrue(p.get(1).startsWith("executor 2@b: training.batch_size 2000 needs ") && p.get(1).contains("of OpenCL "
        + "GPU memory for its arenas, the GPU has 1,024 MiB"), p.get(1));
    assertTrue(Doctor.memoryProblems(List.of(big), JobSpec.parse("training: {batch_size: 2000, backend: java}\n",
        "t", java.util.Map.of()), TestData.MNIST, 2).isEmpty(), "a Java-path job does not need the GPU's memory");
  }

  @Test
  void localModeTableAndGpuRefusal() throws Exception {
    SparkConf conf = TestJobs.loopbackKryo("local[2]", "doctor-test");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      List<ExecutorReport> reports = Doctor.reports(sc, 5000);
      assertEquals(1, reports.size(), "local mode: the driver JVM is the one executor");
      ExecutorReport me = reports.get(0);
      assertEquals("driver", me.executorId());
      assertTrue(me.vectorApi());
      assertTrue(me.signalChaining(), "the build runs tests with LD_PRELOAD=libjsig.so");
      String table = Doctor.table(reports);
      System.out.print(table);
      assertTrue(table.contains("driver") && table.contains("4.1.0"), table);
      // this machine has no OpenCL GPU (CI and development hosts): a GPU job is refused
      if (me.openClGpus() == 0) {
        List<String> p = Doctor.problems(reports, BackendKind.GPU, ExecutorReport.probe());
        assertTrue(p.stream().anyMatch(s -> s.contains("asks for backend 'gpu'")), p.toString());
      }
    }
  }
}
