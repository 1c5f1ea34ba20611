package io.conflictmon.streams.casualties;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.streams.reports.ReportChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the casualty totals per source and year (and month) in step with the casualty reports.
 * Supersession makes totals non-additive (an annual report replaces its month reports), so instead of
 * adding and subtracting, every change recomputes the years it touches from the reports of those years
 * ({@link CasualtyTotalsCalculator}), found through an index store keyed {@code source/yyyy/id}. Year
 * Y+1 is recomputed along with year Y because its year-on-year figures compare against Y. Only totals
 * whose figures changed are published; totals that lost their last report get a tombstone.
 */
public final class CasualtyTotalsProcessor implements Processor<String, ReportChange<CasualtyReport>, String, CasualtyTotals> {

  private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

  private ProcessorContext<String, CasualtyTotals> context;
  private KeyValueStore<String, CasualtyReport> reportsByYear;
  private KeyValueStore<String, CasualtyTotals> totals;

  @Override
  public void init(ProcessorContext<String, CasualtyTotals> context) {
    this.context = context;
    this.reportsByYear = context.getStateStore(CasualtyStores.REPORTS_BY_YEAR);
    this.totals = context.getStateStore(CasualtyStores.TOTALS);
  }

  @Override
  public void process(Record<String, ReportChange<CasualtyReport>> record) {
    ReportChange<CasualtyReport> change = record.value();
    TreeSet<SourceYear> toRecompute = new TreeSet<>();
    if (change.previous() != null) {
      yearOf(change.previous()).ifPresent(year -> {
        reportsByYear.delete(CasualtyStores.indexKey(change.previous().getSource(), year, change.id()));
        toRecompute.add(new SourceYear(change.previous().getSource(), year));
        toRecompute.add(new SourceYear(change.previous().getSource(), year + 1));
      });
    }
    if (change.current() != null) {
      yearOf(change.current()).ifPresent(year -> {
        reportsByYear.put(CasualtyStores.indexKey(change.current().getSource(), year, change.id()), change.current());
        toRecompute.add(new SourceYear(change.current().getSource(), year));
        toRecompute.add(new SourceYear(change.current().getSource(), year + 1));
      });
    }
    Instant updatedAt = Instant.ofEpochMilli(record.timestamp());
    for (SourceYear sourceYear : toRecompute) {
      recompute(record, sourceYear, updatedAt);
    }
  }

  private void recompute(Record<String, ReportChange<CasualtyReport>> record, SourceYear sourceYear, Instant updatedAt) {
    String source = sourceYear.source();
    int year = sourceYear.year();
    Map<String, CasualtyTotals> fresh = CasualtyTotalsCalculator.totals(source, year,
        reportsOf(source, year), reportsOf(source, year - 1), updatedAt);

    List<String> keys = new ArrayList<>();
    keys.add(CasualtyPeriod.yearKey(source, year));
    for (int month = 1; month <= 12; month++) {
      keys.add(CasualtyPeriod.monthKey(source, year, month));
    }
    for (String key : keys) {
      CasualtyTotals before = totals.get(key);
      CasualtyTotals after = fresh.get(key);
      if (after == null) {
        if (before != null) {
          totals.delete(key);
          context.forward(record.withKey(key).withValue(null));
        }
      } else if (!CasualtyTotalsCalculator.sameContent(before, after)) {
        totals.put(key, after);
        context.forward(record.withKey(key).withValue(after));
      }
    }
  }

  private List<CasualtyReport> reportsOf(String source, int year) {
    List<CasualtyReport> reports = new ArrayList<>();
    try (KeyValueIterator<String, CasualtyReport> it =
             reportsByYear.prefixScan(CasualtyStores.yearPrefix(source, year), PREFIX_SERIALIZER)) {
      it.forEachRemaining(entry -> reports.add(entry.value));
    }
    return reports;
  }

  private static Optional<Integer> yearOf(CasualtyReport report) {
    return CasualtyPeriod.of(report).map(CasualtyPeriod::year);
  }

  /** A source's year, ordered so earlier years are recomputed first. */
  private record SourceYear(String source, int year) implements Comparable<SourceYear> {
    @Override
    public int compareTo(SourceYear other) {
      int bySource = source.compareTo(other.source);
      return bySource != 0 ? bySource : Integer.compare(year, other.year);
    }
  }
}
