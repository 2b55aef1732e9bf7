package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spec.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example spec in {@code deploy/examples/} validates and fits its data: each is loaded as a user would, its
 * locations pointed at small data of its own type made here (MNIST's first examples as PNG folders, Parquet, .npz;
 * the MNIST IDX directory for the IDX sets; synthetic CIFAR batches), then the data is described and checked against
 * the model (shapes, classes, memory).
 */
class ExampleSpecsTest {
  @TempDir
  static Path tmp;
  static Path png;
  static Path parquet;
  static Path npz;
  static Path cifar;
  static Path csv;

  @BeforeAll
  static void data() throws IOException {
    DataSourcesTest.readMnist();
    List<Writers.Part> parts = List.of(new Writers.Part("train", DataSourcesTest.train),
        new Writers.Part("test", DataSourcesTest.test));
    png = tmp.resolve("png");
    Writers.imageFolders(png, parts, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    parquet = tmp.resolve("parquet");
    Writers.parquet(parquet, parts);
    npz = tmp.resolve("mnist.npz");
    Writers.npz(npz, parts, false);
    cifar = DataSourcesTest.cifar10(tmp.resolve("cifar"), 100);
    csv = tmp.resolve("csv");
    Writers.csv(csv, parts);
  }

  @TestFactory
  Stream<DynamicTest> examples() throws IOException {
    Path dir = Path.of(System.getProperty("cnnspark.examples.dir", "../deploy/examples"));
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 9, "examples found: " + files);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      JobSpec raw = JobSpec.load(f, Map.of());
      Map<String, String> o = new LinkedHashMap<>();
      o.put("checkpoint.dir", JobSpec.literal(tmp.resolve("ckpt-" + f.getFileName())));
      switch (raw.dataType()) {
        case "mnist", "idx" -> o.put("data.path", JobSpec.literal(DataSourcesTest.mnist()));
        case "image_folder" -> {
          o.put("data.path", JobSpec.literal(png.resolve("train")));
          o.put("data.test_path", JobSpec.literal(png.resolve("test")));
        }
        case "parquet" -> {
          o.put("data.path", JobSpec.literal(parquet.resolve("train")));
          o.put("data.test_path", JobSpec.literal(parquet.resolve("test")));
        }
        case "npz" -> o.put("data.path", JobSpec.literal(npz));
        case "csv" -> {
          o.put("data.path", JobSpec.literal(csv.resolve("train")));
          o.put("data.test_path", JobSpec.literal(csv.resolve("test")));
        }
        case "cifar10" -> o.put("data.path", JobSpec.literal(cifar));
        default -> throw new AssertionError("an example of a type this test cannot feed: " + raw.dataType());
      }
      o.put("data.train_limit", "300");
      o.put("data.test_limit", "100");
      JobSpec spec = JobSpec.load(f, o).validate();
      DataPlan plan = DataPlan.of(spec, DataSourcesTest.CONF, s -> { });
      assertEquals(List.of(), DataChecks.problems(spec, plan.info()));
      if (f.getFileName().toString().startsWith("fashion")) {
        assertEquals("Ankle boot", plan.info().classNames().get(9));
      }
    }));
  }
}
