package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.keras.KerasExport;
import dev.cnnspark.driver.serve.TrainedModel;
import dev.cnnspark.worker.model.Sequential;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnnspark export}: a trained model of this trainer (anything {@link TrainedModel#load} reads) as Keras 3 files. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a trained model (a weights file of fit --output, a checkpoint, a published model) as a "
        + "Keras 3 .keras zip or .weights.h5 file.")
public final class ExportCommand implements Callable<Integer> {
  @Option(names = {"--model", "--weights"}, required = true, description = "The trained model: a weights file, a "
      + "checkpoint file or directory, or a retraining model directory (its current version).")
  String weights;

  @Option(names = "--output", required = true, description = "model.keras (config and weights) or "
      + "model.weights.h5 (weights only, Keras 3 layout).")
  Path output;

  @Override
  public Integer call() throws Exception {
    String name = output.getFileName().toString();
    if (!name.endsWith(".keras") && !name.endsWith(".weights.h5")) {
      throw new IllegalArgumentException("--output must end in .keras or .weights.h5, got " + output);
    }
    TrainedModel trained = TrainedModel.load(weights, new org.apache.hadoop.conf.Configuration());
    try (Sequential m = trained.build(null)) {
      KerasExport.write(m, output);
      System.out.printf("wrote %s (%,d parameters, %d layers) from %s%n", output.toAbsolutePath(),
          m.layout().params() + m.layout().moving(), m.layers().size(), trained.source());
    }
    return ExitCodes.OK;
  }
}
