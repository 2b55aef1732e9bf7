package dev.cnnspark.driver.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.data.MnistFiles;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The registry of data formats: the one place that maps the spec's {@code data.type} to a {@link DataSource}. Every
 * source reads through the Hadoop FileSystem API, so a path may be {@code file://}, {@code hdfs://}, {@code s3a://}
 * or anything else Hadoop has a connector for on the classpath; a plain path is local. A new format is one class and
 * one line here.
 */
public final class DataSources {
  private DataSources() {
  }

  /** The source a spec's data section names; an empty MNIST or CIFAR path finds (or downloads) a local copy. */
  public static DataSource resolve(JobSpec spec, Consumer<String> log) throws IOException {
    JsonNode d = spec.dataNode();
    String type = spec.dataType();
    String path = spec.dataPath();
    List<String> classes = strings(d.path("class_names"));
    boolean binary = d.path("label_mode").asText("categorical").equals("binary");
    Rescale rescale = Rescale.parse(d.path("rescale").asText("auto"));
    JsonNode q = d.path("sequence");
    Sequences sequences = new Sequences(q.path("maxlen").asInt(0), q.path("padding").asText("pre").equals("pre"),
        q.path("truncating").asText("pre").equals("pre"), q.path("value").asDouble(0), q.path("num_words").asInt(0),
        q.path("oov").asInt(2));
    return switch (type) {
      case "mnist", "idx" -> {
        URI dir = path.isBlank() && type.equals("mnist")
            ? MnistFiles.locate(null, log).toAbsolutePath().normalize().toUri() : Locations.toUri(path);
        JsonNode f = d.path("files");
        String[] files = {f.path("train_images").asText(Mnist.TRAIN_IMAGES),
            f.path("train_labels").asText(Mnist.TRAIN_LABELS), f.path("test_images").asText(Mnist.TEST_IMAGES),
            f.path("test_labels").asText(Mnist.TEST_LABELS)};
        if (type.equals("mnist")) {
          files = new String[] {Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES, Mnist.TEST_LABELS};
          if (classes.isEmpty()) {
            classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
          }
        }
        int[] mnistSize = type.equals("mnist") ? new int[] {28, 28} : null;
        yield new IdxSource(type, dir, files, classes, binary, rescale, mnistSize);
      }
      case "image_folder" -> {
        String testPath = d.path("test_path").asText("");
        yield new ImageFolderSource(Locations.toUri(path), testPath.isBlank() ? null : Locations.toUri(testPath),
            classes, imageSize(d), d.path("color_mode").asText("rgb"), binary,
            d.path("label_mode").asText("").equals("none"), rescale);
      }
      case "npz" -> {
        Map<String, String> arrays = new LinkedHashMap<>();
        for (String k : new String[] {"x_train", "y_train", "x_test", "y_test"}) {
          arrays.put(k, d.path("arrays").path(k).asText(k));
        }
        yield new NpzSource(Locations.toUri(path), arrays, classes, binary, rescale, sequences);
      }
      case "parquet", "csv", "json", "orc" -> {
        JsonNode sh = d.path("shape");
        int[] shape = null;
        if (sh.isArray() && sh.size() > 0) {
          shape = new int[sh.size()];
          for (int i = 0; i < shape.length; i++) {
            shape[i] = sh.get(i).asInt();
          }
        }
        String testPath = d.path("test_path").asText("");
        URI trainUri = Locations.toUri(path);
        URI testUri = testPath.isBlank() ? null : Locations.toUri(testPath);
        String features = d.path("features_column").asText("features");
        String label = d.path("label_column").asText("label");
        yield type.equals("parquet")
            ? new ParquetSource(trainUri, testUri, features, label, shape, classes, binary, rescale, sequences,
                imageSize(d), d.path("color_mode").asText("rgb"))
            : new TextTableSource(type, trainUri, testUri, features, label, shape, classes, binary,
                rescale, sequences);
      }
      case "cifar10", "cifar100" -> {
        boolean hundred = type.equals("cifar100");
        CifarSource probe = new CifarSource(URI.create("file:/"), hundred, false, classes, binary, rescale);
        List<String> needed = new ArrayList<>(probe.files(DataSource.Part.TRAIN));
        needed.addAll(probe.files(DataSource.Part.TEST));
        URI dir = path.isBlank() ? CifarFiles.locate(hundred ? CifarFiles.CIFAR100 : CifarFiles.CIFAR10, needed, log)
            .toAbsolutePath().normalize().toUri() : Locations.toUri(path);
        yield new CifarSource(dir, hundred, d.path("cifar_labels").asText("fine").equals("coarse"), classes, binary,
            rescale);
      }
      default -> throw new IllegalArgumentException("data.type: '" + type + "' is not supported (supported: "
          + String.join(", ", JobSpec.DATA_TYPES) + ")");
    };
  }

  /** {@code data.target_size} as (height, width), or null to keep the images' size. */
  private static int[] imageSize(JsonNode d) {
    JsonNode ts = d.path("target_size");
    return ts.isArray() && ts.size() == 2 ? new int[] {ts.get(0).asInt(), ts.get(1).asInt()} : null;
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }
}
