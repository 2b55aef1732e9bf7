package dev.cnnspark.driver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.model.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An exclusive lock on a directory a run owns (a job's checkpoint directory, a retrain model directory), on the
 * shared storage itself: the file {@code lock}, created with
 * {@code overwrite=false} (atomic on HDFS, S3A with conditional create, and local file systems). It holds owner,
 * host, pid and a lease expiry; a holder renews the lease while it runs. A lock whose lease expired, or whose
 * holder was on this host and is no longer alive, is stale: it is moved aside with an atomic rename (only one of
 * several breakers wins) and taken over, so a crashed run never blocks the schedule for longer than its lease.
 */
public final class DirectoryLock implements AutoCloseable {
  /** The lock file's name inside the locked directory. */
  public static final String FILE = "lock";
  private final FileSystem fs;
  private final Path file;
  private final String owner;
  private final long leaseMs;
  private volatile boolean held;
  private Thread renewer;

  private DirectoryLock(FileSystem fs, Path file, String owner, long leaseMs) {
    this.fs = fs;
    this.file = file;
    this.owner = owner;
    this.leaseMs = leaseMs;
  }

  /** Who holds a lock, as read from its file. */
  public record Holder(String owner, String host, long pid, Instant expires) {
    boolean stale(String thisHost) {
      if (Instant.now().isAfter(expires)) {
        return true;
      }
      return host.equals(thisHost) && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
  }

  /** Thrown when another live run holds the lock. */
  public static final class LockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LockedException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of {@code dir}, breaking a stale one; throws {@link LockedException} when it is held.
   *
   * @param what what the directory is, for the message ("checkpoint directory", "model directory")
   */
  public static DirectoryLock acquire(FileSystem fs, Path dir, long leaseMs, String what) throws IOException {
    Path file = new Path(dir, FILE);
    String owner = UUID.randomUUID().toString();
    DirectoryLock lock = new DirectoryLock(fs, file, owner, leaseMs);
    for (int attempt = 0; attempt < 3; attempt++) {
      if (lock.tryCreate()) {
        lock.held = true;
        lock.startRenewing();
        return lock;
      }
      Optional<Holder> h = read(fs, file);
      if (h.isEmpty()) {
        continue; // released between our create and read
      }
      if (!h.get().stale(hostName())) {
        throw new LockedException(what + " " + fs.makeQualified(dir) + " is in use by another run (" + h.get().owner()
            + " on " + h.get().host() + ", pid " + h.get().pid() + ", lease until " + h.get().expires() + "); wait "
            + "for it to finish, or point this run elsewhere. A lock whose holder died is taken over once its lease "
            + "expires (at once when the holder ran on this host).");
      }
      Path aside = new Path(dir, "lock.stale-" + UUID.randomUUID());
      fs.rename(file, aside); // only one breaker's rename succeeds; the others retry the create
    }
    throw new LockedException("could not take the lock of " + what + " " + dir + " (contended by other runs)");
  }

  private boolean tryCreate() throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(content().getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file)) {
        return false;
      }
      throw e;
    }
  }

  private String content() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("owner", owner);
    n.put("host", hostName());
    n.put("pid", ProcessHandle.current().pid());
    n.put("expires", Instant.now().plusMillis(leaseMs).toString());
    return n.toString();
  }

  static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      JsonNode n = Json.MAPPER.readTree(in);
      return Optional.of(new Holder(n.path("owner").asText(), n.path("host").asText(), n.path("pid").asLong(),
          Instant.parse(n.path("expires").asText(Instant.EPOCH.toString()))));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // unreadable lock (a crash while writing it): treat as expired
      return Optional.of(new Holder("?", "?", -1, Instant.EPOCH));
    }
  }

  private void startRenewing() {
    renewer = new Thread(() -> {
      while (held) {
        try {
          Thread.sleep(Math.max(1000, leaseMs / 3));
          renew();
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          // the next renewal tries again; losing the lease lets another run in, which the publish step re-checks
        }
      }
    }, "cnnspark-lock-renewer");
    renewer.setDaemon(true);
    renewer.start();
  }

  private synchronized void renew() throws IOException {
    if (!held || !ours()) {
      return;
    }
    Path tmp = new Path(file.getParent(), "lock.renew-" + owner);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(content().getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(file, false);
    fs.rename(tmp, file);
  }

  /** Whether the lock file still names this holder (the lease was not broken). */
  public boolean ours() throws IOException {
    return read(fs, file).map(h -> h.owner().equals(owner)).orElse(false);
  }

  @Override
  public synchronized void close() throws IOException {
    if (!held) {
      return;
    }
    held = false;
    if (renewer != null) {
      renewer.interrupt();
    }
    if (ours()) {
      fs.delete(file, false);
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
