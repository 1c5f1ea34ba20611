package io.conflictmon.streams.alerts;

import java.util.List;

/** A rules file that cannot be used; the message names every bad rule, its field and what is allowed. */
public final class AlertRulesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  AlertRulesException(String origin, List<String> problems) {
    super("invalid alert rules in " + origin + ":\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, e.g. {@code rules[1] (wave-drones): levels.SEVERE: unknown severity, allowed: ...}. */
  public List<String> problems() {
    return problems;
  }
}
