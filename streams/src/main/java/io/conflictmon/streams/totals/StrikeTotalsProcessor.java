package io.conflictmon.streams.totals;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.streams.reports.ReportChange;
import io.conflictmon.streams.reports.WeaponClasses;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Strike totals per Kyiv day, month and year (by the day a report counts on, see
 * {@link KyivCalendar#countingDay}), all precisions included. Adder/subtractor semantics: a change
 * subtracts the previous version's contribution from its periods and adds the current version's to
 * its own, so a correction that moves a report to another day moves its numbers too. A period whose
 * last report went away is deleted and gets a tombstone; a change that leaves a period's figures as
 * they were (a corrected launch area, say) publishes nothing.
 */
public final class StrikeTotalsProcessor implements Processor<String, ReportChange<StrikeReport>, String, StrikeTotals> {

  /** Periods kept decoded: every day, month and year of about 25 years. */
  static final int DECODED_PERIODS = 10_000;

  private ProcessorContext<String, StrikeTotals> context;
  private KeyValueStore<String, StrikeTotals> totals;
  /**
   * The latest totals of recently changed periods, decoded: every report updates its day, month and year, and a store
   * read is a record-cache lookup and an Avro decode each. This processor is the only writer of the store and writes
   * through, so an entry is always the store's value; bounded (least recently used out), and emptied in {@link #init},
   * since a restored store may hold other values.
   */
  private final Map<String, StrikeTotals> decoded = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, StrikeTotals> eldest) {
      return size() > DECODED_PERIODS;
    }
  };

  @Override
  public void init(ProcessorContext<String, StrikeTotals> context) {
    this.context = context;
    this.totals = context.getStateStore(StrikeTotalsStores.TOTALS);
    decoded.clear();
  }

  @Override
  public void process(Record<String, ReportChange<StrikeReport>> record) {
    ReportChange<StrikeReport> change = record.value();
    Map<String, Delta> deltas = new LinkedHashMap<>();
    if (change.previous() != null) {
      addContribution(deltas, change.previous(), -1);
    }
    if (change.current() != null) {
      addContribution(deltas, change.current(), +1);
    }
    Instant updatedAt = Instant.ofEpochMilli(record.timestamp());
    for (Map.Entry<String, Delta> entry : deltas.entrySet()) {
      Delta delta = entry.getValue();
      if (delta.isZero()) {
        continue;
      }
      String period = entry.getKey();
      StrikeTotals before = decoded.get(period);
      StrikeTotals updated = delta.applyTo(period, before != null ? before : totals.get(period), updatedAt);
      if (updated.getReportCount() <= 0) {
        totals.delete(period);
        decoded.remove(period);
        context.forward(record.withKey(period).withValue(null));
      } else {
        totals.put(period, updated);
        decoded.put(period, updated);
        context.forward(record.withKey(period).withValue(updated));
      }
    }
  }

  private static void addContribution(Map<String, Delta> deltas, StrikeReport report, int sign) {
    for (String period : KyivCalendar.periodsOf(report)) {
      deltas.computeIfAbsent(period, p -> new Delta()).add(report, sign);
    }
  }

  /** What one change adds to (or takes from) one period. */
  private static final class Delta {
    private long drones;
    private long missiles;
    private long destroyed;
    private int reportCount;
    private final Map<String, Long> byClass = new HashMap<>();

    void add(StrikeReport report, int sign) {
      long launched = (long) sign * report.getLaunched();
      if (WeaponClasses.isDrone(report.getWeaponClass())) {
        drones += launched;
      } else {
        missiles += launched;
      }
      destroyed += report.getDestroyed() == null ? 0 : (long) sign * report.getDestroyed();
      reportCount += sign;
      byClass.merge(report.getWeaponClass().name(), launched, Long::sum);
    }

    boolean isZero() {
      return drones == 0 && missiles == 0 && destroyed == 0 && reportCount == 0
          && byClass.values().stream().allMatch(v -> v == 0);
    }

    StrikeTotals applyTo(String period, StrikeTotals before, Instant updatedAt) {
      Map<String, Long> classes = new TreeMap<>(before == null ? Map.of() : before.getByClass());
      byClass.forEach((weaponClass, launched) -> classes.merge(weaponClass, launched, Long::sum));
      classes.values().removeIf(v -> v == 0);
      return StrikeTotals.newBuilder()
          .setPeriod(period)
          .setGranularity(KyivCalendar.granularityOf(period))
          .setDrones((before == null ? 0 : before.getDrones()) + drones)
          .setMissiles((before == null ? 0 : before.getMissiles()) + missiles)
          .setDestroyed((before == null ? 0 : before.getDestroyed()) + destroyed)
          .setByClass(classes)
          .setReportCount((before == null ? 0 : before.getReportCount()) + reportCount)
          .setUpdatedAt(updatedAt)
          .build();
    }
  }
}
