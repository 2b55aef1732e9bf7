package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.data.ClassSelection;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.Writers;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.WriteProbe;
import dev.cnnspark.worker.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnnspark convert}: writes the spec's data (any source, limits applied) in another format, e.g. MNIST as
 * PNG image folders, a NumPy archive or CIFAR-style batches, so the same job can be trained from each.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Write the spec's data (training and test parts) as image folders, a .npz archive, Parquet or CSV "
        + "tables, or CIFAR-10 binary batches.")
public final class ConvertCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Option(names = "--to", required = true, description = "image_folder, npz, parquet, csv or cifar10")
  String to;

  @Option(names = "--output", required = true, description = "Directory (image_folder, parquet, csv: train/ and "
      + "test/ under it; cifar10) or .npz file.")
  Path output;

  @Option(names = "--float32", description = "npz: write the inputs as float32 (default: uint8 pixels).")
  boolean floats;

  @Option(names = "--classes", description = "Keep, rename or merge classes: old=new,... or names; *=name takes "
      + "the rest (e.g. 6=six,*=not_six).")
  String classes;

  @Option(names = "--per-class", description = "With --classes: at most N training examples of each new class "
      + "(the first ones; default: all).")
  int perClass;

  @Override
  public Integer call() throws Exception {
    if (!List.of("image_folder", "npz", "parquet", "csv", "cifar10").contains(to)) {
      throw new IllegalArgumentException("--to must be image_folder, npz, parquet, csv or cifar10, got '" + to + "'");
    }
    JobSpec spec = options.load();
    Configuration conf = new Configuration();
    if (to.equals("npz")) {
      WriteProbe.outputFile(output, "--output");
    } else {
      WriteProbe.directory(output.toAbsolutePath().toUri(), conf, "--output");
    }
    DataPlan plan = DataPlan.of(spec, conf, System.out::println);
    DataPlan whole = new DataPlan(plan.source(), plan.info(), 0);
    if (perClass < 0 || (perClass > 0 && classes == null)) {
      throw new IllegalArgumentException("--per-class must be positive and needs --classes");
    }
    Dataset train = whole.all(DataPlan.Use.TRAIN, conf);
    Dataset test = whole.count(DataPlan.Use.TEST) > 0 ? whole.all(DataPlan.Use.TEST, conf) : null;
    List<String> names = plan.info().classNames();
    if (classes != null) {
      ClassSelection selection = ClassSelection.parse(classes);
      train = selection.apply(train, names, perClass);
      test = test == null ? null : selection.apply(test, names, 0);
      names = selection.names();
    }
    List<Writers.Part> parts = new ArrayList<>(List.of(new Writers.Part("train", train)));
    if (test != null) {
      parts.add(new Writers.Part("test", test));
    }
    switch (to) {
      case "image_folder" -> Writers.imageFolders(output, parts, names);
      case "npz" -> Writers.npz(output, parts, floats);
      case "parquet" -> Writers.parquet(output, parts);
      case "csv" -> Writers.csv(output, parts);
      default -> {
        if (test == null) {
          throw new IllegalArgumentException("--to cifar10 needs a test part; the data has none");
        }
        Writers.cifar10(output, train, test, names);
      }
    }
    System.out.printf("wrote %,d training%s examples of %s from %s %s as %s to %s%n", train.count(),
        test == null ? "" : String.format(" and %,d test", test.count()), plan.info().shape(), plan.source().type(),
        plan.source().location(), to, output.toAbsolutePath());
    return ExitCodes.OK;
  }
}
