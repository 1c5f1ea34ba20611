package io.conflictmon.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * The topology's metric hooks, on a Micrometer {@link MeterRegistry} given in the settings (a
 * Prometheus registry in production, a {@link SimpleMeterRegistry} in tests). Meter names are the
 * constants below; every counter is tagged with the kind of input or the reason where it has one.
 */
public final class StreamsMetrics {

  public static final String RECORDS_PROCESSED = "conflictmon.streams.records.processed";
  public static final String DUPLICATES = "conflictmon.streams.reports.duplicates";
  public static final String CORRECTIONS = "conflictmon.streams.reports.corrections";
  public static final String RETRACTIONS = "conflictmon.streams.reports.retractions";
  public static final String WAVES_OPENED = "conflictmon.streams.waves.opened";
  public static final String WAVES_MERGED = "conflictmon.streams.waves.merged";
  public static final String WAVES_SPLIT = "conflictmon.streams.waves.split";
  public static final String WAVES_CLOSED = "conflictmon.streams.waves.closed";
  public static final String DLQ_RECORDS = "conflictmon.streams.dlq.records";
  public static final String EVENT_LAG = "conflictmon.streams.event.lag";
  /** Alerts raised by the topology, tagged rule, severity and status (FIRING or RESOLVED). */
  public static final String ALERTS_FIRED = "conflictmon.alerts.fired";

  public static final String TAG_KIND = "kind";
  public static final String TAG_REASON = "reason";
  public static final String TAG_RULE = "rule";
  public static final String TAG_SEVERITY = "severity";
  public static final String TAG_STATUS = "status";

  private final MeterRegistry registry;
  private final Counter wavesOpened;
  private final Counter wavesMerged;
  private final Counter wavesSplit;
  private final Counter wavesClosed;

  public StreamsMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.wavesOpened = Counter.builder(WAVES_OPENED).description("Waves that started with a new report").register(registry);
    this.wavesMerged = Counter.builder(WAVES_MERGED).description("Waves merged into another by a late or corrected report").register(registry);
    this.wavesSplit = Counter.builder(WAVES_SPLIT).description("Extra waves created when a correction or retraction split a wave").register(registry);
    this.wavesClosed = Counter.builder(WAVES_CLOSED).description("Waves that lost their last report").register(registry);
  }

  /** Metrics on a private registry, for tests and tools that do not read them. */
  public static StreamsMetrics noop() {
    return new StreamsMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void recordProcessed(String kind) {
    registry.counter(RECORDS_PROCESSED, TAG_KIND, kind).increment();
  }

  public void duplicate(String kind) {
    registry.counter(DUPLICATES, TAG_KIND, kind).increment();
  }

  public void correction(String kind) {
    registry.counter(CORRECTIONS, TAG_KIND, kind).increment();
  }

  public void retraction(String kind) {
    registry.counter(RETRACTIONS, TAG_KIND, kind).increment();
  }

  public void wavesOpened(int count) {
    wavesOpened.increment(count);
  }

  public void wavesMerged(int count) {
    wavesMerged.increment(count);
  }

  public void wavesSplit(int count) {
    wavesSplit.increment(count);
  }

  public void wavesClosed(int count) {
    wavesClosed.increment(count);
  }

  public void alert(String rule, String severity, String status) {
    registry.counter(ALERTS_FIRED, TAG_RULE, rule, TAG_SEVERITY, severity, TAG_STATUS, status).increment();
  }

  public void deadLettered(String reasonCode) {
    registry.counter(DLQ_RECORDS, TAG_REASON, reasonCode).increment();
  }

  /**
   * How long after the event (the end of its window) a report was processed; negative lags (clock
   * skew, reports of the future) are recorded as zero.
   */
  public void eventLag(String kind, Duration lag) {
    Timer.builder(EVENT_LAG)
        .description("Processing time minus the report's event time")
        .tag(TAG_KIND, kind)
        .register(registry)
        .record(lag.isNegative() ? Duration.ZERO : lag);
  }
}
