package io.conflictmon.streams.alerts;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.streams.alerts.AlertLedger.Observation;
import io.conflictmon.streams.metrics.StreamsMetrics;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code drone-surge} rule over the daily strike totals (Kyiv days): for a day
 * D, the window is the {@code windowDays} ending on D and the baseline the {@code baselineDays} before the window;
 * D's ratio is {@code window drones / (baseline drones / baselineDays x windowDays)}, defined when the baseline has
 * drones and the figures cover the whole baseline (the first day with figures is no later than the baseline's first
 * day; otherwise the first weeks of the data would compare against a few days and always "surge"). A level is
 * reached when the ratio is at least its factor k.
 *
 * <p>The subject is the Kyiv ISO week of D ({@code 2026-W02}): a surge lasts days, and one alert per week and severity
 * says it once rather than every day. A week's value is the highest ratio of its days up to the latest day with
 * figures (later days are not known yet). A changed day changes the ratio of the days whose window or baseline holds
 * it, so the weeks of those days are re-evaluated (and, when the latest day moves on, the weeks of the days it passed).
 * Days without a report count as zero drones.
 *
 * <p>The drones per day are kept in {@link AlertStores#DAILY_DRONES} (whatever the rules, so a rule added by a reload
 * starts from the true series), a plain long per day, mirrored in the heap with prefix sums for the ratios; a change
 * of a day's missiles only, which leaves every ratio as it was, is recognised and skipped.
 */
public final class DroneSurgeProcessor implements Processor<String, StrikeTotals, String, EscalationAlert> {

  private final AlertRulesHolder rules;
  private final StreamsMetrics metrics;
  private AlertLedger ledger;
  private KeyValueStore<String, Long> dailyDrones;
  /**
   * The same series in the heap, by epoch day: every change re-reads up to 77 days around it and needs the first and
   * latest day, which the store answers only with range scans (a RocksDB iterator each). Loaded from the store in
   * {@link #init} (which Kafka Streams calls again after restoring the store, e.g. after an aborted transaction), and
   * written together with it, so it always holds exactly what the store holds.
   */
  private final NavigableMap<Long, Long> dronesByDay = new TreeMap<>();

  public DroneSurgeProcessor(AlertRulesHolder rules, StreamsMetrics metrics) {
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, EscalationAlert> context) {
    this.ledger = new AlertLedger(context, AlertStores.STRIKE_ALERT_STATE, AlertStores.STRIKE_ALERTS, metrics);
    this.dailyDrones = context.getStateStore(AlertStores.DAILY_DRONES);
    dronesByDay.clear();
    try (KeyValueIterator<String, Long> it = dailyDrones.all()) {
      it.forEachRemaining(entry -> dronesByDay.put(LocalDate.parse(entry.key).toEpochDay(), entry.value));
    }
  }

  @Override
  public void process(Record<String, StrikeTotals> record) {
    if (record.key() == null || record.key().length() != 10) {
      return; // only day totals matter here
    }
    Long drones = record.value() == null ? null : record.value().getDrones();
    LocalDate changed = LocalDate.parse(record.key());
    if (Objects.equals(drones, dronesByDay.get(changed.toEpochDay()))) {
      return; // e.g. only the missiles of the day changed
    }
    LocalDate oldFirst = firstDay();
    LocalDate oldLatest = latestDay();
    if (drones == null) {
      dailyDrones.delete(record.key());
      dronesByDay.remove(changed.toEpochDay());
    } else {
      dailyDrones.put(record.key(), drones);
      dronesByDay.put(changed.toEpochDay(), drones);
    }
    List<AlertRule> surgeRules = rules.current().ofKind(RuleKind.DRONE_SURGE);
    if (surgeRules.isEmpty()) {
      return;
    }
    LocalDate first = firstDay();
    LocalDate latest = latestDay();
    if (latest == null) {
      first = changed; // the last day went away: every week around it resolves
      latest = changed;
    }
    // Days between the latest day before and after the change gain or lose their evaluation.
    LocalDate firstAffected = changed;
    for (LocalDate bound : new LocalDate[] {oldLatest, latest}) {
      if (bound != null && bound.plusDays(1).isBefore(firstAffected)) {
        firstAffected = bound.plusDays(1);
      }
    }
    for (AlertRule rule : surgeRules) {
      int span = rule.windowDays() + rule.baselineDays();
      LocalDate lastAffected = changed.plusDays(span - 1);
      // A new first day moves the start of the coverage: the days whose span starts before the later of the two
      // first days gain or lose their evaluation.
      if (oldFirst != null && !oldFirst.equals(first)) {
        LocalDate later = oldFirst.isAfter(first) ? oldFirst : first;
        if (later.plusDays(span - 1).isAfter(lastAffected)) {
          lastAffected = later.plusDays(span - 1);
        }
      }
      evaluate(record, rule, firstAffected, lastAffected, first, latest);
    }
  }

