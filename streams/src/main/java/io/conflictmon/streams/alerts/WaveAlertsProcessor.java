package io.conflictmon.streams.alerts;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.Severity;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.alerts.AlertLedger.Observation;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.waves.WaveStores;
import io.conflictmon.streams.waves.WaveSummaries;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The wave rules over the changes the {@code WaveMerger} publishes (keyed by wave id; null = the wave is gone):
 * {@code wave-drones}, {@code wave-missiles} and {@code wave-record}. The subject of an alert is the wave id.
 *
 * <p><b>A wave that goes away</b> (merged into another by a late report, moved because a correction changed its start,
 * or emptied by retractions) gets its firing alerts RESOLVED: its id no longer names a wave. The wave that absorbed it
 * is its own subject and fires for whatever it reaches, so a merge reads as "resolved A, firing B" and nothing stays
 * firing for a wave that does not exist.
 *
 * <p><b>wave-record</b>: a wave is a record when it has more drones than every wave that starts before it and at least
 * one wave starts before it (the first wave of the data beats nothing); an alert fires for a level when a record wave
 * also has at least the level's threshold of drones, and reports the previous record as its threshold. Time order is
 * the waves' start, not arrival: a late or corrected wave changes the record status of the waves after it (a late
 * larger wave resolves the record alerts of the smaller later ones; a correction shrinking a record can make later
 * waves records), and those changes are raised too. The records are kept in {@link AlertStores#RECORD_WAVES}
 * (start -> drones of every wave that beats all earlier ones, the first wave included), so the largest wave before
 * any instant is one lookup; a change re-walks the waves after it only until the running maximum is again the one
 * the stored records give.
 */
public final class WaveAlertsProcessor implements Processor<String, WaveSummary, String, EscalationAlert> {

  private final AlertRulesHolder rules;
  private final StreamsMetrics metrics;
  private AlertLedger ledger;
  private KeyValueStore<Long, WaveSummary> waves;
  private KeyValueStore<Long, Long> records;
  /**
   * Wave start -> drones of every wave, and the record chain, in the heap: a change walks the waves after it in start
   * order, which the stores answer only with range scans (a RocksDB iterator and an Avro decode per wave). Loaded from
   * the stores in {@link #init} (called again after a restore) and kept in step with them: the drones from the wave
   * changes this processor receives (the merger writes the waves store right before it forwards each change), the
   * chain written here together with its store.
   */
  private final NavigableMap<Long, Integer> droneWaves = new TreeMap<>();
  private final NavigableMap<Long, Long> recordChain = new TreeMap<>();

  public WaveAlertsProcessor(AlertRulesHolder rules, StreamsMetrics metrics) {
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, EscalationAlert> context) {
    this.ledger = new AlertLedger(context, AlertStores.STRIKE_ALERT_STATE, AlertStores.STRIKE_ALERTS, metrics);
    this.waves = context.getStateStore(WaveStores.WAVES);
    this.records = context.getStateStore(AlertStores.RECORD_WAVES);
    droneWaves.clear();
    try (KeyValueIterator<Long, WaveSummary> it = waves.all()) {
      it.forEachRemaining(entry -> droneWaves.put(entry.key, entry.value.getDrones()));
    }
    recordChain.clear();
    try (KeyValueIterator<Long, Long> it = records.all()) {
      it.forEachRemaining(entry -> recordChain.put(entry.key, entry.value));
    }
  }

  @Override
  public void process(Record<String, WaveSummary> record) {
    AlertRules current = rules.current();
    String id = record.key();
    WaveSummary wave = record.value();
    long start = wave == null ? WaveStores.keyOf(id) : wave.getStart().toEpochMilli();
    if (wave == null) {
      droneWaves.remove(start);
    } else {
      droneWaves.put(start, wave.getDrones());
    }
    for (AlertRule rule : current.ofKind(RuleKind.WAVE_DRONES)) {
      ledger.update(record, rule, id, count(rule, id, wave, wave == null ? 0 : wave.getDrones()));
    }
    for (AlertRule rule : current.ofKind(RuleKind.WAVE_MISSILES)) {
      ledger.update(record, rule, id, count(rule, id, wave, wave == null ? 0 : wave.getMissiles()));
    }
    // The record chain is kept whatever the rules, so a wave-record rule added by a reload starts from true state.
    List<RecordStatus> statuses = updateRecords(start, wave);
    for (AlertRule rule : current.ofKind(RuleKind.WAVE_RECORD)) {
      for (RecordStatus status : statuses) {
        ledger.update(record, rule, status.id(), recordObservation(rule, status));
      }
    }
  }

  private static Observation count(AlertRule rule, String id, WaveSummary wave, int value) {
    String what = rule.kind().unit();
    if (wave == null) {
      return new Observation(0, Set.of(), level -> level.threshold(),
          (level, status) -> "Wave " + id + " is gone (merged into another or retracted)", Map.of());
    }
    return new Observation(value, Observation.reachedBy(rule, value), level -> level.threshold(),
        (level, status) -> "Wave " + id + ": " + value + " " + what
            + (status == AlertStatus.FIRING ? " >= " : " < ") + AlertRulesLoader.fmt(level.threshold()),
        waveLabels(wave));
  }

  private static Map<String, String> waveLabels(WaveSummary wave) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("wave", wave.getId());
    labels.put("end", wave.getEnd().toString());
    return labels;
  }

  /**
   * The record status of one wave after a change.
   *
   * @param wave     null when the wave is gone
   * @param previous the most drones of any wave before it; -1 when none starts before it
   */
  private record RecordStatus(String id, WaveSummary wave, boolean record, long previous) {
  }

  private static Observation recordObservation(AlertRule rule, RecordStatus status) {
    if (status.wave() == null) {
      return new Observation(0, Set.of(), level -> level.threshold(),
          (level, alertStatus) -> "Wave " + status.id() + " is gone (merged into another or retracted)", Map.of());
    }
    int drones = status.wave().getDrones();
    Set<Severity> reached = EnumSet.noneOf(Severity.class);
    if (status.record()) {
      reached.addAll(Observation.reachedBy(rule, drones));
    }
    return new Observation(drones, reached, level -> Math.max(0, status.previous()),
        (level, alertStatus) -> alertStatus == AlertStatus.FIRING
            ? "Wave " + status.id() + ": " + drones + " drones, a record above the " + status.previous()
              + " of the largest wave before it"
            : "Wave " + status.id() + ": " + drones + " drones, no longer a record"
              + (status.previous() >= 0 ? " (a wave before it had " + status.previous() + ")" : ""),
        waveLabels(status.wave()));
  }

  /** Updates the record chain for a change of the wave at {@code start}; returns the waves whose status may have changed. */
  private List<RecordStatus> updateRecords(long start, WaveSummary changed) {
    Map.Entry<Long, Long> lastBefore = recordChain.lowerEntry(start);
    long maxBefore = lastBefore == null ? -1 : lastBefore.getValue();
    NavigableMap<Long, Long> oldChain = new TreeMap<>(recordChain.tailMap(start, true));
    List<RecordStatus> statuses = new ArrayList<>();
    if (changed == null) {
      if (oldChain.containsKey(start)) {
        records.delete(start);
        recordChain.remove(start);
      }
      statuses.add(new RecordStatus(WaveSummaries.idOf(start), null, false, maxBefore));
    }
    long running = maxBefore;
    for (Map.Entry<Long, Integer> next : droneWaves.tailMap(start, true).entrySet()) {
      long key = next.getKey();
      Map.Entry<Long, Long> oldLast = oldChain.lowerEntry(key);
      long oldRunning = oldLast == null ? maxBefore : Math.max(maxBefore, oldLast.getValue());
      if (key != start && oldRunning == running) {
        break; // from here on every wave sees the same maximum before it as before the change
      }
      long drones = next.getValue();
      boolean inChain = drones > running;
      boolean wasInChain = oldChain.containsKey(key);
      boolean record = inChain && running >= 0;
      boolean wasRecord = wasInChain && oldRunning >= 0;
      if (inChain && !Long.valueOf(drones).equals(oldChain.get(key))) {
        records.put(key, drones);
        recordChain.put(key, drones);
      } else if (!inChain && wasInChain) {
        records.delete(key);
        recordChain.remove(key);
      }
      if (key == start || record != wasRecord) {
        WaveSummary wave = key == start ? changed : waves.get(key);
        statuses.add(new RecordStatus(wave.getId(), wave, record, running));
      }
      running = Math.max(running, drones);
    }
    return statuses;
  }
}
