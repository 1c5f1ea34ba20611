package io.conflictmon.streams.app;

import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.streams.alerts.AlertRulesHolder;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology is built from: topic names (defaults from {@link Topics}), the serdes, the wave
 * gap, the kind of state stores, the metrics registry and the alert rules. Immutable; {@code with...} returns a copy.
 *
 * @param waveGap          reports whose windows lie at most this far apart belong to one wave (default 3 h)
 * @param persistentStores RocksDB stores (default) or in-memory ones; both have changelogs
 * @param alertRules       the alert rules in force, read per record (reloadable); default the bundled rules
 */
public record TopologySettings(
    String strikeReportsTopic,
    String casualtyReportsTopic,
    String dlqTopic,
    String wavesTopic,
    String strikeTotalsTopic,
    String casualtyTotalsTopic,
    String alertsTopic,
    TopicSerdes serdes,
    Duration waveGap,
    boolean persistentStores,
    StreamsMetrics metrics,
    AlertRulesHolder alertRules) {

  public static final Duration DEFAULT_WAVE_GAP = Duration.ofHours(3);

  public TopologySettings {
    Objects.requireNonNull(strikeReportsTopic, "strikeReportsTopic");
    Objects.requireNonNull(casualtyReportsTopic, "casualtyReportsTopic");
    Objects.requireNonNull(dlqTopic, "dlqTopic");
    Objects.requireNonNull(wavesTopic, "wavesTopic");
    Objects.requireNonNull(strikeTotalsTopic, "strikeTotalsTopic");
    Objects.requireNonNull(casualtyTotalsTopic, "casualtyTotalsTopic");
    Objects.requireNonNull(alertsTopic, "alertsTopic");
    Objects.requireNonNull(alertRules, "alertRules");
    Objects.requireNonNull(serdes, "serdes");
    Objects.requireNonNull(waveGap, "waveGap");
    Objects.requireNonNull(metrics, "metrics");
    if (waveGap.isNegative()) {
      throw new IllegalArgumentException("wave.gap must not be negative, got " + waveGap);
    }
  }

  /** The DESIGN.md topics, a 3 h wave gap, persistent stores, metrics on the given registry, the bundled alert rules. */
  public static TopologySettings defaults(TopicSerdes serdes, MeterRegistry registry) {
    return new TopologySettings(Topics.STRIKE_REPORTS, Topics.CASUALTY_REPORTS, Topics.INGEST_DLQ, Topics.WAVES,
        Topics.STRIKE_TOTALS, Topics.CASUALTY_TOTALS, Topics.ALERTS, serdes, DEFAULT_WAVE_GAP, true,
        new StreamsMetrics(registry), AlertRulesHolder.defaults());
  }

  public TopologySettings withWaveGap(Duration gap) {
    return new TopologySettings(strikeReportsTopic, casualtyReportsTopic, dlqTopic, wavesTopic, strikeTotalsTopic,
        casualtyTotalsTopic, alertsTopic, serdes, gap, persistentStores, metrics, alertRules);
  }

  public TopologySettings withPersistentStores(boolean persistent) {
    return new TopologySettings(strikeReportsTopic, casualtyReportsTopic, dlqTopic, wavesTopic, strikeTotalsTopic,
        casualtyTotalsTopic, alertsTopic, serdes, waveGap, persistent, metrics, alertRules);
  }

  /** Same settings with these rules (e.g. {@link AlertRulesHolder#fromFile}, watched for changes). */
  public TopologySettings withAlertRules(AlertRulesHolder rules) {
    return new TopologySettings(strikeReportsTopic, casualtyReportsTopic, dlqTopic, wavesTopic, strikeTotalsTopic,
        casualtyTotalsTopic, alertsTopic, serdes, waveGap, persistentStores, metrics, rules);
  }

  /** Same settings with every topic name replaced (e.g. per-test topics). */
  public TopologySettings withTopics(String strikeReports, String casualtyReports, String dlq, String waves,
                                     String strikeTotals, String casualtyTotals, String alerts) {
    return new TopologySettings(strikeReports, casualtyReports, dlq, waves, strikeTotals, casualtyTotals, alerts,
        serdes, waveGap, persistentStores, metrics, alertRules);
  }
}
