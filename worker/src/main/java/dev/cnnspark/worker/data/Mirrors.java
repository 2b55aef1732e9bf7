package dev.cnnspark.worker.data;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Downloads one file from the first mirror that serves it intact: each attempt goes to a temporary file in the
 * target directory, is checked by the caller's verifier (a checksum), and is handed back only when it passes; a
 * mirror that fails (HTTP error, network, bad checksum) is noted and the next tried, and the error names every
 * attempt. Shared by the MNIST and CIFAR downloaders.
 */
public final class Mirrors {
  /** Checks a downloaded file: null when it is good, else what is wrong with it. */
  @FunctionalInterface
  public interface Verifier {
    String problem(Path file) throws IOException;
  }

  private Mirrors() {
  }

  /**
   * The verified file, in {@code dir} under a temporary name the caller moves into place (and deletes on failure).
   *
   * @param what the dataset, for log lines ("MNIST", "cifar-10-batches-bin")
   */
  public static Path fetch(List<String> mirrors, String name, Path dir, Duration timeout, Verifier verifier,
                           String what, Consumer<String> log) throws IOException {
    Files.createDirectories(dir);
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(20)).build();
    List<String> failures = new ArrayList<>();
    for (String mirror : mirrors) {
      String url = mirror.endsWith("/") ? mirror + name : mirror + "/" + name;
      Path tmp = Files.createTempFile(dir, name, ".part");
      boolean keep = false;
      try {
        log.accept(what + ": downloading " + url);
        HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofFile(tmp));
        String problem = r.statusCode() != 200 ? "HTTP " + r.statusCode() : verifier.problem(tmp);
        if (problem == null) {
          keep = true;
          return tmp;
        }
        failures.add(url + ": " + problem);
      } catch (IOException e) {
        failures.add(url + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading " + url, e);
      } finally {
        if (!keep) {
          Files.deleteIfExists(tmp);
        }
      }
    }
    throw new IOException("could not download " + name + " from any mirror:\n  " + String.join("\n  ", failures));
  }
}
