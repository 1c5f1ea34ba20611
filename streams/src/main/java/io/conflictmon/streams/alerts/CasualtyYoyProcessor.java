package io.conflictmon.streams.alerts;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.YoyBasis;
import io.conflictmon.streams.alerts.AlertLedger.Observation;
import io.conflictmon.streams.metrics.StreamsMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The {@code casualty-yoy} rule over the casualty totals of years (keys {@code source/yyyy}; month totals are not
 * subjects): a level is reached when the year's increase over the previous year is at least its percentage. A complete
 * year compares with the whole previous year, a year in progress with the same months of the previous year
 * (year to date); a year without a comparison (basis NONE, or a previous total of zero) reaches nothing. The subject
 * is the totals key, e.g. {@code ohchr/2025}; a correction that brings the increase below a level resolves it.
 */
public final class CasualtyYoyProcessor implements Processor<String, CasualtyTotals, String, EscalationAlert> {

  private final AlertRulesHolder rules;
  private final StreamsMetrics metrics;
  private AlertLedger ledger;

  public CasualtyYoyProcessor(AlertRulesHolder rules, StreamsMetrics metrics) {
    this.rules = rules;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, EscalationAlert> context) {
    this.ledger = new AlertLedger(context, AlertStores.CASUALTY_ALERT_STATE, AlertStores.CASUALTY_ALERTS, metrics);
  }

  @Override
  public void process(Record<String, CasualtyTotals> record) {
    String key = record.key();
    int slash = key == null ? -1 : key.lastIndexOf('/');
    if (slash < 0 || key.length() - slash - 1 != 4) {
      return; // a month total
    }
    String source = key.substring(0, slash);
    List<AlertRule> yoyRules = rules.current().ofKind(RuleKind.CASUALTY_YOY);
    for (AlertRule rule : yoyRules) {
      if (rule.coversSource(source)) {
        ledger.update(record, rule, key, observation(rule, key, record.value()));
      }
    }
  }

  private static Observation observation(AlertRule rule, String subject, CasualtyTotals totals) {
    boolean compared = totals != null && totals.getIncreasePct() != null
        && (totals.getBasis() == YoyBasis.FULL_YEAR || totals.getBasis() == YoyBasis.YEAR_TO_DATE);
    if (!compared) {
      return new Observation(0, Set.of(), AlertRule.Level::threshold,
          (level, status) -> "Casualties " + subject + ": no comparison with the previous year", Map.of());
    }
    double pct = totals.getIncreasePct();
    boolean toDate = totals.getBasis() == YoyBasis.YEAR_TO_DATE;
    Map<String, String> labels = new TreeMap<>();
    labels.put("source", totals.getSource());
    labels.put("year", Integer.toString(totals.getYear()));
    labels.put("basis", totals.getBasis().name());
    return new Observation(pct, Observation.reachedBy(rule, pct), AlertRule.Level::threshold,
        (level, status) -> String.format(Locale.ROOT, "Civilian casualties %s %d%s: %,d killed or injured, %+.2f%% over %s (%,d) %s %s%%",
            totals.getSource(), totals.getYear(),
            toDate ? " to date (" + totals.getMonthsCovered() + " months)" : "", totals.getTotal(), pct,
            toDate ? "the same months of " + (totals.getYear() - 1) : Integer.toString(totals.getYear() - 1),
            totals.getPreviousTotal(), status == AlertStatus.FIRING ? ">=" : "<",
            AlertRulesLoader.fmt(level.threshold())),
        labels);
  }
}
