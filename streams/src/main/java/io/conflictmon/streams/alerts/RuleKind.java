package io.conflictmon.streams.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of alert rule, by the name a rules file gives them ({@code rule: wave-drones}). */
public enum RuleKind {
  /** A wave's drones reach the level's threshold. */
  WAVE_DRONES("wave-drones", "drones"),
  /** A wave's missiles reach the level's threshold. */
  WAVE_MISSILES("wave-missiles", "missiles"),
  /** A wave has more drones than every wave before it, and at least the level's threshold. */
  WAVE_RECORD("wave-record", "drones"),
  /** Drones of the last windowDays reach threshold x the daily mean of the baselineDays before, x windowDays. */
  DRONE_SURGE("drone-surge", "x the baseline"),
  /** A year's (or year-to-date) casualties rise at least threshold percent over the previous year's. */
  CASUALTY_YOY("casualty-yoy", "%");

  private final String yamlName;
  private final String unit;

  RuleKind(String yamlName, String unit) {
    this.yamlName = yamlName;
    this.unit = unit;
  }

  public String yamlName() {
    return yamlName;
  }

  /** What a threshold of this kind counts, for summaries. */
  public String unit() {
    return unit;
  }

  public static Optional<RuleKind> byName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(kind -> kind.yamlName.equals(wanted)).findFirst();
  }

  /** {@code wave-drones, wave-missiles, ...} for error messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(RuleKind::yamlName).collect(Collectors.joining(", "));
  }
}
