package dev.cnnspark.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cnnspark.worker.MnistData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download path against mirrors served on 127.0.0.1 (CI has no internet): a good mirror, a mirror serving a
 * corrupted file (skipped by its checksum), a mirror that 404s. The public mirrors themselves are not reachable
 * from CI; their URLs are {@link MnistFiles#MIRRORS}.
 */
class MnistFilesTest {

  private static HttpServer serve(Path dir, boolean corrupt, boolean missing) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String name = Path.of(exchange.getRequestURI().getPath()).getFileName().toString();
      Path file = dir.resolve(name);
      if (missing || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = Files.readAllBytes(file);
      if (corrupt) {
        body = java.util.Arrays.copyOf(body, body.length / 2);
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  private static String url(HttpServer s) {
    return "http://127.0.0.1:" + s.getAddress().getPort() + "/mnist/";
  }

  @Test
  void downloadsVerifiesAndSkipsBadMirrors(@TempDir Path tmp) throws IOException {
    HttpServer missing = serve(MnistData.dir(), false, true);
    HttpServer corrupt = serve(MnistData.dir(), true, false);
    HttpServer good = serve(MnistData.dir(), false, false);
    try {
      List<String> log = new ArrayList<>();
      Path target = tmp.resolve("cache");
      MnistFiles.download(target, List.of(url(missing), url(corrupt), url(good)), log::add);
      assertTrue(MnistFiles.complete(target));
      Mnist.Split s = Mnist.load(target);
      assertEquals(60000, s.train().count());
      assertEquals(12, log.size(), "three attempts per file: " + log);
      try (var files = Files.list(target)) {
        assertEquals(4, files.count(), "no partial files left behind");
      }
    } finally {
      missing.stop(0);
      corrupt.stop(0);
      good.stop(0);
    }
  }

  @Test
  void failsNamingEveryAttempt(@TempDir Path tmp) throws IOException {
    HttpServer corrupt = serve(MnistData.dir(), true, false);
    try {
      IOException e = assertThrows(IOException.class,
          () -> MnistFiles.download(tmp, List.of(url(corrupt)), s -> { }));
      assertTrue(e.getMessage().contains("could not download train-images-idx3-ubyte.gz"), e.getMessage());
      assertTrue(e.getMessage().contains("corrupt gzip") || e.getMessage().contains("does not match"),
          e.getMessage());
      try (var files = Files.list(tmp)) {
        assertEquals(0, files.count(), "nothing half-written is left");
      }
    } finally {
      corrupt.stop(0);
    }
  }

  @Test
  void explicitDirectoryMustBeComplete(@TempDir Path tmp) {
    DataFormatException e = assertThrows(DataFormatException.class, () -> MnistFiles.locate(tmp, s -> { }));
    assertTrue(e.getMessage().contains("not an MNIST directory"), e.getMessage());
  }
}
