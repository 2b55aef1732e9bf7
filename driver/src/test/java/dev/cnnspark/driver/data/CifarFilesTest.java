package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cnnspark.worker.data.Dataset;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CIFAR download path against mirrors on 127.0.0.1 (CI reaches no dataset host): an archive laid out as the
 * official {@code cifar-10-binary.tar.gz} (a folder of batches), served good, corrupt (refused by its MD5) and
 * missing (404); the extracted batches read back through {@link CifarSource}. A member whose path tries to leave
 * the cache lands under its base name.
 */
class CifarFilesTest {

  private static HttpServer serve(byte[] archive, String mode) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      if (mode.equals("missing")) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = mode.equals("corrupt") ? Arrays.copyOf(archive, archive.length - 1000) : archive;
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  private static String url(HttpServer s) {
    return "http://127.0.0.1:" + s.getAddress().getPort() + "/~kriz/";
  }

  /** A tar.gz of the batches in {@code dir} under {@code cifar-10-batches-bin/}, plus a hostile member. */
  private static byte[] archive(Path dir) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      List<Path> files;
      try (var s = Files.list(dir)) {
        files = s.sorted().toList();
      }
      for (Path f : files) {
        byte[] content = Files.readAllBytes(f);
        TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/" + f.getFileName());
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      byte[] evil = "escape".getBytes();
      TarArchiveEntry e = new TarArchiveEntry("../../outside.txt");
      e.setSize(evil.length);
      tar.putArchiveEntry(e);
      tar.write(evil);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void downloadsVerifiesExtractsAndSkipsBadMirrors(@TempDir Path tmp) throws IOException {
    Path batches = DataSourcesTest.cifar10(tmp.resolve("made"), 100);
    byte[] archive = archive(batches);
    Path md5File = Files.write(tmp.resolve("archive.tar.gz"), archive);
    HttpServer missing = serve(archive, "missing");
    HttpServer corrupt = serve(archive, "corrupt");
    HttpServer good = serve(archive, "good");
    try {
      CifarFiles.Archive a = new CifarFiles.Archive(CifarFiles.CIFAR10.name(), CifarFiles.md5(md5File),
          CifarFiles.CIFAR10.folder(), List.of(url(missing), url(corrupt), url(good)));
      List<String> log = new ArrayList<>();
      Path cache = tmp.resolve("cache");
      Path dir = CifarFiles.download(a, cache, log::add);
      assertEquals(cache.resolve("cifar-10-batches-bin"), dir);
      assertEquals(3, log.size(), "three attempts: " + log);
      try (var files = Files.list(cache)) {
        assertEquals(List.of("cifar-10-batches-bin"), files.map(p -> p.getFileName().toString()).toList(),
            "no partial archive or directory left, nothing outside the folder");
      }
      assertTrue(Files.isRegularFile(dir.resolve("outside.txt")), "a ../ member lands under its base name");
      DataPlan plan = DataSourcesTest.plan("data: {type: cifar10, path: \"" + dir + "\"}\n");
      DataPlan original = DataSourcesTest.plan("data: {type: cifar10, path: \"" + batches + "\"}\n");
      Dataset got = plan.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF);
      Dataset want = original.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF);
      DataSourcesTest.assertSame(want, got);

      IOException e = assertThrows(IOException.class, () -> CifarFiles.download(new CifarFiles.Archive(a.name(),
          a.md5(), a.folder(), List.of(url(missing), url(corrupt))), tmp.resolve("cache2"), s -> { }));
      assertTrue(e.getMessage().contains("could not download cifar-10-binary.tar.gz from any mirror"),
          e.getMessage());
      assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
      assertTrue(e.getMessage().contains("does not match the published " + a.md5()), e.getMessage());
    } finally {
      missing.stop(0);
      corrupt.stop(0);
      good.stop(0);
    }
  }
}
