package dev.cnnspark.driver.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.io.StateFile;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Published models in a directory of any Hadoop FileSystem:
 * <pre>
 * versions/v000001.cnn ...   every published version, complete and checksummed, never rewritten
 * current                    text: the published version's name
 * lock                       see {@link dev.cnnspark.driver.storage.DirectoryLock}
 * work/from-v000003/         checkpoints of a retraining run that started from v000003 (resumable)
 * </pre>
 * Publishing writes the version under a temporary name, renames it into place, reads it back (checksum), and only
 * then switches {@code current} with one rename that replaces the old pointer atomically
 * ({@link FileContext#rename} with {@code OVERWRITE}: a single namenode operation on HDFS, rename(2) locally). A
 * run killed at any point leaves {@code current} naming a complete version.
 */
public final class ModelRegistry {
  private final FileSystem fs;
  private final FileContext fc;
  private final Path dir;

  public ModelRegistry(URI dir, Configuration conf) throws IOException {
    this.dir = new Path(dir);
    this.fs = this.dir.getFileSystem(conf);
    this.fs.setWriteChecksum(false);
    this.fc = FileContext.getFileContext(this.dir.toUri(), conf);
    fs.mkdirs(new Path(this.dir, "versions"));
  }

  public FileSystem fileSystem() {
    return fs;
  }

  public Path dir() {
    return dir;
  }

  /** A published model: its version name, state, config and metrics. */
  public record Version(String name, ModelState state, String modelJson, String optimizerJson, JsonNode meta) {
  }

  public Optional<String> current() throws IOException {
    try (InputStream in = fs.open(new Path(dir, "current"))) {
      String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return name.isEmpty() ? Optional.empty() : Optional.of(name);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  public List<String> versions() throws IOException {
    List<String> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new Path(dir, "versions"))) {
      String n = s.getPath().getName();
      if (n.matches("v\\d{6}\\.cnn")) {
        out.add(n.substring(0, n.length() - 4));
      }
    }
    out.sort(null);
    return out;
  }

  public Version read(String name) throws IOException {
    Path p = new Path(new Path(dir, "versions"), name + ".cnn");
    try (InputStream in = fs.open(p)) {
      StateFile f = StateFile.read(in, fs.makeQualified(p).toString());
      JsonNode meta = Json.MAPPER.readTree(f.json("meta"));
      return new Version(name, new ModelState(f.floats("params"), f.floats("moving"), f.floats("opt1"),
          f.floats("opt2"), meta.path("iterations").asLong()), f.json("model"), f.json("optimizer"), meta);
    }
  }

  /** Writes the next version and switches {@code current} to it; returns its name. */
  public String publish(ModelState state, String modelJson, String optimizerJson, ObjectNode metrics,
                        CrashPoints crash) throws IOException {
    List<String> existing = versions();
    int next = existing.isEmpty() ? 1 : Integer.parseInt(existing.get(existing.size() - 1).substring(1)) + 1;
    String name = String.format("v%06d", next);
    ObjectNode meta = Json.MAPPER.createObjectNode();
    meta.put("kind", "published-model");
    meta.put("version", name);
    meta.put("created", Instant.now().toString());
    meta.put("iterations", state.iterations());
    meta.set("metrics", metrics);
    StateFile f = new StateFile().putJson("meta", meta.toString()).putJson("model", modelJson)
        .putJson("optimizer", optimizerJson).putFloats("params", state.params()).putFloats("moving", state.moving())
        .putFloats("opt1", state.opt1()).putFloats("opt2", state.opt2());
    Path versions = new Path(dir, "versions");
    Path tmp = new Path(versions, "_tmp-" + UUID.randomUUID());
    try (OutputStream out = fs.create(tmp, false)) {
      f.write(out);
    }
    crash.at("version-written");
    Path target = new Path(versions, name + ".cnn");
    if (!fs.rename(tmp, target)) {
      throw new IOException("could not publish " + target + " (a version of that name exists?)");
    }
    crash.at("version-renamed");
    read(name); // verify: checksum of what landed on the storage
    Path pointerTmp = new Path(dir, "_current-" + UUID.randomUUID());
    try (OutputStream out = fs.create(pointerTmp, false)) {
      out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
    }
    crash.at("pointer-written");
    fc.rename(pointerTmp, new Path(dir, "current"), Options.Rename.OVERWRITE);
    crash.at("pointer-switched");
    return name;
  }

  /** Test hook: a named stage where a run can be made to die abruptly, to prove {@code current} stays valid. */
  public interface CrashPoints {
    CrashPoints NONE = stage -> { };

    void at(String stage);

    /** Halts the JVM (no shutdown hooks, like a kill -9) at the stage named by {@code cnnspark.crashAt}. */
    static CrashPoints fromSystemProperty() {
      String at = System.getProperty("cnnspark.crashAt", "");
      return stage -> {
        if (stage.equals(at)) {
          System.out.println("crash hook: halting at " + stage);
          System.out.flush();
          Runtime.getRuntime().halt(137);
        }
      };
    }
  }
}
