package io.conflictmon.streams.alerts;

import io.conflictmon.avro.Severity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One validated rule of a rules file: its name (the {@code rule} of the alerts it raises), its kind and its levels,
 * lowest severity first; see {@link AlertRulesLoader} for the file format.
 *
 * @param labels       extra labels copied into every alert of the rule
 * @param windowDays   drone-surge: the days summed (7); 0 for other kinds
 * @param baselineDays drone-surge: the days before the window whose daily mean is the baseline (28); 0 for other kinds
 * @param source       casualty-yoy: only totals of this source; null = every source
 */
public record AlertRule(String name, RuleKind kind, List<Level> levels, Map<String, String> labels,
                        int windowDays, int baselineDays, String source) {

  /** A severity and the threshold a value must reach (>=) for it. */
  public record Level(Severity severity, double threshold) {
  }

  public AlertRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    levels = List.copyOf(levels);
    labels = Map.copyOf(labels);
  }

  /** True when this rule applies to the casualty totals of the source. */
  public boolean coversSource(String totalsSource) {
    return source == null || source.equals(totalsSource);
  }
}
