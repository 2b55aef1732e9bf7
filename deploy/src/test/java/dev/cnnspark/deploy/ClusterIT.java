package dev.cnnspark.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.Checkpoint;
import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.Writers;
import dev.cnnspark.driver.spec.JobSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Spark standalone cluster on this machine (deploy/local-cluster/cluster.sh: Master + 2 Workers, executors in
 * their own JVMs). The same short job runs twice: once undisturbed, once with one executor JVM killed (SIGKILL, by
 * pid) while a round runs. Spark re-executes the lost tasks (on the surviving executor or a replacement) and the
 * job finishes with parameters equal, bit for bit, to the undisturbed run's; with the data as IDX files, as PNG
 * image folders and as a Parquet table (a lost partition is decoded again from the source).
 * Run: {@code mvn verify -pl deploy -am -Dcluster.tests} (about 3 minutes; needs ~4 GB of free memory).
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  private final Path root = Path.of("..").toAbsolutePath().normalize();
  private final Path script = root.resolve("deploy/local-cluster/cluster.sh");
  private Path state;

  private ProcessBuilder cluster(String... args) {
    ProcessBuilder pb = new ProcessBuilder(List.of(new String[] {script.toString()}).stream()
        .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new)));
    pb.command().addAll(List.of(args));
    pb.environment().put("CNNSPARK_CLUSTER_STATE", state.toString());
    pb.environment().put("CNNSPARK_MASTER_PORT", "7277");
    pb.environment().put("CNNSPARK_MASTER_WEBUI_PORT", "8280");
    pb.environment().put("CNNSPARK_SUBMIT_TIMEOUT", "600");
    return pb.redirectErrorStream(true);
  }

  private String runToEnd(String... args) throws Exception {
    Process p = cluster(args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), String.join(" ", args) + " failed:\n" + out);
    return out;
  }

  @BeforeAll
  void start() throws Exception {
    state = Files.createTempDirectory("cnnspark-cluster");
    System.out.println(runToEnd("start", "2"));
  }

  @AfterAll
  void stop() throws Exception {
    System.out.println(runToEnd("stop"));
  }

  private static String mnist() {
    return Path.of(System.getProperty("cnnspark.mnist.dir")).toAbsolutePath().normalize().toString();
  }

  /** The data section for a source: MNIST's IDX files, or its first examples written as PNG folders or Parquet. */
  private String data(String source) throws IOException {
    if (source.equals("mnist")) {
      return "data: {path: \"" + mnist() + "\", train_limit: 2400, test_limit: 400}";
    }
    Path root = state.resolve("data-" + source);
    if (!Files.exists(root)) {
      DataPlan plan = DataPlan.of(JobSpec.parse("data: {path: \"" + mnist() + "\", train_limit: 2400, test_limit: "
          + "400}\n", "mnist", java.util.Map.of()).validate(), new Configuration(), s -> { });
      List<Writers.Part> parts = List.of(new Writers.Part("train", plan.all(DataPlan.Use.TRAIN, new Configuration())),
          new Writers.Part("test", plan.all(DataPlan.Use.TEST, new Configuration())));
      if (source.equals("image_folder")) {
        Writers.imageFolders(root, parts, plan.info().classNames());
      } else {
        Writers.parquet(root, parts);
      }
    }
    return "data: {type: " + source + ", path: \"" + root.resolve("train") + "\", test_path: \"" + root.resolve("test")
        + "\"" + (source.equals("image_folder") ? ", color_mode: grayscale" : ", shape: [28, 28, 1]") + "}";
  }

  private String spec(Path dir, String source) throws IOException {
    return spec(dir, source, "driver", 100);
  }

  private String spec(Path dir, String source, String aggregation, int everyRounds) throws IOException {
    Path spec = dir.resolve("job.yaml");
    Files.createDirectories(dir);
    Files.writeString(spec, String.join("\n",
        "name: cluster-it",
        data(source),
        "training: {epochs: 1, batch_size: 20, workers: 2, averaging_frequency: 5, seed: 11, backend: java, "
            + "aggregation: " + aggregation + "}",
        "checkpoint: {dir: \"" + dir.resolve("ckpt") + "\", every_rounds: " + everyRounds + "}",
        ""));
    return spec.toString();
  }

  /**
   * Sharded aggregation (the executors hold the averaged state's slices between rounds): with one executor JVM
   * killed mid-run the slices it held are gone, and the run replays from its newest checkpoint; with the driver
   * killed, a second submission resumes. Both end on the bits of an undisturbed run of the driver path (sharded
   * aggregation computes the same float operations in the same order).
   */
  @ParameterizedTest(name = "{0} killed")
  @ValueSource(strings = {"executor", "driver"})
  void shardedAggregationSurvivesAKillWithTheSameBits(String victim) throws Exception {
    Path a = state.resolve("sharded-a-" + victim);
    Path b = state.resolve("sharded-b-" + victim);
    runToEnd("submit", "train", spec(a, "mnist", "driver", 4));
    String specB = spec(b, "mnist", "sharded", 4);
    Process p = cluster("submit", "train", specB, "--verbose").start();
    StringBuilder out = new StringBuilder();
    boolean killed = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
        if (!killed && line.contains("epoch 1 round 6/")) {
          // rounds 5 and 6 ran after the checkpoint of round 4: their state lives only in the executors
          killed = true;
          if (victim.equals("executor")) {
            long pid = executorPids().get(0);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            out.append("### killed executor pid ").append(pid).append('\n');
          } else {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            out.append("### killed the driver\n");
            break;
          }
        }
      }
    }
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertTrue(killed, "never reached round 6:\n" + out);
    if (victim.equals("executor")) {
      assertEquals(0, p.exitValue(), "job with a killed executor failed:\n" + out);
      assertTrue(out.toString().contains("replaying from the newest checkpoint"), out.toString());
    } else {
      String resumed = runToEnd("submit", "train", specB);
      assertTrue(resumed.contains("resuming from checkpoint"), resumed);
      out.append(resumed);
    }
    System.out.println(out);
    Checkpoint ca = last(a.resolve("ckpt"));
    Checkpoint cb = last(b.resolve("ckpt"));
    assertEquals(ca.state().iterations(), cb.state().iterations());
    assertArrayEquals(ca.state().params(), cb.state().params(), "parameters differ after the " + victim + " kill");
    assertArrayEquals(ca.state().opt1(), cb.state().opt1());
    assertArrayEquals(ca.state().opt2(), cb.state().opt2());
  }

  @ParameterizedTest(name = "data.type {0}")
  @ValueSource(strings = {"mnist", "image_folder", "parquet"})
  void executorKilledMidRoundGivesTheSameParameters(String source) throws Exception {
    Path a = state.resolve("job-a-" + source);
    Path b = state.resolve("job-b-" + source);
    String undisturbed = runToEnd("submit", "train", spec(a, source));
    assertTrue(undisturbed.contains("test accuracy"), undisturbed);

    Process p = cluster("submit", "train", spec(b, source), "--verbose").start();
    StringBuilder out = new StringBuilder();
    long killed = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
        if (killed < 0 && line.contains("epoch 1 round 3/")) {
          // round 4 is being scheduled now: kill one executor JVM of this application
          killed = executorPids().get(0);
          ProcessHandle.of(killed).orElseThrow().destroyForcibly();
          out.append("### killed executor pid ").append(killed).append('\n');
        }
      }
    }
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), "job with a killed executor failed:\n" + out);
    assertTrue(killed > 0, "never reached round 3:\n" + out);
    System.out.println(out);

    Checkpoint ca = last(a.resolve("ckpt"));
    Checkpoint cb = last(b.resolve("ckpt"));
    assertEquals(ca.state().iterations(), cb.state().iterations());
    assertArrayEquals(ca.state().params(), cb.state().params(), "parameters differ after the executor loss");
    assertArrayEquals(ca.state().opt1(), cb.state().opt1());
    assertArrayEquals(ca.state().opt2(), cb.state().opt2());
  }

  /** Executor JVMs started by this cluster's Workers (their parents are the worker pids the script recorded). */
  private List<Long> executorPids() throws IOException {
    List<Long> workers = Files.readAllLines(state.resolve("pids")).stream().filter(l -> l.startsWith("worker"))
        .map(l -> Long.parseLong(l.split(" ")[1])).toList();
    return ProcessHandle.allProcesses()
        .filter(h -> h.parent().map(parent -> workers.contains(parent.pid())).orElse(false))
        .filter(h -> h.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")).orElse(true))
        .map(ProcessHandle::pid).sorted().toList();
  }

  private static Checkpoint last(Path dir) throws IOException {
    CheckpointStore s = new CheckpointStore(dir.toUri(), new Configuration(), 10);
    return s.read(s.checkpoints().get(0));
  }
}
