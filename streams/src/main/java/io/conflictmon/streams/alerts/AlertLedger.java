package io.conflictmon.streams.alerts;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.Severity;
import io.conflictmon.streams.metrics.StreamsMetrics;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What fired, per rule, subject and severity, and the one place that raises alerts: {@link #update} compares the
 * severities a subject reaches now with those firing before, raises FIRING for each new one and RESOLVED for each one
 * no longer reached, records them (state and history stores) and forwards them. So an alert fires once per subject and
 * severity, a re-sent report (same figures) raises nothing, growth raises only the next severity, and a correction
 * below a threshold resolves exactly that severity. Alert ids are {@code rule/subject/severity/status}.
 */
final class AlertLedger {

  /**
   * What one subject shows now under one rule.
   *
   * @param reached     the severities whose condition holds now (empty: none, e.g. the subject is gone)
   * @param threshold   the threshold an alert of a level reports (usually the level's own)
   * @param summary     one line for a person, per level and status
   * @param labels      extra labels of this subject
   */
  record Observation(double value, Set<Severity> reached, ToDoubleFunction<AlertRule.Level> threshold,
                     BiFunction<AlertRule.Level, AlertStatus, String> summary, Map<String, String> labels) {

    /** The levels whose threshold the value reaches ({@code value >= threshold}). */
    static Set<Severity> reachedBy(AlertRule rule, double value) {
      Set<Severity> reached = EnumSet.noneOf(Severity.class);
      rule.levels().stream().filter(level -> value >= level.threshold()).forEach(level -> reached.add(level.severity()));
      return reached;
    }
  }

  private final KeyValueStore<String, String> state;
  private final KeyValueStore<String, EscalationAlert> history;
  private final StreamsMetrics metrics;
  private final ProcessorContext<String, EscalationAlert> context;
  /**
   * The state store's content in the heap, decoded: every wave change and day change asks for a few subjects, most of
   * them never seen (a miss goes through the cache to RocksDB). Loaded when a processor's {@code init} creates the
   * ledger (again after a restore) and written together with the store. Two processors may keep a ledger over the same
   * store (wave rules and drone-surge on the strike side): each reads and writes only the keys of its own rules, whose
   * names are unique, so the other's entries in its copy are never read.
   */
  private final Map<String, Set<Severity>> firing = new HashMap<>();

  AlertLedger(ProcessorContext<String, EscalationAlert> context, String stateStore, String historyStore,
              StreamsMetrics metrics) {
    this.context = context;
    this.state = context.getStateStore(stateStore);
    this.history = context.getStateStore(historyStore);
    this.metrics = metrics;
    try (KeyValueIterator<String, String> it = state.all()) {
      it.forEachRemaining(entry -> firing.put(entry.key, decode(entry.value)));
    }
  }

  /** Brings the alerts of one rule's subject in line with what it shows now; raised at the record's timestamp. */
  void update(Record<?, ?> cause, AlertRule rule, String subject, Observation now) {
    String key = rule.name() + "/" + subject;
    Set<Severity> before = firing.getOrDefault(key, Set.of());
    if (before.equals(now.reached())) {
      return;
    }
    Map<Severity, AlertRule.Level> levels = new LinkedHashMap<>();
    rule.levels().forEach(level -> levels.put(level.severity(), level));
    Set<Severity> changed = EnumSet.noneOf(Severity.class);
    changed.addAll(before);
    changed.addAll(now.reached());
    Instant at = Instant.ofEpochMilli(cause.timestamp());
    for (Severity severity : changed) {
      boolean firing = now.reached().contains(severity);
      if (firing == before.contains(severity)) {
        continue;
      }
      // A level removed by a rules reload has no threshold any more: its alert is resolved at threshold 0.
      AlertRule.Level level = levels.getOrDefault(severity, new AlertRule.Level(severity, 0));
      AlertStatus status = firing ? AlertStatus.FIRING : AlertStatus.RESOLVED;
      Map<String, String> labels = new TreeMap<>(rule.labels());
      labels.putAll(now.labels());
      EscalationAlert alert = EscalationAlert.newBuilder()
          .setId(String.join("/", rule.name(), subject, severity.name(), status.name()))
          .setRule(rule.name())
          .setSeverity(severity)
          .setStatus(status)
          .setSubject(subject)
          .setValue(now.value())
          .setThreshold(now.threshold().applyAsDouble(level))
          .setSummary(now.summary().apply(level, status))
          .setLabels(new LinkedHashMap<>(labels))
          .setFiredAt(at)
          .build();
      history.put(AlertStores.historyKey(alert), alert);
      context.forward(new Record<>(alert.getId(), alert, cause.timestamp()));
      metrics.alert(rule.name(), severity.name(), status.name());
    }
    if (now.reached().isEmpty()) {
      state.delete(key);
      firing.remove(key);
    } else {
      state.put(key, encode(now.reached()));
      Set<Severity> reached = EnumSet.noneOf(Severity.class);
      reached.addAll(now.reached());
      firing.put(key, reached);
    }
  }

  static Set<Severity> decode(String severities) {
    Set<Severity> out = EnumSet.noneOf(Severity.class);
    if (severities != null && !severities.isEmpty()) {
      Arrays.stream(severities.split(",")).map(Severity::valueOf).forEach(out::add);
    }
    return out;
  }

  static String encode(Set<Severity> severities) {
    return severities.stream().sorted().map(Severity::name).collect(Collectors.joining(","));
  }
}