  private void evaluate(Record<String, StrikeTotals> record, AlertRule rule, LocalDate from, LocalDate to,
                        LocalDate first, LocalDate latest) {
    LocalDate firstMonday = from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate lastSunday = to.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
    int span = rule.windowDays() + rule.baselineDays();
    DroneSums sums = new DroneSums(firstMonday.minusDays(span - 1).toEpochDay(), lastSunday.toEpochDay());
    long firstDay = first.toEpochDay();
    long latestDay = latest.toEpochDay();
    for (LocalDate monday = firstMonday; !monday.isAfter(lastSunday); monday = monday.plusWeeks(1)) {
      Ratio best = null;
      long mondayDay = monday.toEpochDay();
      for (long day = mondayDay; day < mondayDay + 7 && day <= latestDay; day++) {
        Ratio ratio = day - (span - 1) < firstDay ? null : ratio(rule, day, sums);
        if (ratio != null && (best == null || ratio.value() > best.value())) {
          best = ratio;
        }
      }
      String week = weekOf(monday);
      ledger.update(record, rule, week, observation(rule, week, best));
    }
  }

  /** Prefix sums of the drones per day over {@code [from, to]} (epoch days), so any run of days sums in O(1). */
  private final class DroneSums {
    private final long from;
    private final long[] prefix;

    DroneSums(long from, long to) {
      this.from = from;
      this.prefix = new long[(int) (to - from + 2)];
      for (Map.Entry<Long, Long> day : dronesByDay.subMap(from, true, to, true).entrySet()) {
        prefix[(int) (day.getKey() - from) + 1] = day.getValue();
      }
      for (int i = 1; i < prefix.length; i++) {
        prefix[i] += prefix[i - 1];
      }
    }

    /** Drones in the {@code days} days ending on {@code last}. */
    long sum(long last, int days) {
      return prefix[(int) (last - from) + 1] - prefix[(int) (last - days + 1 - from)];
    }
  }

  /** The window and baseline of one day. */
  private record Ratio(LocalDate day, long window, long baseline, double value) {
  }

  private static Ratio ratio(AlertRule rule, long day, DroneSums sums) {
    long window = sums.sum(day, rule.windowDays());
    long baseline = sums.sum(day - rule.windowDays(), rule.baselineDays());
    if (baseline == 0) {
      return null;
    }
    double expected = (double) baseline / rule.baselineDays() * rule.windowDays();
    return new Ratio(LocalDate.ofEpochDay(day), window, baseline, window / expected);
  }

  private static Observation observation(AlertRule rule, String week, Ratio best) {
    if (best == null) {
      return new Observation(0, Set.of(), AlertRule.Level::threshold,
          (level, status) -> "Week " + week + ": no drone surge (no complete baseline)", Map.of());
    }
    double value = Math.round(best.value() * 100) / 100.0;
    double dailyMean = (double) best.baseline() / rule.baselineDays();
    return new Observation(value, Observation.reachedBy(rule, best.value()), AlertRule.Level::threshold,
        (level, status) -> String.format(Locale.ROOT, "Week %s: %d drones in the %d days to %s, %.2f x the daily mean of the %d days"
                + " before (%.1f) x %d %s %s", week, best.window(), rule.windowDays(), best.day(), best.value(),
            rule.baselineDays(), dailyMean, rule.windowDays(), status == AlertStatus.FIRING ? ">=" : "<",
            AlertRulesLoader.fmt(level.threshold())),
        Map.of("week", week, "day", best.day().toString()));
  }

  /** {@code 2026-W02}: the ISO week (Monday to Sunday) of a Kyiv day. */
  static String weekOf(LocalDate day) {
    int week = day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    return day.get(IsoFields.WEEK_BASED_YEAR) + (week < 10 ? "-W0" : "-W") + week;
  }

  /** The first day with figures, or null. */
  private LocalDate firstDay() {
    return dronesByDay.isEmpty() ? null : LocalDate.ofEpochDay(dronesByDay.firstKey());
  }

  /** The latest day with figures, or null. */
  private LocalDate latestDay() {
    return dronesByDay.isEmpty() ? null : LocalDate.ofEpochDay(dronesByDay.lastKey());
  }
}
