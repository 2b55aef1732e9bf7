package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMDB notebook's pipeline end to end in the Spark job (local[2], two workers averaging): token-id sequences as
 * JSON lines, padded and cut by {@code data.sequence}, an {@code Embedding} - {@code Conv1D} - {@code MaxPooling1D}
 * - {@code GlobalMaxPooling1D} - {@code Dense(1)} model with the linear output and {@code binary_crossentropy}, as in
 * the notebook. Synthetic reviews: a positive one contains the word-pair (7, 8) somewhere, a negative one does not;
 * the model must find it (test accuracy above 0.9 after 4 epochs).
 */
class TextModelTrainingTest {

  private static List<String> reviews(Random r, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean positive = i % 2 == 0;
      int len = 15 + r.nextInt(30);
      List<Integer> ids = new ArrayList<>();
      for (int t = 0; t < len; t++) {
        int id;
        do {
          id = 3 + r.nextInt(97);
        } while (id == 7 || id == 8);
        ids.add(id);
      }
      if (positive) {
        int at = r.nextInt(len - 1);
        ids.set(at, 7);
        ids.set(at + 1, 8);
      }
      lines.add("{\"features\": " + ids + ", \"label\": " + (positive ? 1 : 0) + "}");
    }
    return lines;
  }

  @Test
  void embeddingConv1dModelLearnsOnTwoWorkers(@TempDir Path tmp) throws Exception {
    Random r = new Random(4);
    Files.write(tmp.resolve("train.jsonl"), reviews(r, 800));
    Files.write(tmp.resolve("test.jsonl"), reviews(r, 200));
    Path spec = Files.writeString(tmp.resolve("imdb.yaml"), String.join("\n",
        "name: text-test",
        "model:",
        "  layers:",
        "    - {type: Embedding, input_dim: 100, output_dim: 16, input_length: 40}",
        "    - {type: Conv1D, filters: 16, kernel_size: 2, activation: relu}",
        "    - {type: MaxPooling1D, pool_size: 2}",
        "    - {type: Conv1D, filters: 16, kernel_size: 2, activation: relu, padding: causal}",
        "    - {type: GlobalMaxPooling1D}",
        "    - {type: Dense, units: 1}",
        "loss: binary_crossentropy",
        "optimizer: {type: rmsprop, learning_rate: 0.003}",
        "data:",
        "  type: json",
        "  path: \"" + tmp.resolve("train.jsonl") + "\"",
        "  test_path: \"" + tmp.resolve("test.jsonl") + "\"",
        "  label_mode: binary",
        "  sequence: {maxlen: 40, num_words: 100}",
        "training: {epochs: 4, batch_size: 20, workers: 2, averaging_frequency: 5, seed: 3, backend: java}",
        "checkpoint: {dir: \"" + tmp.resolve("ckpt") + "\"}",
        "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}",
        ""));
    Cli.Result res = Cli.run("train", spec.toString());
    assertEquals(0, res.code(), res.output());
    Matcher m = Pattern.compile("test accuracy ([0-9.]+)").matcher(res.output());
    assertTrue(m.find(), res.output());
    double accuracy = Double.parseDouble(m.group(1));
    assertTrue(accuracy > 0.9, "test accuracy " + accuracy + "\n" + res.output());
  }
}
