package dev.cnnspark.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.train.History;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written, listed, pruned, resumed, and a corrupt newest checkpoint skipped, on the local file system
 * and on a real in-process HDFS (MiniDFSCluster), where a rename onto an existing file fails instead of replacing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointStoreTest {
  private MiniDFSCluster hdfs;

  @TempDir
  static Path tmp;

  @BeforeAll
  void startHdfs() throws IOException {
    File base = tmp.resolve("hdfs").toFile();
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
  }

  @AfterAll
  void stopHdfs() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  private static Checkpoint checkpoint(long globalRound, float value) {
    float[] params = {value, value + 1, value + 2};
    History h = new History();
    h.add(0, Map.of("loss", 0.5, "val_accuracy", 0.9));
    return new Checkpoint("{\"name\":\"t\"}", "{\"m\":1}", "{\"class_name\":\"Adam\",\"config\":{}}",
        new ModelState(params, new float[] {1f}, params.clone(), params.clone(), globalRound * 10), 1,
        (int) globalRound, globalRound, 42, h, "val_accuracy", 0.9, new Checkpoint.EpochSums(3.5, 2, 7),
        RunFingerprint.of(JobSpec.parse(null, "test", Map.of()), "{\"m\":1}",
            "{\"class_name\":\"Adam\",\"config\":{}}", "file:/data"));
  }

  private void exercise(URI dir, Configuration conf) throws IOException {
    CheckpointStore store = new CheckpointStore(dir, conf, 2);
    assertTrue(store.latestValid(w -> { }).isEmpty());
    for (long r = 1; r <= 4; r++) {
      assertEquals(CheckpointStore.name("ckpt-", r), store.write(checkpoint(r, r)));
    }
    store.writeBest(checkpoint(3, 3));
    store.writeBest(checkpoint(4, 4));
    assertEquals(List.of("ckpt-00000004.cnn", "ckpt-00000003.cnn"), store.checkpoints(), "keeps the last 2");
    assertEquals("best-00000004.cnn", store.best().orElseThrow());
    assertEquals("ckpt-00000004.cnn", store.latestMarker().orElseThrow());
    CheckpointStore.Loaded l = store.latestValid(w -> { }).orElseThrow();
    assertEquals("ckpt-00000004.cnn", l.name());
    Checkpoint c = l.checkpoint();
    assertArrayEquals(new float[] {4, 5, 6}, c.state().params());
    assertEquals(checkpoint(4, 4).fingerprint(), c.fingerprint(), "the fingerprint is stored and read back");
    assertEquals(40, c.state().iterations());
    assertEquals(42, c.seed());
    assertEquals(new Checkpoint.EpochSums(3.5, 2, 7), c.epochSums());
    assertEquals(0.9, c.history().last("val_accuracy"));

    // corrupt the newest: the previous one is used, with a warning naming the bad file
    FileSystem fs = new org.apache.hadoop.fs.Path(dir).getFileSystem(conf);
    org.apache.hadoop.fs.Path newest = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(dir),
        "ckpt-00000004.cnn");
    byte[] bytes;
    try (FSDataInputStream in = fs.open(newest)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x10;
    fs.delete(newest, false);
    try (OutputStream out = fs.create(newest)) {
      out.write(bytes, 0, bytes.length);
    }
    List<String> warnings = new ArrayList<>();
    l = store.latestValid(warnings::add).orElseThrow();
    assertEquals("ckpt-00000003.cnn", l.name());
    assertArrayEquals(new float[] {3, 4, 5}, l.checkpoint().state().params());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("ckpt-00000004.cnn") && warnings.get(0).contains("checksum mismatch"),
        warnings.get(0));

    // truncated too: nothing valid left but the older one
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(dir),
        "ckpt-00000005.cnn"))) {
      out.write(bytes, 0, 100);
    }
    assertEquals("ckpt-00000003.cnn", store.latestValid(w -> { }).orElseThrow().name());
  }

  @Test
  void localFileSystem() throws IOException {
    exercise(tmp.resolve("ckpts").toUri(), new Configuration());
  }

  @Test
  void hdfs() throws IOException {
    URI dir = URI.create(hdfs.getURI().toString() + "/jobs/mnist/checkpoints");
    exercise(dir, hdfs.getConfiguration(0));
  }

  @Test
  void renameOntoExistingFileWorksOnHdfs() throws IOException {
    Configuration conf = hdfs.getConfiguration(0);
    URI dir = URI.create(hdfs.getURI().toString() + "/rename");
    CheckpointStore store = new CheckpointStore(dir, conf, 3);
    FileSystem fs = new org.apache.hadoop.fs.Path(dir).getFileSystem(conf);
    org.apache.hadoop.fs.Path a = new org.apache.hadoop.fs.Path(dir.toString() + "/a");
    org.apache.hadoop.fs.Path b = new org.apache.hadoop.fs.Path(dir.toString() + "/b");
    fs.create(a).close();
    fs.create(b).close();
    assertTrue(!fs.rename(a, b), "HDFS refuses to rename onto an existing file");
    store.renameInto(a, b);
    assertTrue(fs.exists(b) && !fs.exists(a));
  }
}
