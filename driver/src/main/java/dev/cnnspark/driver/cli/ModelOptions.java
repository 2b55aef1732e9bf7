package dev.cnnspark.driver.cli;

import picocli.CommandLine.Option;

/** The options of the commands that run a trained model ({@code predict}, {@code evaluate}). */
public final class ModelOptions {
  @Option(names = "--model", required = true, description = "A weights file, a checkpoint file or directory, a "
      + "retraining model directory (its current version), or a Keras .keras/.h5 file.")
  String model;

  @Option(names = "--part", description = "test (default when the data has one) or train")
  String part;
}
