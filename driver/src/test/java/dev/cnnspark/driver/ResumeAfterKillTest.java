package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.Checkpoint;
import dev.cnnspark.driver.checkpoint.CheckpointStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver process is killed (SIGKILL, by pid) mid-epoch and the same command is run again: it says it resumed
 * and its final parameters, moving statistics, optimizer state and history equal those of a run that was never
 * interrupted, bit for bit; with the data as IDX files, as PNG image folders and as a Parquet table. Both runs are
 * separate JVMs started as a user would ({@code cnnspark train SPEC}).
 *
 * <p>Why bitwise holds: every random draw is a function of (seed, epoch, partition, step); the CPU path's reductions
 * use a fixed split independent of thread count; a round's aggregation adds the two workers' double sums, and IEEE
 * addition is commutative, so the order Spark combines them in does not matter. With more than two workers the
 * combination order can change the last bit of a sum; see the README.
 */
class ResumeAfterKillTest {

  private static Process start(Path spec, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+Ignore") || a.startsWith("-Djdk.reflect")
            || a.startsWith("-Dio.netty") || a.startsWith("-XX:+UseG1GC"))
        .toList());
    cmd.add("-Xmx2g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.cnnspark.driver.cli.Main");
    cmd.add("train");
    cmd.add(spec.toString());
    cmd.add("--verbose"); // the kill waits for a mid-epoch checkpoint's log line
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Runs to the end (or until {@code killAfter} appears in the output, then SIGKILLs it); returns the output. */
  private static String run(Path spec, String killAfter) throws Exception {
    Process p = start(spec, null);
    StringBuilder out = new StringBuilder();
    boolean killed = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
        if (killAfter != null && line.contains(killAfter)) {
          ProcessHandle.of(p.pid()).orElseThrow().destroyForcibly();
          killed = true;
          break;
        }
      }
    }
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the job did not end");
    if (killAfter != null) {
      assertTrue(killed, "never saw '" + killAfter + "'; output:\n" + out);
    } else {
      assertEquals(0, p.exitValue(), "job failed:\n" + out);
    }
    return out.toString();
  }

  @ParameterizedTest(name = "data.type {0}")
  @ValueSource(strings = {"mnist", "image_folder", "parquet"})
  void killedDriverResumesToIdenticalParameters(String source, @TempDir Path tmp) throws Exception {
    Path specA = tmp.resolve("a.yaml");
    Path specB = tmp.resolve("b.yaml");
    String data = switch (source) {
      case "image_folder" -> TestJobs.imageFolders(tmp.resolve("png"));
      case "parquet" -> TestJobs.parquet(tmp.resolve("parquet"));
      default -> "  path: \"" + TestJobs.mnistDir() + "\"";
    };
    Files.writeString(specA, TestJobs.spec(tmp.resolve("a"), 3, data));
    Files.writeString(specB, TestJobs.spec(tmp.resolve("b"), 3, data));

    String uninterrupted = run(specA, null);
    String killedRun = run(specB, "(next: epoch 2 round 3)");
    assertTrue(!killedRun.contains("test accuracy"), "the run was killed before it finished");
    String resumedRun = run(specB, null);
    assertTrue(resumedRun.contains("resuming from checkpoint ckpt-0000000"), resumedRun);
    assertTrue(resumedRun.contains("next is epoch 2, round 3") || resumedRun.contains("next is epoch 2, round 5")
        || resumedRun.contains("next is epoch 3"), "resumed mid-job:\n" + resumedRun);

    Checkpoint a = finalCheckpoint(tmp.resolve("a"));
    Checkpoint b = finalCheckpoint(tmp.resolve("b"));
    assertEquals(3, a.epoch());
    assertEquals(a.globalRound(), b.globalRound());
    assertEquals(a.state().iterations(), b.state().iterations());
    assertArrayEquals(a.state().params(), b.state().params(), "parameters differ after resume");
    assertArrayEquals(a.state().opt1(), b.state().opt1(), "optimizer state differs after resume");
    assertArrayEquals(a.state().opt2(), b.state().opt2(), "optimizer state differs after resume");
    assertEquals(a.history().asMap(), b.history().asMap());
    String testLine = uninterrupted.lines().filter(l -> l.startsWith("test loss")).findFirst().orElseThrow();
    assertTrue(resumedRun.contains(testLine), "same test result: " + testLine);
  }

  private static Checkpoint finalCheckpoint(Path dir) throws IOException {
    CheckpointStore store = new CheckpointStore(dir.toUri(), new Configuration(), 50);
    return store.read(store.checkpoints().get(0));
  }
}
