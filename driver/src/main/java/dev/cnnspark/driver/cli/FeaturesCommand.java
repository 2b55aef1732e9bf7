package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.Writers;
import dev.cnnspark.driver.rounds.FeatureTask;
import dev.cnnspark.driver.rounds.ShardSource;
import dev.cnnspark.driver.serve.TrainedModel;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.WriteProbe;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.layers.Layer;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnnspark features}: feature extraction, the first step of the course's transfer learning. The spec's model
 * (with {@code model.weights}, typically a frozen pretrained base) is cut after one layer and run once over the
 * training and test data on the cluster, one shard per worker; the outputs and labels are written as a {@code .npz}
 * archive ({@code x_train, y_train, x_test, y_test}) that a small head then trains on ({@code data.type: npz}).
 */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Run the spec's model, cut after a layer, over its data on the cluster and write the outputs "
        + "(features) and labels as a .npz archive.")
public final class FeaturesCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Option(names = "--up-to", description = "The last layer of the base (default: model.freeze_up_to, else the last "
      + "frozen layer, else the whole model).")
  String upTo;

  @Option(names = "--output", required = true, description = "The .npz file to write.")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!output.getFileName().toString().endsWith(".npz")) {
      throw new IllegalArgumentException("--output must be a .npz file, got " + output);
    }
    JobSpec spec = options.load();
    WriteProbe.outputFile(output, "--output");
    TrainedModel base;
    Shape featureShape;
    try (Sequential model = spec.buildModel().seed(spec.seed())) {
      model.compile(spec.buildOptimizer(), spec.buildLoss());
      spec.loadInitialWeights(model, System.out::println);
      int last = lastLayer(spec, model);
      Sequential cut = new Sequential(model.name() + "_base");
      for (int i = 0; i <= last; i++) {
        cut.add(dev.cnnspark.worker.model.LayerConfig.fromJson(model.config().path("config").path("layers").get(i),
            "model.layers[" + i + "]", true));
      }
      ModelLayout l = model.layout();
      int params = last + 1 < l.paramOffsets().length ? l.paramOffsets()[last + 1] : l.params();
      int moving = last + 1 < l.movingOffsets().length ? l.movingOffsets()[last + 1] : l.moving();
      ModelState s = model.state();
      base = new TrainedModel(model.name() + " up to " + model.layers().get(last).name(), cut.config().toString(),
          Arrays.copyOf(s.params(), params), Arrays.copyOf(s.moving(), moving), List.of());
      featureShape = l.outputs().get(last);
      System.out.printf("features: the model up to layer '%s' (%s, %,d parameters), output %s%n",
          model.layers().get(last).name(), model.layers().get(last).type(), params + moving, featureShape);
    }
    try (JavaSparkContext sc = SparkSetup.context(spec, options.waitSeconds * 1000L)) {
      DataPlan plan = DataPlan.of(spec, sc.hadoopConfiguration(), System.out::println);
      Broadcast<java.util.HashMap<String, String>> conf = sc.broadcast(ShardSource.hadoopConf(
          sc.hadoopConfiguration()));
      Broadcast<TrainedModel> state = sc.broadcast(base);
      FeatureTask task = new FeatureTask(state, spec.backend().id(), spec.threadsPerWorker(),
          Math.max(spec.batchSize(), 64));
      List<Writers.Part> parts = new ArrayList<>();
      for (DataPlan.Use use : new DataPlan.Use[] {DataPlan.Use.TRAIN, DataPlan.Use.TEST}) {
        if (plan.count(use) == 0) {
          continue;
        }
        sc.setJobDescription(spec.name() + ": features of the " + use.name().toLowerCase() + " part");
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < spec.workers(); p++) {
          ids.add(p);
        }
        List<FeatureTask.Part> got = sc.parallelize(ids, spec.workers())
            .map(new ShardSource(plan, conf, use, spec.workers(), spec.seed())).map(task).collect();
        parts.add(new Writers.Part(use == DataPlan.Use.TRAIN ? "train" : "test", concat(got, featureShape,
            plan.info().labelWidth())));
      }
      state.destroy();
      Writers.npz(output, parts, true);
      System.out.printf("wrote %s: %s%n", output.toAbsolutePath(), parts.stream().map(p -> String.format("%s %,d x "
          + "%s", p.name(), p.data().count(), featureShape)).toList());
    }
    return ExitCodes.OK;
  }

  /** The index of the base's last layer. */
  private int lastLayer(JobSpec spec, Sequential model) {
    String name = upTo != null ? upTo : spec.modelNode().path("freeze_up_to").asText(null);
    List<Layer> layers = model.layers();
    if (name == null) {
      for (int i = layers.size() - 1; i >= 0; i--) {
        if (!layers.get(i).trainable()) {
          return i;
        }
      }
      return layers.size() - 1;
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("--up-to: the model has no layer '" + name + "' (its layers: "
        + layers.stream().map(Layer::name).toList() + ")");
  }

  private static Dataset concat(List<FeatureTask.Part> parts, Shape shape, int labelWidth) {
    int n = parts.stream().mapToInt(FeatureTask.Part::count).sum();
    float[] x = new float[n * shape.size()];
    float[] y = new float[n * labelWidth];
    int at = 0;
    for (FeatureTask.Part p : parts) {
      System.arraycopy(p.x(), 0, x, at * shape.size(), p.x().length);
      System.arraycopy(p.y(), 0, y, at * labelWidth, p.y().length);
      at += p.count();
    }
    return new Dataset(x, y, shape, labelWidth, n);
  }
}
