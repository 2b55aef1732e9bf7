package dev.cnnspark.driver.spec;

import java.util.List;

/** A job spec with mistakes: every problem found, each naming its field. */
public class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public SpecException(List<String> problems) {
    super("invalid job spec:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
