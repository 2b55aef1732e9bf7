package dev.cnnspark.driver.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.driver.rounds.Averaging;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a checkpoint means: the settings under which its weights and position were reached. Resuming under other
 * settings silently would mix two runs in one directory (the checkpoint would then claim an optimizer or seed it
 * was not trained with), so {@link DistributedTraining} refuses a difference unless the user asks to continue with
 * changes. Stored in every checkpoint; for a checkpoint written before it existed, derived from the stored spec.
 *
 * <pre>
 * model        the layers (never changeable: the weights would not fit)
 * optimizer    type and every setting (a new type starts with fresh optimizer state)
 * loss, seed
 * workers, batch_size, averaging_frequency     how an epoch is cut into rounds
 * averaging    the remedies (optimizer state, block momentum, learning-rate scaling), when not plain
 * data         type, resolved location, train_limit, test_limit
 * augmentation none, or its settings
 * classes      the data's class names in label order
 * validation   source, split
 * </pre>
 */
public record RunFingerprint(ObjectNode fields) {
  /** Fields whose change alters how an epoch is cut into rounds, so a position inside an epoch loses its meaning. */
  /** Fields recorded only since a later version: a checkpoint without them cannot be compared on them. */
  private static final Set<String> LATER = Set.of("augmentation", "classes");
  private static final Set<String> PARTITIONING = Set.of("seed", "workers", "batch_size", "averaging_frequency",
      "data", "validation");

  public static RunFingerprint of(JobSpec spec, String modelJson, String optimizerJson, String dataLocation) {
    return of(spec, modelJson, optimizerJson, dataLocation, null);
  }

  /** @param classNames the data's classes in label order (they travel with the checkpoints), or null */
  public static RunFingerprint of(JobSpec spec, String modelJson, String optimizerJson, String dataLocation,
                                  List<String> classNames) {
    ObjectNode f = Json.MAPPER.createObjectNode();
    f.set("model", tree(modelJson));
    f.set("optimizer", tree(optimizerJson));
    f.put("loss", spec.lossName());
    f.put("seed", spec.seed());
    f.put("workers", spec.workers());
    f.put("batch_size", spec.batchSize());
    f.put("averaging_frequency", spec.averagingFrequency());
    Averaging averaging = spec.averaging();
    if (!averaging.isPlain()) { // absent when plain: checkpoints from before it existed still compare
      ObjectNode a = f.putObject("averaging");
      a.put("optimizer_state", averaging.resetOptimizerState() ? "reset" : "average");
      a.put("block_momentum", averaging.blockMomentum());
      a.put("lr_scaling", averaging.linearLrScaling() ? "linear" : "none");
      a.put("warmup_epochs", averaging.warmupEpochs());
    }
    ObjectNode data = f.putObject("data");
    data.put("type", spec.dataType());
    data.put("location", dataLocation);
    data.put("train_limit", spec.trainLimit());
    data.put("test_limit", spec.testLimit());
    f.put("augmentation", spec.augmentation().toString()); // "none" for specs written before it existed
    if (classNames != null) {
      f.set("classes", Json.MAPPER.valueToTree(classNames));
    }
    ObjectNode validation = f.putObject("validation");
    validation.put("source", spec.validationSource());
    validation.put("split", spec.validationSource().equals("split") ? spec.validationSplit() : 0);
    if (spec.validationSource().equals("data")) {
      validation.put("path", spec.validationPath());
    }
    if (spec.validationSource().equals("split") && spec.validationStratified()) {
      validation.put("stratify", true); // absent when false: checkpoints from before it existed still compare
    }
    return new RunFingerprint((ObjectNode) tree(f.toString())); // as read back: the same node types as stored
  }

  /** A checkpoint's fingerprint from what it stores (older checkpoints: from their spec, the data path as typed). */
  static RunFingerprint of(String storedJson, String specJson, String modelJson, String optimizerJson) {
    if (storedJson != null && !storedJson.isBlank()) {
      return new RunFingerprint((ObjectNode) tree(storedJson));
    }
    JobSpec spec = JobSpec.fromStored(specJson);
    return of(spec, modelJson, optimizerJson, spec.dataPath());
  }

  /** The class names the checkpoint's model was trained on, when recorded. */
  public java.util.Optional<List<String>> classNames() {
    if (!fields.has("classes")) {
      return java.util.Optional.empty();
    }
    List<String> names = new ArrayList<>();
    fields.get("classes").forEach(n -> names.add(n.asText()));
    return java.util.Optional.of(names);
  }

  public String toJson() {
    return fields.toString();
  }

  /** Each difference from the checkpoint's fingerprint to {@code now}, as "field: then -> now"; empty if equal. */
  public List<String> differences(RunFingerprint now) {
    List<String> d = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : now.fields.properties()) {
      JsonNode then = fields.get(e.getKey());
      if (then == null && LATER.contains(e.getKey())) {
        continue; // a checkpoint written before the field was recorded
      }
      if (then == null || !then.equals(e.getValue())) {
        d.add(e.getKey() + ": " + (e.getKey().equals("model") ? "the layers differ"
            : (then == null ? "(not recorded)" : then) + " -> " + e.getValue()));
      }
    }
    return d;
  }

  public boolean modelDiffers(RunFingerprint now) {
    return !fields.path("model").equals(now.fields.path("model"));
  }

  /** Whether the optimizer's type changed (its state then means nothing to the new one). */
  public boolean optimizerTypeDiffers(RunFingerprint now) {
    return !fields.path("optimizer").path("class_name").equals(now.fields.path("optimizer").path("class_name"));
  }

  /** Whether epochs are cut into rounds differently now (a position inside an epoch then names other rounds). */
  public boolean partitioningDiffers(RunFingerprint now) {
    return PARTITIONING.stream().anyMatch(k -> !fields.path(k).equals(now.fields.path(k)));
  }

  private static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
