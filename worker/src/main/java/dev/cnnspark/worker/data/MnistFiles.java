package dev.cnnspark.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Finds the MNIST files, or downloads them. Order: an explicit directory; {@code $CNNSPARK_MNIST};
 * {@code ../shared/data/mnist} beside the working directory; the cache {@code ~/.cache/cnnspark/mnist}; else a
 * download into the cache from the public mirrors.
 *
 * <p>Downloads are verified by the SHA-256 of the decompressed IDX bytes (mirrors recompress the files, so the
 * gzip bytes differ while the contents do not), written to a temporary name and moved into place; a mirror that
 * fails or serves a bad file is skipped with a note, and the error names every attempt.
 */
public final class MnistFiles {
  /** Public mirrors of the original files, tried in order. */
  public static final List<String> MIRRORS = List.of(
      "https://storage.googleapis.com/cvdf-datasets/mnist/",
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "http://yann.lecun.com/exdb/mnist/");

  /** SHA-256 of each file's decompressed contents. */
  static final Map<String, String> CONTENT_SHA256 = Map.of(
      Mnist.TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      Mnist.TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      Mnist.TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      Mnist.TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

  private static final List<String> FILES = List.of(Mnist.TRAIN_IMAGES, Mnist.TRAIN_LABELS, Mnist.TEST_IMAGES,
      Mnist.TEST_LABELS);

  private MnistFiles() {
  }

  public static Path defaultCache() {
    return Path.of(System.getProperty("user.home"), ".cache", "cnnspark", "mnist");
  }

  /** Whether a directory holds all four files. */
  public static boolean complete(Path dir) {
    return dir != null && FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }

  /**
   * A directory with all four files.
   *
   * @param explicit a directory the user named, or null
   * @param log where to say which directory is used or what is downloaded
   */
  public static Path locate(Path explicit, java.util.function.Consumer<String> log) throws IOException {
    if (explicit != null) {
      if (!complete(explicit)) {
        throw new DataFormatException(explicit.toString(), "not an MNIST directory: it must hold " + FILES);
      }
      return explicit;
    }
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("CNNSPARK_MNIST");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of("..", "shared", "data", "mnist"));
    candidates.add(defaultCache());
    for (Path p : candidates) {
      if (complete(p)) {
        log.accept("MNIST: using " + p.toAbsolutePath().normalize());
        return p;
      }
    }
    Path cache = defaultCache();
    download(cache, MIRRORS, log);
    return cache;
  }

  /** Downloads the missing files into {@code dir}, trying each mirror in turn. */
  public static void download(Path dir, List<String> mirrors, java.util.function.Consumer<String> log)
      throws IOException {
    for (String file : FILES) {
      Path target = dir.resolve(file);
      if (Files.isRegularFile(target)) {
        continue;
      }
      Path tmp;
      try {
        tmp = Mirrors.fetch(mirrors, file, dir, Duration.ofMinutes(5), f -> {
          String sha = contentSha256(f);
          return sha.equals(CONTENT_SHA256.get(file)) ? null
              : "content SHA-256 " + sha + " does not match MNIST's " + CONTENT_SHA256.get(file);
        }, "MNIST", log);
      } catch (IOException e) {
        throw new IOException(e.getMessage() + "\nDownload the four MNIST files by hand into " + dir
            + " or pass --data DIR.", e);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** SHA-256 of a file's decompressed contents (or raw contents when it is not gzipped). */
  static String contentSha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream raw = Files.newInputStream(file)) {
      byte[] head = raw.readNBytes(2);
      InputStream in;
      InputStream joined = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), raw);
      if (head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        in = new GZIPInputStream(joined, 1 << 16);
      } else {
        in = joined;
      }
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      return "corrupt or truncated gzip (" + e.getMessage() + ")";
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
