package io.conflictmon.streams.alerts;

import java.util.List;

/** A validated set of alert rules (names unique); load one with {@link AlertRulesLoader}. */
public record AlertRules(List<AlertRule> rules) {

  public AlertRules {
    rules = List.copyOf(rules);
  }

  public static AlertRules none() {
    return new AlertRules(List.of());
  }

  public List<AlertRule> ofKind(RuleKind kind) {
    return rules.stream().filter(rule -> rule.kind() == kind).toList();
  }

  public boolean has(RuleKind kind) {
    return rules.stream().anyMatch(rule -> rule.kind() == kind);
  }
}
