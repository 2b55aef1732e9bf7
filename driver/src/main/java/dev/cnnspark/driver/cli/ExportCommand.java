package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.keras.KerasExport;
import dev.cnnspark.worker.io.StateFile;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.SGD;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnnspark export}: a weights file of this trainer as Keras 3 files. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Write a trained model (a weights file of fit --output or of a published model) as a Keras 3 "
        + ".keras zip or .weights.h5 file.")
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "The weights file (config and weights of a model).")
  Path weights;

  @Option(names = "--output", required = true, description = "model.keras (config and weights) or "
      + "model.weights.h5 (weights only, Keras 3 layout).")
  Path output;

  @Override
  public Integer call() throws Exception {
    String name = output.getFileName().toString();
    if (!name.endsWith(".keras") && !name.endsWith(".weights.h5")) {
      throw new IllegalArgumentException("--output must end in .keras or .weights.h5, got " + output);
    }
    StateFile f;
    try (InputStream in = Files.newInputStream(weights)) {
      f = StateFile.read(in, weights.toString());
    }
    try (Sequential m = Sequential.fromConfig(Json.MAPPER.readTree(f.json("model")))) {
      m.compile(new SGD(), m.layout().output().size() == 1 ? Loss.BINARY_CROSSENTROPY
          : Loss.CATEGORICAL_CROSSENTROPY);
      ModelState s = m.state();
      m.setState(new ModelState(f.floats("params"), f.floats("moving"), s.opt1(), s.opt2(), 0));
      KerasExport.write(m, output);
      System.out.printf("wrote %s (%,d parameters, %d layers) from %s%n", output.toAbsolutePath(),
          m.layout().params() + m.layout().moving(), m.layers().size(), weights);
    }
    return ExitCodes.OK;
  }
}
