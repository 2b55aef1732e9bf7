package dev.cnnspark.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a train run shows what Keras shows: per epoch, the epoch line, the progress bar and its final line,
 * the best-model and checkpoint notes (at most ~15 lines); the per-round and per-task lines go to the run's
 * {@code cnnspark.log} (beside the checkpoints), and to the console as well with {@code --verbose}.
 */
class QuietConsoleTest {

  private static Cli.Result train(Path run, boolean verbose) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--data", Cli.mnistDir(), "--train-limit", "1200",
        "--test-limit", "200", "--epochs", "2", "--checkpoint-dir", run.resolve("checkpoints").toString(),
        "--set", "spark.conf={spark.ui.enabled: \"false\"}"));
    if (verbose) {
      args.add("--verbose");
    }
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.output());
    return r;
  }

  @Test
  void quietByDefaultVerboseOnAskAndTheLogFileAlways(@TempDir Path tmp) throws Exception {
    Cli.Result quiet = train(tmp.resolve("quiet"), false);
    String out = quiet.output();
    int epoch1 = out.indexOf("Epoch 1/2");
    int epoch2 = out.indexOf("Epoch 2/2");
    assertTrue(epoch1 >= 0 && epoch2 > epoch1, out);
    long lines = out.substring(epoch1, epoch2).lines().count();
    assertTrue(lines <= 15, "an epoch took " + lines + " console lines:\n" + out);
    assertTrue(out.substring(epoch1, epoch2).contains("val_accuracy"), out);
    assertTrue(out.contains("checkpoint ckpt-"), "the checkpoint note shows: " + out);
    assertFalse(out.contains("round 1/"), "no per-round lines by default: " + out);
    assertFalse(out.contains("RoundTask"), "no per-task lines by default: " + out);
    String log = Files.readString(tmp.resolve("quiet").resolve("cnnspark.log"));
    assertTrue(log.contains("epoch 1 round 1/") && log.contains("RoundTask"), "the run's log has them: " + log);

    Cli.Result verbose = train(tmp.resolve("verbose"), true);
    assertTrue(verbose.output().contains("epoch 1 round 1/"), "--verbose shows the rounds: " + verbose.output());
    // the next command is quiet again
    Cli.Result again = train(tmp.resolve("again"), false);
    assertFalse(again.output().contains("round 1/"), again.output());
  }
}
