package dev.cnnspark.driver.data;

import dev.cnnspark.worker.data.DataFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The classes a source's labels name, for the sources whose labels are values (arrays and tables): integer labels are
 * class indices, string labels are class names. Collected on the driver while describing, then resolved once into the
 * class list: the spec's {@code class_names} when given (checked against the labels seen), else the sorted distinct
 * strings, else "0", "1", ... up to the largest index. Reading maps each label back with {@link #classOf}.
 */
final class Labels {
  private final TreeSet<String> strings = new TreeSet<>();
  private long max;

  /** An integer label; a negative one is refused, naming the record. */
  void add(long label, String file, String record) {
    if (label < 0) {
      throw new DataFormatException(file, record + ": label " + label + " is not a class index");
    }
    max = Math.max(max, label);
  }

  /** A string label (a class name). */
  void add(String label) {
    strings.add(label);
  }

  /**
   * The classes in label order.
   *
   * @param given the spec's {@code class_names} (empty: derived from the labels)
   * @param location the data, for messages
   */
  List<String> names(List<String> given, boolean binary, String location) {
    List<String> names = given;
    if (names.isEmpty()) {
      names = new ArrayList<>();
      if (!strings.isEmpty()) {
        names.addAll(strings);
      } else {
        for (long c = 0; c <= Math.max(1, max); c++) {
          names.add(Long.toString(c));
        }
      }
    } else if (!strings.isEmpty() && !names.containsAll(strings)) {
      TreeSet<String> unknown = new TreeSet<>(strings);
      unknown.removeAll(names);
      throw new DataFormatException(location, "labels " + unknown + " are not among data.class_names " + names);
    } else if (strings.isEmpty() && max >= names.size()) {
      throw new DataFormatException(location, "a label is " + max + " but data.class_names names " + names.size()
          + " classes");
    }
    if (binary && names.size() != 2) {
      throw new DataFormatException(location, "label_mode binary needs 2 classes, the labels have " + names.size());
    }
    return names;
  }

  /** Each class name's index, for {@link #classOf}. */
  static Map<String, Integer> byName(List<String> names) {
    Map<String, Integer> m = new HashMap<>();
    for (int c = 0; c < names.size(); c++) {
      m.put(names.get(c), c);
    }
    return m;
  }

  /** A label's class: an integer is the index itself, a string its name's index (-1: not a class). */
  static int classOf(String label, boolean numeric, Map<String, Integer> byName) {
    return numeric ? (int) Long.parseLong(label) : byName.getOrDefault(label, -1);
  }
}
