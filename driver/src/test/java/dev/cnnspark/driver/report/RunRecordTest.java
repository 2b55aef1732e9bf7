package dev.cnnspark.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.DistributedTraining;
import dev.cnnspark.driver.TestJobs;
import dev.cnnspark.driver.spec.JobSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;

/**
 * The run directory of a 2-epoch job (local[2], two workers, 6 rounds an epoch): history.csv equals the run's
 * history; TensorBoard's files read back through TensorFlow's generated classes with every CRC checked, their scalars
 * equal to the history and the rounds, a histogram per layer with every weight counted; report.html holds the five
 * charts (the same bytes as the PNG files beside it), the test metrics, the per-class table and the round breakdown;
 * a run resumed after its first epoch leaves the uninterrupted run's rounds.csv.
 */
class RunRecordTest {

  private static TestJobs.Run run(Path runDir, int epochs) throws Exception {
    return run(runDir, epochs, "");
  }

  private static TestJobs.Run run(Path runDir, int epochs, String more) throws Exception {
    return TestJobs.train(JobSpec.parse(TestJobs.spec(runDir.resolve("checkpoints"), epochs) + more, "rec",
        Map.of()).validate());
  }

  @Test
  void theRunDirectoryHoldsHistoryTensorBoardAndTheReport(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("job");
    TestJobs.Run run = run(dir, 2, "report: {spark_event_log: true}\n");
    DistributedTraining.Outcome o = run.outcome();
    assertTrue(run.log().contains("run record: "), run.log());

    // history.csv: Keras' CSVLogger columns, the run's values
    List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
    assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", csv.get(0));
    assertEquals(3, csv.size());
    for (int e = 0; e < 2; e++) {
      String[] f = csv.get(e + 1).split(",");
      assertEquals(Integer.toString(e), f[0]);
      assertEquals(o.history().get("accuracy").get(e), Double.parseDouble(f[1]));
      assertEquals(o.history().get("loss").get(e), Double.parseDouble(f[2]));
      assertEquals(o.history().get("val_accuracy").get(e), Double.parseDouble(f[3]));
      assertEquals(o.history().get("val_loss").get(e), Double.parseDouble(f[4]));
    }
    List<String> rounds = Files.readAllLines(dir.resolve("rounds.csv"));
    assertEquals(1 + 12, rounds.size(), "a row per round");
    assertEquals(12, o.times().rounds());

    // TensorBoard: framing and CRCs, scalars equal to the history, one histogram per layer with weights
    Map<String, Map<Long, Float>> train = scalars(events(dir, "train"));
    Map<String, Map<Long, Float>> validation = scalars(events(dir, "validation"));
    for (int e = 0; e < 2; e++) {
      assertEquals((float) (double) o.history().get("loss").get(e), train.get("epoch_loss").get((long) e));
      assertEquals((float) (double) o.history().get("accuracy").get(e), train.get("epoch_accuracy").get((long) e));
      assertEquals((float) (double) o.history().get("val_loss").get(e), validation.get("epoch_loss").get((long) e));
      assertEquals((float) (double) o.history().get("val_accuracy").get(e),
          validation.get("epoch_accuracy").get((long) e));
      assertEquals(1.0f, train.get("epoch_learning_rate").get((long) e), "Adadelta's default rate");
    }
    assertEquals(12, train.get("round_loss").size());
    for (int r = 1; r <= 12; r++) {
      assertEquals((float) Double.parseDouble(rounds.get(r).split(",")[3]), train.get("round_loss").get((long) r));
    }
    Map<String, HistogramProto> histograms = new TreeMap<>();
    for (Event ev : events(dir, "train")) {
      for (Summary.Value v : ev.getSummary().getValueList()) {
        if (v.hasHisto() && ev.getStep() == 1) {
          histograms.put(v.getTag(), v.getHisto());
        }
      }
    }
    int[] counts = layerParamCounts();
    assertEquals(counts.length, histograms.size(), histograms.keySet().toString());
    long weights = 0;
    for (HistogramProto h : histograms.values()) {
      double inBuckets = h.getBucketList().stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(h.getNum(), inBuckets, "every weight in a bucket");
      assertTrue(h.getMin() <= h.getMax());
      weights += (long) h.getNum();
    }
    assertEquals(o.state().params().length, weights, "the histograms cover every parameter");

    // report.html: the charts inline and beside it, the final evaluation, the per-class table, the rounds
    String html = Files.readString(dir.resolve("report.html"));
    Matcher m = Pattern.compile("data-file=\"([a-z_]+\\.png)\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")
        .matcher(html);
    List<String> charts = new ArrayList<>();
    while (m.find()) {
      byte[] png = Base64.getDecoder().decode(m.group(2));
      assertArrayEquals(Files.readAllBytes(dir.resolve(m.group(1))), png, m.group(1) + " beside the report");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      assertNotNull(image, m.group(1));
      assertTrue(image.getWidth() >= 480 && image.getHeight() >= 400, m.group(1));
      charts.add(m.group(1));
    }
    assertEquals(List.of("loss.png", "accuracy.png", "round_loss.png", "confusion_matrix.png", "round_time.png"),
        charts);
    assertTrue(html.contains(String.format(Locale.ROOT, "loss %.4f, accuracy %.4f over 200 examples",
        o.test().loss(), o.test().accuracy())), "the final evaluation");
    for (int c = 0; c < 10; c++) {
      long support = 0;
      for (int p = 0; p < 10; p++) {
        support += o.test().confusion().count(c, p);
      }
      assertTrue(html.contains("<tr><td class=\"l\">" + c + "</td><td>"
          + dev.cnnspark.worker.train.ConfusionMatrix.ratio(o.test().confusion().precision(c))), "class " + c);
      assertTrue(html.contains("</td><td>" + support + "</td></tr>"), "support of class " + c);
    }
    for (String part : List.of("local training", "broadcast", "state copies in workers", "averaging",
        "scheduling and results")) {
      assertTrue(html.contains("<td class=\"l\">" + part + "</td>"), part);
    }
    assertTrue(html.contains("&quot;averaging_frequency&quot; : 5"), "the job spec, escaped");

    // Spark's event log in the run directory, with each round's named accumulators (what the UI's stage pages show)
    List<Path> logs;
    try (Stream<Path> files = Files.walk(dir.resolve("spark-events"))) { // a file, or a folder of rolled files
      logs = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
    assertTrue(!logs.isEmpty(), "an event log in spark-events/");
    StringBuilder all = new StringBuilder();
    for (Path f : logs) {
      String name = f.getFileName().toString();
      String codec = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
      try (InputStream raw = Files.newInputStream(f); InputStream in = codec.matches("zstd|lz4|snappy|lzf")
          ? org.apache.spark.io.CompressionCodec.createCodec(new org.apache.spark.SparkConf(), codec)
              .compressedInputStream(raw) : raw) {
        all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    String events = all.toString();
    assertTrue(events.contains("\"Event\":\"SparkListenerApplicationEnd\""), "a finished application");
    assertTrue(events.contains("test-job: epoch 2/2 round 6/6"), "the rounds' job descriptions");
    Matcher acc = Pattern.compile("\"Name\":\"epoch 2 round 6: examples\",\"Value\":\"?(\\d+)").matcher(events);
    long last = -1;
    while (acc.find()) { // the tasks' running values, then the stage's total
      last = Long.parseLong(acc.group(1));
    }
    int at = events.lastIndexOf("epoch 2 round 6: examples");
    assertEquals(Long.parseLong(rounds.get(12).split(",")[4]), last, "the last round's examples accumulator: "
        + (at < 0 ? "absent" : events.substring(Math.max(0, at - 80), Math.min(events.length(), at + 200))));
  }

  @Test
  void aResumedRunKeepsTheUninterruptedRunsRounds(@TempDir Path tmp) throws Exception {
    TestJobs.Run straight = run(tmp.resolve("straight"), 2);
    run(tmp.resolve("resumed"), 1);
    TestJobs.Run resumed = run(tmp.resolve("resumed"), 2);
    assertTrue(resumed.outcome().resumed());
    List<String> a = column(tmp.resolve("straight"), 3);
    List<String> b = column(tmp.resolve("resumed"), 3);
    assertEquals(12, b.size());
    assertEquals(a, b, "the same round losses, bit for bit, in the same rows");
    assertEquals(Files.readString(tmp.resolve("straight/history.csv")),
        Files.readString(tmp.resolve("resumed/history.csv")));
    try (Stream<Path> files = Files.list(tmp.resolve("resumed/tensorboard/train"))) {
      assertEquals(2, files.count(), "the resumed run starts a new event file beside the first");
    }
  }

  @Test
  void aDamagedEventFileIsNamed(@TempDir Path tmp) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfRecords.write(out, "first".getBytes(StandardCharsets.UTF_8));
    TfRecords.write(out, "second".getBytes(StandardCharsets.UTF_8));
    byte[] good = out.toByteArray();
    assertEquals(2, TfRecords.read(new ByteArrayInputStream(good)).size());
    byte[] bad = good.clone();
    bad[good.length - 6] ^= 1; // in the second record's data
    IOException e = assertThrows(IOException.class, () -> TfRecords.read(new ByteArrayInputStream(bad)));
    assertEquals("record 1: the data's CRC does not match", e.getMessage());
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
    assertEquals("record 1 is truncated", assertThrows(IOException.class,
        () -> TfRecords.read(new ByteArrayInputStream(cut))).getMessage());
    // TensorFlow's published masked CRC-32C of an empty string and of "a" (crc32c 0x00000000 and 0xc1d04330)
    assertEquals(0xa282ead8, TfRecords.maskedCrc(new byte[0], 0, 0));
    assertEquals(Integer.rotateRight(0xc1d04330, 15) + 0xa282ead8, TfRecords.maskedCrc(new byte[] {'a'}, 0, 1));
  }

  private static int[] layerParamCounts() {
    return java.util.Arrays.stream(dev.cnnspark.worker.model.Presets.named("mnist_cnn").layout().paramCounts())
        .filter(n -> n > 0).toArray();
  }

  private static List<String> column(Path dir, int col) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("rounds.csv"));
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")[col]).toList();
  }

  /** Every event of a run's files, each file starting with the version record. */
  private static List<Event> events(Path dir, String run) throws IOException {
    List<Event> events = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("tensorboard").resolve(run))) {
      for (Path f : files.sorted().toList()) {
        assertTrue(f.getFileName().toString().startsWith("events.out.tfevents."), f.toString());
        try (InputStream in = Files.newInputStream(f)) {
          List<byte[]> records = TfRecords.read(in);
          assertEquals("brain.Event:2", Event.parseFrom(records.get(0)).getFileVersion());
          for (byte[] r : records.subList(1, records.size())) {
            events.add(Event.parseFrom(r));
          }
        }
      }
    }
    return events;
  }

  private static Map<String, Map<Long, Float>> scalars(List<Event> events) {
    Map<String, Map<Long, Float>> s = new TreeMap<>();
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
          s.computeIfAbsent(v.getTag(), k -> new TreeMap<>()).put(e.getStep(), v.getSimpleValue());
        }
      }
    }
    return s;
  }
}
