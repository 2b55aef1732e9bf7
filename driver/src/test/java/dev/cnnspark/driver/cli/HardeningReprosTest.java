package dev.cnnspark.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.storage.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four ways the hardening issue found to lose a user's work or accept nonsense, each run through the command
 * line as a user would (all failed on the main before it): a class never predicted; two runs into one checkpoint
 * directory; a resume under another optimizer, seed or worker count; a NaN or percentage retrain gate.
 */
class HardeningReprosTest {
  @TempDir
  Path tmp;

  /** A small job: 2 workers x 200 examples, batch 20, averaging every 5 (2 rounds per epoch), 50 test examples. */
  private Path spec(int testLimit) throws IOException {
    Path spec = tmp.resolve("job.yaml");
    Files.writeString(spec, String.join("\n",
        "name: repro",
        "data: {path: \"" + Cli.mnistDir() + "\", train_limit: 400, test_limit: " + testLimit + "}",
        "training: {epochs: 1, batch_size: 20, workers: 2, averaging_frequency: 5, seed: 7, backend: java}",
        "checkpoint: {dir: \"" + tmp.resolve("ckpts") + "\", every_rounds: 1}",
        "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}",
        ""));
    return spec;
  }

  private Cli.Result train(String... extra) throws IOException {
    List<String> a = new ArrayList<>(List.of("train", spec(50).toString(), "--skip-preflight"));
    a.addAll(List.of(extra));
    return Cli.run(a.toArray(String[]::new));
  }

  private List<String> checkpoints() throws IOException {
    return new CheckpointStore(tmp.resolve("ckpts").toUri(), new Configuration(), 50).checkpoints();
  }

  @Test
  void aClassNeverPredictedPrintsNaAndTheWeightsAreWritten() throws IOException {
    Path weights = tmp.resolve("x.cnn");
    Cli.Result fit = Cli.run("fit", spec(5).toString(), "--epochs", "1", "--output", weights.toString());
    assertEquals(ExitCodes.OK, fit.code(), fit.toString());
    assertTrue(Files.size(weights) > 1_000_000, "the weights file is written");
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        dev.cnnspark.worker.model.Sequential.classNames(weights), "with the data's class names");
    assertTrue(fit.output().contains("n/a"), "5 test examples leave classes never predicted: " + fit);

    Cli.Result train = Cli.run("train", spec(5).toString(), "--skip-preflight");
    assertEquals(ExitCodes.OK, train.code(), train.toString());
    assertTrue(train.output().contains("precision") && train.output().contains("n/a"), train.toString());
  }

  @Test
  void aSecondRunIntoTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() throws IOException {
    Path ckpts = tmp.resolve("ckpts");
    Files.createDirectories(ckpts);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(ckpts.toUri());
    try (DirectoryLock first = DirectoryLock.acquire(FileSystem.getLocal(new Configuration()), dir, 60_000,
        "checkpoint directory")) { // a live run on this host (this JVM's pid) holds it
      Cli.Result second = train();
      assertEquals(ExitCodes.LOCKED, second.code(), second.toString());
      assertTrue(second.output().matches("(?s).*checkpoint directory file:" + ckpts + "/? is in use by another run .*"
          + "pid " + ProcessHandle.current().pid() + ".*"), second.toString());
      assertFalse(second.output().contains("Epoch 1/1"), "refused before training");
      assertTrue(checkpoints().isEmpty(), "nothing written into the held directory");
    }
    Cli.Result after = train();
    assertEquals(ExitCodes.OK, after.code(), after.toString());
    assertFalse(Files.exists(ckpts.resolve(DirectoryLock.FILE)), "the finished run released its lock");
  }

  @Test
  void resumingUnderOtherSettingsIsRefusedUnlessAskedAndThenSaysWhatChanged() throws IOException {
    assertEquals(ExitCodes.OK, train().code());
    List<String> before = checkpoints();

    Cli.Result adam = train("--epochs", "2", "--set", "optimizer={type: adam, learning_rate: 0.001}");
    assertEquals(ExitCodes.RESUME_MISMATCH, adam.code(), adam.toString());
    assertTrue(adam.output().contains("optimizer: {\"class_name\":\"Adadelta\""), adam.toString());
    assertTrue(adam.output().contains("--resume-with-changes"), adam.toString());

    Cli.Result sgd = train("--epochs", "2", "--set", "optimizer={type: sgd}");
    assertEquals(ExitCodes.RESUME_MISMATCH, sgd.code(), sgd.toString());
    assertFalse(sgd.output().contains("\tat "), "a message, not a stack trace: " + sgd);

    for (String[] change : new String[][] {{"--seed", "8", "seed: 7 -> 8"}, {"--workers", "4", "workers: 2 -> 4"},
        {"--batch-size", "10", "batch_size: 20 -> 10"}, {"--train-limit", "200", "\"train_limit\":400"}}) {
      Cli.Result r = train("--epochs", "2", change[0], change[1]);
      assertEquals(ExitCodes.RESUME_MISMATCH, r.code(), r.toString());
      assertTrue(r.output().contains(change[2]), change[2] + " named in: " + r);
    }
    assertEquals(before, checkpoints(), "the refused runs wrote nothing");

    Cli.Result changed = train("--epochs", "2", "--resume-with-changes", "--set",
        "optimizer={type: adam, learning_rate: 0.001}");
    assertEquals(ExitCodes.OK, changed.code(), changed.toString());
    assertTrue(changed.output().contains("resuming with a change (--resume-with-changes): optimizer:"),
        changed.toString());
    assertTrue(changed.output().contains("its state (slots, update count) starts anew"), changed.toString());
    var newest = new CheckpointStore(tmp.resolve("ckpts").toUri(), new Configuration(), 50).latestValid(w -> { })
        .orElseThrow().checkpoint();
    assertEquals("Adam", newest.fingerprint().fields().path("optimizer").path("class_name").asText());
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), newest.fingerprint().classNames()
        .orElseThrow(), "the class names travel with the checkpoints");
    assertEquals(2, newest.epoch());
  }

  @Test
  void theRetrainGateRefusesNanPercentagesAndNegativeDropsBeforeAnything() throws IOException {
    Path models = tmp.resolve("models");
    for (String[] gate : new String[][] {{"--max-drop", "NaN", "--max-drop must be a fraction"},
        {"--min-accuracy", "99", "(a percentage? use 0.99)"}, {"--max-drop", "-0.1", "got -0.1"},
        {"--min-accuracy", "Infinity", "--min-accuracy must be an accuracy in [0, 1]"}}) {
      Cli.Result r = Cli.run("retrain", spec(50).toString(), "--models", models.toString(), gate[0], gate[1]);
      assertEquals(ExitCodes.USAGE, r.code(), r.toString());
      assertTrue(r.output().contains(gate[2]), r.toString());
      assertFalse(r.output().contains("Spark "), "refused before Spark starts: " + r);
      assertFalse(Files.exists(models), "nothing created");
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of("job.yaml"), s.map(p -> p.getFileName().toString()).toList());
    }
  }
}
