package dev.cnnspark.driver.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.cli.ExitCodes;
import dev.cnnspark.driver.cli.Main;
import dev.cnnspark.driver.storage.DirectoryLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled retraining end to end (local[2], a small MNIST subset): the first run publishes v1; later runs publish
 * only through the gate (both outcomes forced); a concurrent run is refused with its exit code; a run killed at
 * every step of publishing leaves {@code current} naming a complete model, and the next run takes over the stale
 * lock and publishes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainTest {
  @TempDir
  static Path tmp;

  private static Path models() {
    return tmp.resolve("models");
  }

  private static List<String> args(String... extra) throws IOException {
    Path spec = tmp.resolve("retrain.yaml");
    Files.writeString(spec, String.join("\n",
        "name: retrain-test",
        "data: {path: \"" + Path.of(System.getProperty("cnnspark.mnist.dir")).toAbsolutePath().normalize()
            + "\", train_limit: 600, test_limit: 200}",
        "training: {epochs: 1, batch_size: 20, workers: 2, averaging_frequency: 5, seed: 3, backend: java}",
        "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}",
        ""));
    List<String> a = new ArrayList<>(List.of("retrain", spec.toString(), "--models", models().toString()));
    a.addAll(List.of(extra));
    return a;
  }

  private static int retrain(String... extra) throws IOException {
    return Main.run(args(extra).toArray(String[]::new));
  }

  private static ModelRegistry registry() throws IOException {
    return new ModelRegistry(models().toUri(), new Configuration());
  }

  @Test
  @Order(1)
  void firstRunPublishesV1ThenTheGateDecides() throws IOException {
    assertEquals(ExitCodes.OK, retrain());
    assertEquals("v000001", registry().current().orElseThrow());
    ModelRegistry.Version v1 = registry().read("v000001");
    assertTrue(v1.meta().path("metrics").path("holdout_accuracy").asDouble() > 0.3);

    assertEquals(ExitCodes.OK, retrain("--max-drop", "1.0"), "a gate every candidate passes");
    assertEquals("v000002", registry().current().orElseThrow());
    assertEquals("v000001", registry().read("v000002").meta().path("metrics").path("previous_version").asText());

    assertEquals(ExitCodes.GATE_REJECTED, retrain("--min-accuracy", "1.0"), "a gate no candidate passes");
    assertEquals("v000002", registry().current().orElseThrow());
    assertEquals(List.of("v000001", "v000002"), registry().versions(), "older versions are kept");
    assertFalse(Files.exists(models().resolve("lock")), "the lock is released");
  }

  @Test
  @Order(2)
  void concurrentRunIsRefused() throws IOException {
    ModelRegistry r = registry();
    try (DirectoryLock held = DirectoryLock.acquire(r.fileSystem(), r.dir(), 60_000, "model directory")) {
      assertTrue(held.ours());
      assertEquals(ExitCodes.LOCKED, retrain());
    }
    assertEquals("v000002", registry().current().orElseThrow());
  }

  @Test
  @Order(3)
  void killedWhilePublishingLeavesCurrentComplete() throws Exception {
    for (String stage : new String[] {"version-written", "version-renamed", "pointer-written"}) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+Ignore") || a.startsWith("-Djdk.reflect")
              || a.startsWith("-Dio.netty") || a.startsWith("-Dcnnspark.mnist.dir")).toList());
      cmd.add("-Dcnnspark.crashAt=" + stage);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.cnnspark.driver.cli.Main"));
      cmd.addAll(args("--max-drop", "1.0"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(3, TimeUnit.MINUTES));
      assertEquals(137, p.exitValue(), "the run should die at " + stage + ":\n" + out);
      assertTrue(out.contains("crash hook: halting at " + stage), out);

      String current = registry().current().orElseThrow();
      ModelRegistry.Version v = registry().read(current); // verifies the checksum: a complete model
      assertEquals(current, v.name());
      assertTrue(Files.exists(models().resolve("lock")), "the dead run left its lock behind");
    }
    // the next run finds the dead holder's lock (same host, pid gone), takes it over and publishes
    assertEquals(ExitCodes.OK, retrain("--max-drop", "1.0"));
    String current = registry().current().orElseThrow();
    assertEquals(registry().versions().get(registry().versions().size() - 1), current);
    registry().read(current);
  }
}
