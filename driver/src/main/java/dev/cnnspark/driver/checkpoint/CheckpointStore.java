package dev.cnnspark.driver.checkpoint;

import dev.cnnspark.worker.io.CorruptStateFileException;
import dev.cnnspark.worker.io.StateFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checkpoints in a directory of any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code s3a://}, ...):
 * <pre>
 * ckpt-00000042.cnn   one per checkpointed round, the last {@code keepLast} kept
 * best-00000040.cnn   the best monitored epoch so far (only the newest kept)
 * latest              text: the newest checkpoint's name (advisory; loading verifies and falls back)
 * lock                the running job's lock ({@link dev.cnnspark.driver.storage.DirectoryLock})
 * </pre>
 * Every file is written under a temporary name and renamed into place, so a reader never sees half a file. Renaming
 * onto an existing file replaces it on the local file system but fails on HDFS; {@link #renameInto} handles both
 * (the checkpoint and best files have unique names and never need it; only {@code latest} does).
 */
public final class CheckpointStore {
  private static final String PREFIX = "ckpt-";
  private static final String BEST = "best-";
  private static final String SUFFIX = ".cnn";
  private static final String LATEST = "latest";
  private final Path dir;
  private final FileSystem fs;
  private final int keepLast;

  public CheckpointStore(URI dir, Configuration conf, int keepLast) throws IOException {
    this.dir = new Path(dir);
    this.fs = this.dir.getFileSystem(conf);
    this.fs.setWriteChecksum(false);
    this.keepLast = keepLast;
    fs.mkdirs(this.dir);
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** The directory, as a Hadoop path. */
  public Path path() {
    return dir;
  }

  public URI uri() {
    return fs.makeQualified(dir).toUri();
  }

  static String name(String prefix, long globalRound) {
    return String.format("%s%08d%s", prefix, globalRound, SUFFIX);
  }

  /** Writes a checkpoint, points {@code latest} at it and prunes old ones; returns its name. */
  public String write(Checkpoint c) throws IOException {
    String name = name(PREFIX, c.globalRound());
    writeAtomically(name, c.toStateFile());
    Path tmp = new Path(dir, "_tmp-" + UUID.randomUUID() + "-" + LATEST);
    try (FSDataOutputStream out = fs.create(tmp, false)) {
      out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
    }
    renameInto(tmp, new Path(dir, LATEST));
    prune(PREFIX, keepLast);
    return name;
  }

  /** Writes the best model so far (keeps only the newest best file). */
  public String writeBest(Checkpoint c) throws IOException {
    String name = name(BEST, c.globalRound());
    writeAtomically(name, c.toStateFile());
    prune(BEST, 1);
    return name;
  }

  private void writeAtomically(String name, StateFile f) throws IOException {
    Path tmp = new Path(dir, "_tmp-" + UUID.randomUUID() + "-" + name);
    try (OutputStream out = fs.create(tmp, false)) {
      f.write(out);
    } catch (IOException e) {
      fs.delete(tmp, false);
      throw e;
    }
    renameInto(tmp, new Path(dir, name));
  }

  /** Rename that replaces an existing destination on every file system. */
  void renameInto(Path src, Path dst) throws IOException {
    if (fs.rename(src, dst)) {
      return;
    }
    if (fs.exists(dst)) {
      fs.delete(dst, false);
      if (fs.rename(src, dst)) {
        return;
      }
    }
    throw new IOException("could not rename " + src + " to " + dst);
  }

  private void prune(String prefix, int keep) throws IOException {
    List<FileStatus> files = list(prefix);
    for (int i = keep; i < files.size(); i++) {
      fs.delete(files.get(i).getPath(), false);
    }
  }

  /** Files with a prefix, newest (highest round) first. */
  private List<FileStatus> list(String prefix) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (n.startsWith(prefix) && n.endsWith(SUFFIX)) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing((FileStatus s) -> s.getPath().getName()).reversed());
    return out;
  }

  /** Names of the checkpoints present, newest first. */
  public List<String> checkpoints() throws IOException {
    return list(PREFIX).stream().map(s -> s.getPath().getName()).toList();
  }

  public Optional<String> best() throws IOException {
    return list(BEST).stream().map(s -> s.getPath().getName()).findFirst();
  }

  /** The {@code latest} marker's content, if any. */
  public Optional<String> latestMarker() throws IOException {
    Path p = new Path(dir, LATEST);
    try (InputStream in = fs.open(p)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  public Checkpoint read(String name) throws IOException {
    Path p = new Path(dir, name);
    try (InputStream in = fs.open(p)) {
      return Checkpoint.fromStateFile(StateFile.read(in, fs.makeQualified(p).toString()));
    }
  }

  /** A loaded checkpoint and its file name. */
  public record Loaded(String name, Checkpoint checkpoint) {
  }

  /**
   * The newest checkpoint that verifies: the one {@code latest} names, else the newest by name; a corrupt or
   * truncated one is reported through {@code warn} and the previous one is tried.
   */
  public Optional<Loaded> latestValid(Consumer<String> warn) throws IOException {
    List<String> candidates = new ArrayList<>(checkpoints());
    Optional<String> marker = latestMarker();
    if (marker.isPresent() && candidates.remove(marker.get())) {
      candidates.add(0, marker.get());
    }
    for (String name : candidates) {
      try {
        return Optional.of(new Loaded(name, read(name)));
      } catch (CorruptStateFileException | IOException e) {
        warn.accept("checkpoint " + name + " is unusable (" + e.getMessage() + "); trying the previous one");
      }
    }
    return Optional.empty();
  }
}
