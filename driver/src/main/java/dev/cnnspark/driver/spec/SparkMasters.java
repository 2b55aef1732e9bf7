package dev.cnnspark.driver.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms of {@code spark.master} Spark accepts, checked before a SparkContext is made (Spark's own error for a
 * malformed master is a bare {@code SparkException} from deep inside its scheduler).
 */
final class SparkMasters {
  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(\\s*,\\s*(\\d+))?])?");
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*]");
  private static final Pattern STANDALONE = Pattern.compile("spark://[^\\s:/,]+(:\\d+)?(,[^\\s:/,]+(:\\d+)?)*");

  private SparkMasters() {
  }

  /** What is wrong with a master URL, or null when Spark accepts its form. */
  static String problem(String master) {
    if (master == null || master.isBlank()) {
      return "must not be empty (e.g. local[2], spark://host:7077, yarn, k8s://https://host:443)";
    }
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      if (m.group(2) != null && !m.group(2).equals("*") && parse(m.group(2)) < 1) {
        return "'" + master + "': the number of local threads must be at least 1";
      }
      return null;
    }
    if (LOCAL_CLUSTER.matcher(master).matches() || STANDALONE.matcher(master).matches() || master.equals("yarn")
        || master.startsWith("k8s://") || master.startsWith("mesos://")) {
      return null;
    }
    return "'" + master + "' is not a Spark master URL (local, local[N], local[*], local[N,F], spark://host:port, "
        + "yarn, k8s://...)";
  }

  /** Task slots of a local master, 0 for anything else. */
  static int localSlots(String master) {
    Matcher m = LOCAL.matcher(master == null ? "" : master);
    if (!m.matches()) {
      return 0;
    }
    if (m.group(2) == null) {
      return 1;
    }
    return m.group(2).equals("*") ? Runtime.getRuntime().availableProcessors() : Math.max(1, parse(m.group(2)));
  }

  private static int parse(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
