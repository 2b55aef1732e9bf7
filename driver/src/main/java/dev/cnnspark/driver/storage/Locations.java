package dev.cnnspark.driver.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;

/**
 * One reading of a location a user types: a URI with a scheme ({@code hdfs://nn/x}, {@code s3a://b/x},
 * {@code file:///x}) is taken as it is; anything else is a plain local path, made absolute against the working
 * directory, with any characters a path may hold (spaces, {@code #}, {@code %}, non-ASCII), which the URI form then
 * encodes. {@code file:} URIs typed with unencoded spaces are read as the path they name. Used for data, checkpoint,
 * model and output locations alike, in validation and at run time, so what validates is what runs.
 */
public final class Locations {
  private Locations() {
  }

  /** The URI of a location, or {@link IllegalArgumentException} naming what is wrong with it. */
  public static URI toUri(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("empty location");
    }
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
      try {
        URI uri = new URI(location);
        if ("file".equalsIgnoreCase(uri.getScheme()) && uri.getPath() == null) {
          return localPath(uri.getSchemeSpecificPart()); // file:relative/path
        }
        return uri;
      } catch (URISyntaxException e) {
        if (location.regionMatches(true, 0, "file:", 0, 5)) {
          String path = location.substring(5).replaceFirst("^//(?=/)", "");
          return localPath(path);
        }
        throw new IllegalArgumentException("'" + location + "' is not a valid URI (" + e.getReason() + " at index "
            + e.getIndex() + "); percent-encode special characters, or give a plain path without a scheme");
      }
    }
    return localPath(location);
  }

  private static URI localPath(String path) {
    try {
      return java.nio.file.Path.of(path).toAbsolutePath().normalize().toUri();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + path + "' is not a valid path: " + e.getReason());
    }
  }

  /** Whether a URI names the local file system. */
  public static boolean isLocal(URI uri) {
    return uri.getScheme() == null || "file".equalsIgnoreCase(uri.getScheme());
  }
}
