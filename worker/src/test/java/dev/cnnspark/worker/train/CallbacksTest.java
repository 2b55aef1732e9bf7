package dev.cnnspark.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras' callback semantics on hand-made epoch logs (Keras 2.15's EarlyStopping and ReduceLROnPlateau logic, traced by
 * hand in each comment), the schedules' values, the CSV file, and that the state taken mid-run and restored into a
 * fresh instance gives the same decisions as the uninterrupted instance.
 */
class CallbacksTest {

  private static Callbacks parse(String yaml) throws Exception {
    return Callbacks.parse(Json.MAPPER.readTree(yaml), "callbacks");
  }

  private static Map<String, Double> logs(double valLoss) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", valLoss + 0.1);
    m.put("val_loss", valLoss);
    return m;
  }

  private static ModelState weights(float v) {
    return new ModelState(new float[] {v}, new float[0], new float[0], new float[0], 0);
  }

  @Test
  void earlyStoppingWithPatienceRestoresTheBestEpoch() throws Exception {
    Callbacks c = parse("[{\"type\": \"EarlyStopping\", \"patience\": 2, \"restore_best_weights\": true}]");
    double[] valLoss = {1.0, 0.8, 0.9, 0.85, 0.7};
    // epoch 0: best 1.0; 1: 0.8 best; 2: wait 1; 3: wait 2 >= 2 -> stop, restore epoch 1's weights
    List<String> said = new ArrayList<>();
    Callbacks.Decision d = null;
    int e = 0;
    for (; e < valLoss.length; e++) {
      d = c.onEpochEnd(e, logs(valLoss[e]), 1f, weights(e), said::add);
      if (d.stop()) {
        break;
      }
    }
    assertEquals(3, e);
    assertEquals(1f, d.restore().params()[0], "the weights after epoch 2 (index 1)");
    assertTrue(c.stopped());
    assertTrue(said.get(said.size() - 1).contains("best epoch (2)"), said.toString());
  }

  @Test
  void earlyStoppingMinDeltaAndModeMax() throws Exception {
    Callbacks c = parse("[{\"type\": \"EarlyStopping\", \"monitor\": \"val_accuracy\", \"min_delta\": 0.01}]");
    // auto mode on an accuracy: max; 0.905 is not 0.01 above 0.9, so with patience 0 epoch 1 stops
    Map<String, Double> l = new LinkedHashMap<>(Map.of("val_accuracy", 0.9));
    assertFalse(c.onEpochEnd(0, l, 1f, weights(0), s -> { }).stop());
    assertTrue(c.onEpochEnd(1, Map.of("val_accuracy", 0.905), 1f, weights(1), s -> { }).stop());
  }

  @Test
  void reduceLrOnPlateauWithCooldownAndMinimum() throws Exception {
    Callbacks c = parse("[{\"type\": \"ReduceLROnPlateau\", \"factor\": 0.5, \"patience\": 1, \"cooldown\": 1, "
        + "\"min_lr\": 0.3}]");
    double[] valLoss = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    float[] expected = {1f, 1f, 0.5f, 0.5f, 0.3f, 0.3f}; // rate used in each epoch
    // epoch 0 improves (inf -> 1.0); 1: wait 1 >= 1 -> 0.5 from epoch 2, cooldown 1; 2: cooldown, wait 0;
    // 3: wait 1 -> max(0.25, 0.3) = 0.3 from epoch 4; 4: cooldown; 5: wait 1, but lr 0.3 is not above min_lr
    for (int e = 0; e < valLoss.length; e++) {
      float lr = c.learningRate(e, 1f);
      assertEquals(expected[e], lr, 1e-7, "epoch " + e);
      c.onEpochEnd(e, logs(valLoss[e]), lr, weights(e), s -> { });
    }
  }

  @Test
  void schedules() throws Exception {
    Callbacks step = parse("[{\"type\": \"LearningRateScheduler\", \"schedule\": \"step\", \"drop\": 0.5, "
        + "\"every\": 2}]");
    assertEquals(0.25f, step.learningRate(4, 1f), 1e-7);
    assertEquals(0.5f, step.learningRate(3, 1f), 1e-7);
    Callbacks exp = parse("[{\"type\": \"LearningRateScheduler\", \"schedule\": \"exponential\", \"rate\": 0.9}]");
    assertEquals(0.81f, exp.learningRate(2, 1f), 1e-6);
    Callbacks cos = parse("[{\"type\": \"LearningRateScheduler\", \"schedule\": \"cosine\", \"decay_epochs\": 6, "
        + "\"warmup_epochs\": 2, \"alpha\": 0.1}]");
    assertEquals(0.5f, cos.learningRate(0, 1f), 1e-7, "warm-up: 1/2");
    assertEquals(1f, cos.learningRate(2, 1f), 1e-7, "cosine starts at 1");
    assertEquals(0.55f, cos.learningRate(4, 1f), 1e-6, "half-way: alpha + (1 - alpha) / 2");
    assertEquals(0.1f, cos.learningRate(9, 1f), 1e-6, "after decay_epochs: alpha");
  }

  @Test
  void csvLoggerWritesKerasColumnsAndAppendsOnResume(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("h.csv");
    Callbacks c = parse("[{\"type\": \"CSVLogger\", \"filename\": \"" + f + "\"}]");
    c.onEpochEnd(0, logs(1.0), 1f, weights(0), s -> { });
    c.onEpochEnd(1, logs(0.5), 1f, weights(1), s -> { });
    assertEquals(List.of("epoch,loss,val_loss", "0,1.1,1.0", "1,0.6,0.5"), Files.readAllLines(f));
    // Keras sorts the columns by name, whatever order the logs come in
    Path g = tmp.resolve("g.csv");
    Callbacks sorted = parse("[{\"type\": \"CSVLogger\", \"filename\": \"" + g + "\"}]");
    Map<String, Double> unsorted = new java.util.LinkedHashMap<>();
    unsorted.put("val_loss", 0.5);
    unsorted.put("loss", 0.6);
    unsorted.put("accuracy", 0.9);
    sorted.onEpochEnd(0, unsorted, 1f, weights(0), s -> { });
    assertEquals(List.of("epoch,accuracy,loss,val_loss", "0,0.9,0.6,0.5"), Files.readAllLines(g));
  }

  @Test
  void stateRestoredMidRunDecidesAsTheUninterruptedRun() throws Exception {
    String cfg = "[{\"type\": \"EarlyStopping\", \"patience\": 3, \"restore_best_weights\": true}, "
        + "{\"type\": \"ReduceLROnPlateau\", \"factor\": 0.5, \"patience\": 1}]";
    double[] valLoss = {1.0, 0.9, 0.95, 0.97, 0.99, 0.98, 1.2};
    Callbacks straight = parse(cfg);
    List<String> a = run(straight, valLoss, 0, valLoss.length);
    Callbacks first = parse(cfg);
    List<String> b = new ArrayList<>(run(first, valLoss, 0, 3));
    JsonNode state = Json.MAPPER.readTree(first.state().toString());
    ModelState best = first.bestWeights();
    assertNotNull(best);
    Callbacks resumed = parse(cfg);
    resumed.restore(state, best);
    assertSame(best, resumed.bestWeights());
    b.addAll(run(resumed, valLoss, 3, valLoss.length));
    assertEquals(a, b);
  }

  /** Epochs [from, to): each epoch's rate and decision, as text. */
  private static List<String> run(Callbacks c, double[] valLoss, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int e = from; e < to && !c.stopped(); e++) {
      float lr = c.learningRate(e, 1f);
      Callbacks.Decision d = c.onEpochEnd(e, logs(valLoss[e]), lr, weights(e), s -> { });
      out.add(e + ": lr " + lr + " stop " + d.stop() + " restore " + (d.restore() == null ? "-"
          : d.restore().params()[0]));
    }
    return out;
  }

  @Test
  void mistakesAreNamed() {
    assertThrows(IllegalArgumentException.class, () -> parse("[{\"type\": \"EarlyStoping\"}]"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("[{\"type\": "
        + "\"ReduceLROnPlateau\", \"factor\": 2}]"));
    assertTrue(e.getMessage().contains("'factor' must be in (0, 1), got 2.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("[{\"type\": \"EarlyStopping\", \"baseline\": 0.5}]"));
    assertTrue(e.getMessage().contains("'baseline' is not supported"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("[{\"type\": \"LearningRateScheduler\", "
        + "\"schedule\": \"lambda epoch: 0.1\"}]"));
    assertTrue(e.getMessage().contains("'schedule' must be step, exponential or cosine"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("[{\"type\": \"ReduceLROnPlateau\"}, {\"type\": "
        + "\"LearningRateScheduler\", \"schedule\": \"step\"}]"));
    assertTrue(e.getMessage().contains("both set the learning rate"), e.getMessage());
  }

  /** In {@code fit}: EarlyStopping with restore_best_weights ends on the weights of a one-epoch fit, bit for bit. */
  @Test
  void fitStopsEarlyAndRestoresTheBestEpoch() throws Exception {
    dev.cnnspark.worker.data.Dataset data = dev.cnnspark.worker.MnistData.get().train().take(512);
    float[][] params = new float[2][];
    History[] histories = new History[2];
    for (int run = 0; run < 2; run++) {
      try (dev.cnnspark.kernels.cpu.JavaBackend b = new dev.cnnspark.kernels.cpu.JavaBackend(1);
           dev.cnnspark.worker.model.Sequential m = dev.cnnspark.worker.model.Presets.tinyCnn()) {
        m.compile(new dev.cnnspark.worker.optimizers.Adam(), dev.cnnspark.worker.model.Loss.CATEGORICAL_CROSSENTROPY);
        m.useBackend(b);
        FitOptions o = new FitOptions().batchSize(64).epochs(run == 0 ? 5 : 1).seed(3).verbose(0);
        if (run == 0) {
          o.callbacks(parse("[{\"type\": \"EarlyStopping\", \"monitor\": \"loss\", \"min_delta\": 5, "
              + "\"patience\": 1, \"restore_best_weights\": true}]"));
        }
        histories[run] = m.fit(data, o);
        params[run] = m.state().params();
      }
    }
    assertEquals(2, histories[0].epochs().size(), "stopped after the second epoch");
    org.junit.jupiter.api.Assertions.assertArrayEquals(params[1], params[0], "restored to the first epoch's weights");
  }
}
