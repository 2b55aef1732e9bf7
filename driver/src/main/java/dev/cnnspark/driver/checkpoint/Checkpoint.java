package dev.cnnspark.driver.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.io.StateFile;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.train.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a job exactly where it stopped: the job spec, the model and optimizer configs, the
 * flat parameters, moving statistics and optimizer slots with the update count, the position (next epoch and round
 * to run), the RNG state, the metrics history and the best monitored value so far.
 *
 * <p>The RNG state is the job seed: every random draw (initial weights, the shard assignment, each epoch's order,
 * dropout masks) is a pure function of (seed, epoch, partition, step), so seed plus position reproduce the stream.
 * {@code callbacksJson}/{@code callbackWeights} (the callbacks' state) and {@code blockMomentum} (the running block
 * update of {@code training.averaging.block_momentum}) are null when the run has none.
 */
public record Checkpoint(String specJson, String modelJson, String optimizerJson, ModelState state, int epoch,
                         int round, long globalRound, long seed, History history, String bestMetric,
                         double bestValue, EpochSums epochSums, RunFingerprint fingerprint, String callbacksJson,
                         ModelState callbackWeights, float[] blockMomentum) {

  /** A checkpoint of a run without callbacks. */
  public Checkpoint(String specJson, String modelJson, String optimizerJson, ModelState state, int epoch, int round,
                    long globalRound, long seed, History history, String bestMetric, double bestValue,
                    EpochSums epochSums, RunFingerprint fingerprint) {
    this(specJson, modelJson, optimizerJson, state, epoch, round, globalRound, seed, history, bestMetric, bestValue,
        epochSums, fingerprint, null, null, null);
  }

  /** Loss and accuracy sums of the rounds already run in the current epoch (zero at an epoch boundary). */
  public record EpochSums(double lossSum, double correctSum, long examples) {
    public static final EpochSums ZERO = new EpochSums(0, 0, 0);
  }

  /** The next round to run is (epoch, round); {@code round == 0} is an epoch boundary. */
  public String position() {
    return "epoch " + (epoch + 1) + ", round " + (round + 1) + " (global round " + globalRound + ")";
  }

  StateFile toStateFile() {
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.put("kind", "checkpoint");
    meta.put("format", StateFile.VERSION);
    meta.put("created", Instant.now().toString());
    ObjectNode progress = meta.putObject("progress");
    progress.put("epoch", epoch);
    progress.put("round", round);
    progress.put("global_round", globalRound);
    progress.put("epoch_loss_sum", epochSums.lossSum());
    progress.put("epoch_correct_sum", epochSums.correctSum());
    progress.put("epoch_examples", epochSums.examples());
    ObjectNode rng = meta.putObject("rng");
    rng.put("seed", seed);
    rng.put("derivation", "splitmix64 of (seed, epoch, partition, step); see RoundTask.partitionSeed");
    ObjectNode best = meta.putObject("best");
    best.put("metric", bestMetric);
    best.put("value", bestValue);
    ObjectNode optimizer = JsonNodeFactory.instance.objectNode();
    optimizer.put("iterations", state.iterations());
    try {
      optimizer.set("config", Json.MAPPER.readTree(optimizerJson));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode hist = JsonNodeFactory.instance.objectNode();
    hist.set("epochs", Json.MAPPER.valueToTree(history.epochs()));
    hist.set("values", Json.MAPPER.valueToTree(history.asMap()));
    StateFile f = new StateFile()
        .putJson("meta", meta.toString())
        .putJson("fingerprint", fingerprint.toJson())
        .putJson("spec", specJson)
        .putJson("model", modelJson)
        .putJson("optimizer", optimizer.toString())
        .putJson("history", hist.toString())
        .putFloats("params", state.params())
        .putFloats("moving", state.moving())
        .putFloats("opt1", state.opt1())
        .putFloats("opt2", state.opt2());
    if (callbacksJson != null) {
      f.putJson("callbacks", callbacksJson);
    }
    if (callbackWeights != null) {
      f.putFloats("callback_params", callbackWeights.params()).putFloats("callback_moving", callbackWeights.moving());
    }
    if (blockMomentum != null) {
      f.putFloats("block_momentum", blockMomentum);
    }
    return f;
  }

  static Checkpoint fromStateFile(StateFile f) throws IOException {
    JsonNode meta = Json.MAPPER.readTree(f.json("meta"));
    JsonNode optimizer = Json.MAPPER.readTree(f.json("optimizer"));
    JsonNode hist = Json.MAPPER.readTree(f.json("history"));
    List<Integer> epochs = new ArrayList<>();
    hist.path("epochs").forEach(e -> epochs.add(e.asInt()));
    Map<String, List<Double>> values = new LinkedHashMap<>();
    hist.path("values").properties().forEach(e -> {
      List<Double> v = new ArrayList<>();
      e.getValue().forEach(x -> v.add(x.asDouble()));
      values.put(e.getKey(), v);
    });
    ModelState state = new ModelState(f.floats("params"), f.floats("moving"), f.floats("opt1"), f.floats("opt2"),
        optimizer.path("iterations").asLong());
    JsonNode p = meta.path("progress");
    return new Checkpoint(f.json("spec"), f.json("model"), optimizer.path("config").toString(), state,
        p.path("epoch").asInt(), p.path("round").asInt(), p.path("global_round").asLong(),
        meta.path("rng").path("seed").asLong(), History.fromMap(epochs, values),
        meta.path("best").path("metric").asText(), meta.path("best").path("value").asDouble(Double.NaN),
        new EpochSums(p.path("epoch_loss_sum").asDouble(), p.path("epoch_correct_sum").asDouble(),
            p.path("epoch_examples").asLong()),
        RunFingerprint.of(f.has("fingerprint") ? f.json("fingerprint") : null, f.json("spec"), f.json("model"),
            optimizer.path("config").toString()),
        f.has("callbacks") ? f.json("callbacks") : null,
        f.has("callback_params") ? new ModelState(f.floats("callback_params"), f.floats("callback_moving"),
            new float[0], new float[0], 0) : null,
        f.has("block_momentum") ? f.floats("block_momentum") : null);
  }
}
