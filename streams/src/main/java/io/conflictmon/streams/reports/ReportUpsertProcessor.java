package io.conflictmon.streams.reports;

import io.conflictmon.streams.metrics.StreamsMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the upsert log of a report topic (key = report id, null value = retraction) into
 * {@link ReportChange}s: it keeps the last accepted version of every report in a key-value store,
 * drops re-sent duplicates (same content, {@code reportedAt} ignored) and tombstones of unknown ids,
 * and forwards every real change with the version it replaces, so downstream aggregates can
 * subtract the old contribution exactly before adding the new one.
 */
public final class ReportUpsertProcessor<V> implements Processor<String, V, String, ReportChange<V>> {

  private final String storeName;
  private final String reportKind;
  private final BiPredicate<V, V> sameContent;
  private final Function<V, Instant> eventTime;
  private final StreamsMetrics metrics;
  private ProcessorContext<String, ReportChange<V>> context;
  private KeyValueStore<String, V> reports;

  /**
   * @param storeName   the key-value store (id -> last version) connected to this processor
   * @param reportKind  {@code strike} or {@code casualty}, a tag on the metrics
   * @param sameContent true when two versions count the same (a re-sent duplicate)
   * @param eventTime   when the reported event happened, for the event-time lag metric
   */
  public ReportUpsertProcessor(String storeName, String reportKind, BiPredicate<V, V> sameContent,
                               Function<V, Instant> eventTime, StreamsMetrics metrics) {
    this.storeName = storeName;
    this.reportKind = reportKind;
    this.sameContent = sameContent;
    this.eventTime = eventTime;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, ReportChange<V>> context) {
    this.context = context;
    this.reports = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    String id = record.key();
    V current = record.value();
    V previous = reports.get(id);
    metrics.recordProcessed(reportKind);
    if (current == null) {
      if (previous == null) {
        metrics.duplicate(reportKind);
        return; // retraction of a report we never counted (or already retracted): nothing to undo
      }
      reports.delete(id);
      metrics.retraction(reportKind);
    } else {
      if (previous != null && sameContent.test(previous, current)) {
        metrics.duplicate(reportKind);
        return;
      }
      reports.put(id, current);
      metrics.eventLag(reportKind,
          Duration.between(eventTime.apply(current), Instant.ofEpochMilli(context.currentSystemTimeMs())));
      if (previous != null) {
        metrics.correction(reportKind);
      }
    }
    context.forward(record.withValue(new ReportChange<>(id, previous, current)));
  }
}
