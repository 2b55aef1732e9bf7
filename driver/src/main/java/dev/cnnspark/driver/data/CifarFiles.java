package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.Mirrors;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Finds the CIFAR binary batches locally or downloads them: {@code $CNNSPARK_CIFAR10} / {@code $CNNSPARK_CIFAR100},
 * {@code ../shared/data/cifar-10-batches-bin} (or {@code cifar-100-binary}) beside the working directory, the cache
 * {@code ~/.cache/cnnspark/}, else the official archive from the dataset's page, checked against its published MD5,
 * then extracted (only the archive's {@code .bin} and {@code .txt} members, each under its base name, so a crafted
 * member path cannot escape the cache) into a temporary directory moved into place. A mirror that fails or serves a
 * bad archive is skipped with a note; the error names every attempt.
 */
public final class CifarFiles {
  /** An archive and where it is published. */
  public record Archive(String name, String md5, String folder, List<String> mirrors) {
  }

  public static final Archive CIFAR10 = new Archive("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530",
      "cifar-10-batches-bin", List.of("https://www.cs.toronto.edu/~kriz/"));
  public static final Archive CIFAR100 = new Archive("cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8",
      "cifar-100-binary", List.of("https://www.cs.toronto.edu/~kriz/"));

  private CifarFiles() {
  }

  static Path defaultCache() {
    return Path.of(System.getProperty("user.home"), ".cache", "cnnspark");
  }

  /** A local directory with the batches of {@code archive}'s dataset, downloading into the cache if needed. */
  public static Path locate(Archive archive, List<String> requiredFiles, Consumer<String> log) throws IOException {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv(archive == CIFAR10 ? "CNNSPARK_CIFAR10" : "CNNSPARK_CIFAR100");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of("..", "shared", "data", archive.folder()));
    candidates.add(defaultCache().resolve(archive.folder()));
    for (Path p : candidates) {
      if (requiredFiles.stream().allMatch(f -> Files.isRegularFile(p.resolve(f)))) {
        log.accept(archive.folder() + ": using " + p.toAbsolutePath().normalize());
        return p;
      }
    }
    return download(archive, defaultCache(), log);
  }

  /** Downloads and extracts an archive into {@code cache/<folder>}; returns that directory. */
  public static Path download(Archive archive, Path cache, Consumer<String> log) throws IOException {
    Path tmp;
    try {
      tmp = Mirrors.fetch(archive.mirrors(), archive.name(), cache, Duration.ofMinutes(20), f -> {
        String md5 = md5(f);
        return md5.equals(archive.md5()) ? null : "MD5 " + md5 + " does not match the published " + archive.md5();
      }, archive.folder(), log);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "\nDownload and extract it by hand into "
          + cache.resolve(archive.folder()) + " or set data.path.", e);
    }
    try {
      return extract(tmp, cache.resolve(archive.folder()));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path extract(Path archive, Path target) throws IOException {
    Path tmp = Files.createTempDirectory(target.getParent(), target.getFileName() + ".part");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
         TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String base = Path.of(e.getName()).getFileName().toString();
        if (e.isFile() && (base.endsWith(".bin") || base.endsWith(".txt"))) {
          try (OutputStream out = Files.newOutputStream(tmp.resolve(base))) {
            tar.transferTo(out);
          }
        }
      }
      if (Files.exists(target)) {
        try (var old = Files.list(target)) {
          for (Path p : old.toList()) {
            Files.delete(p);
          }
        }
        Files.delete(target);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      if (Files.exists(tmp)) {
        try (var left = Files.list(tmp)) {
          for (Path p : left.toList()) {
            Files.delete(p);
          }
        }
        Files.delete(tmp);
      }
    }
  }

  static String md5(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
