package dev.cnnspark.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The printed confusion matrix cannot fail a finished run: undefined precision and recall print {@code n/a}, and
 * any number of classes and names of any length stay aligned (the repro threw
 * {@code StringIndexOutOfBoundsException} for a class never predicted).
 */
class ConfusionMatrixTest {

  @Test
  void aClassNeverPredictedOrNeverPresentPrintsNa() {
    ConfusionMatrix cm = new ConfusionMatrix(10);
    cm.add(0, 0);
    cm.add(1, 0);
    cm.add(7, 7, 3);
    String table = cm.toString();
    String[] lines = table.split("\n");
    assertEquals(12, lines.length, table);
    assertTrue(lines[2].trim().endsWith("0.0000"), "class 1: never right: " + lines[2]);
    assertTrue(lines[3].trim().endsWith("n/a"), "class 2: never present, recall undefined: " + lines[3]);
    String precision = lines[11];
    assertTrue(precision.startsWith("precision"), precision);
    assertEquals(List.of("precision", "0.5000", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "1.0000", "n/a", "n/a"),
        List.of(precision.trim().split(" +")));
    assertEquals("n/a", ConfusionMatrix.ratio(Double.NaN));
  }

  @Test
  void longNamesManyClassesAndLargeCountsStayAligned() {
    int n = 120;
    ConfusionMatrix cm = new ConfusionMatrix(n);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(i == 3 ? "a rather long class name with spaces" : "c" + i);
      cm.add(i, (i * 7) % n, i == 5 ? 12_345_678_901L : 1);
    }
    String table = cm.render(names);
    String[] lines = table.split("\n");
    assertEquals(n + 2, lines.length);
    int body = lines[0].length() - "   recall".length();
    for (int i = 0; i < n; i++) {
      String row = lines[i + 1];
      String recall = "   " + ConfusionMatrix.ratio(cm.recall(i));
      assertTrue(row.endsWith(recall), row);
      assertEquals(body, row.length() - recall.length(), "row " + i + " is aligned with the header: " + row);
    }
    assertEquals(body, lines[n + 1].length(), "the precision row too");
    assertTrue(lines[4].trim().startsWith("a rather long class name with spaces"), lines[4]);
    assertTrue(table.contains("12345678901"), "counts are never cut");
  }
}
