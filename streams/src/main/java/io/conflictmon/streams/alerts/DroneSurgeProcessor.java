package io.conflictmon.streams.alerts;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.streams.alerts.AlertLedger.Observation;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.totals.KyivCalendar;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * starts from the true series): a plain long per day is cheaper to scan than the Avro totals, and a change of a day's
 * missiles only, which leaves every ratio as it was, is recognised and skipped.
 */
public final class DroneSurgeProcessor implements Processor<String, StrikeTotals, String, EscalationAlert> {

  private final AlertRulesHolder rules;
  private final StreamsMetrics metrics;
  private AlertLedger ledger;
  private KeyValueStore<String, Long> dailyDrones;
  /** Days at or after the first / at or before the latest day (hints only, never state: a stale one costs a scan). */
  private String firstHint;
  private String latestHint;

  public DroneSurgeProcessor(AlertRulesHolder rules, StreamsMetrics metrics) {
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, EscalationAlert> context) {
    this.ledger = new AlertLedger(context, AlertStores.STRIKE_ALERT_STATE, AlertStores.STRIKE_ALERTS, metrics);
    this.dailyDrones = context.getStateStore(AlertStores.DAILY_DRONES);
  }

  @Override
  public void process(Record<String, StrikeTotals> record) {
    if (record.key() == null || record.key().length() != 10) {
      return; // only day totals matter here
    }
    Long drones = record.value() == null ? null : record.value().getDrones();
    if (Objects.equals(drones, dailyDrones.get(record.key()))) {
      return; // e.g. only the missiles of the day changed
    }
    LocalDate oldFirst = firstDay();
    LocalDate oldLatest = latestDay();
    if (drones == null) {
      dailyDrones.delete(record.key());
    } else {
      dailyDrones.put(record.key(), drones);
    }
    List<AlertRule> surgeRules = rules.current().ofKind(RuleKind.DRONE_SURGE);
    if (surgeRules.isEmpty()) {
      return;
    }
    LocalDate changed = LocalDate.parse(record.key());
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
    Map<LocalDate, Long> drones = dronesPerDay(firstMonday.minusDays(span - 1), lastSunday);
    for (LocalDate monday = firstMonday; !monday.isAfter(lastSunday); monday = monday.plusWeeks(1)) {
      Ratio best = null;
      for (LocalDate day = monday; day.isBefore(monday.plusWeeks(1)) && !day.isAfter(latest); day = day.plusDays(1)) {
        Ratio ratio = day.minusDays(span - 1).isBefore(first) ? null : ratio(rule, day, drones);
        if (ratio != null && (best == null || ratio.value() > best.value())) {
          best = ratio;
        }
      }
      String week = weekOf(monday);
      ledger.update(record, rule, week, observation(rule, week, best));
    }
  }

  /** The window and baseline of one day. */
  private record Ratio(LocalDate day, long window, long baseline, double value) {
  }

  private static Ratio ratio(AlertRule rule, LocalDate day, Map<LocalDate, Long> drones) {
    long window = 0;
    long baseline = 0;
    for (int back = 0; back < rule.windowDays() + rule.baselineDays(); back++) {
      long count = drones.getOrDefault(day.minusDays(back), 0L);
      if (back < rule.windowDays()) {
        window += count;
      } else {
        baseline += count;
      }
    }
    if (baseline == 0) {
      return null;
    }
    double expected = (double) baseline / rule.baselineDays() * rule.windowDays();
    return new Ratio(day, window, baseline, window / expected);
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
    return String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** Drones per Kyiv day in {@code [from, to]}. */
  private Map<LocalDate, Long> dronesPerDay(LocalDate from, LocalDate to) {
    Map<LocalDate, Long> drones = new HashMap<>();
    try (KeyValueIterator<String, Long> it = dailyDrones.range(KyivCalendar.dayKey(from), KyivCalendar.dayKey(to))) {
      it.forEachRemaining(entry -> drones.put(LocalDate.parse(entry.key), entry.value));
    }
    return drones;
  }

  /** The first day with figures, or null. Found from a hint so an in-memory store does not copy every key. */
  private LocalDate firstDay() {
    if (firstHint != null) {
      try (KeyValueIterator<String, Long> it = dailyDrones.range(null, firstHint)) {
        if (it.hasNext()) {
          firstHint = it.next().key;
          return LocalDate.parse(firstHint);
        }
      }
    }
    try (KeyValueIterator<String, Long> it = dailyDrones.all()) {
      firstHint = it.hasNext() ? it.next().key : null;
    }
    return firstHint == null ? null : LocalDate.parse(firstHint);
  }

  /** The latest day with figures, or null. */
  private LocalDate latestDay() {
    if (latestHint != null) {
      try (KeyValueIterator<String, Long> it = dailyDrones.reverseRange(latestHint, null)) {
        if (it.hasNext()) {
          latestHint = it.next().key;
          return LocalDate.parse(latestHint);
        }
      }
    }
    try (KeyValueIterator<String, Long> it = dailyDrones.reverseAll()) {
      latestHint = it.hasNext() ? it.next().key : null;
    }
    return latestHint == null ? null : LocalDate.parse(latestHint);
  }
}
