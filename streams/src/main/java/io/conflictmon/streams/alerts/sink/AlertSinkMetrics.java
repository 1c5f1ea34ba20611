package io.conflictmon.streams.alerts.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one webhook (tag {@code sink} = its name). Prometheus names:
 * <ul>
 *   <li>{@code conflictmon_alerts_sink_deliveries_total{sink,outcome}}: alerts, by outcome: {@code delivered} (2xx),
 *       {@code retry} (in a POST that failed and is retried: an alert retried 3 times counts 3), {@code refused} (a
 *       permanent 4xx: dropped), {@code skipped} (a record that does not decode);</li>
 *   <li>{@code conflictmon_alerts_sink_delivery_seconds{sink}}: from reading a batch to the receiver's 2xx, retries
 *       included;</li>
 *   <li>{@code conflictmon_alerts_sink_consecutive_failures{sink}}: failed POSTs since the last success (0 = healthy).</li>
 * </ul>
 * All are registered at start, so {@code rate()} and alert rules see zeros before the first alert.
 */
final class AlertSinkMetrics {
  static final String DELIVERIES = "conflictmon.alerts.sink.deliveries";
  static final String DELIVERY = "conflictmon.alerts.sink.delivery";
  static final String CONSECUTIVE_FAILURES = "conflictmon.alerts.sink.consecutive.failures";
  static final String TAG_SINK = "sink";
  static final String TAG_OUTCOME = "outcome";

  private final Counter delivered;
  private final Counter retried;
  private final Counter refused;
  private final Counter skipped;
  private final Timer delivery;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final MeterRegistry registry;
  private final Gauge failuresGauge;

  AlertSinkMetrics(MeterRegistry registry, String sink) {
    this.registry = registry;
    this.delivered = deliveries(registry, sink, "delivered");
    this.retried = deliveries(registry, sink, "retry");
    this.refused = deliveries(registry, sink, "refused");
    this.skipped = deliveries(registry, sink, "skipped");
    this.delivery = Timer.builder(DELIVERY)
        .description("From reading a batch of alerts to the webhook's 2xx, retries included")
        .tag(TAG_SINK, sink)
        .register(registry);
    this.failuresGauge = Gauge.builder(CONSECUTIVE_FAILURES, consecutiveFailures, AtomicInteger::get)
        .description("Failed webhook POSTs since the last success")
        .tag(TAG_SINK, sink)
        .register(registry);
  }

  private static Counter deliveries(MeterRegistry registry, String sink, String outcome) {
    return Counter.builder(DELIVERIES)
        .description("Alerts by delivery outcome: delivered, retry (per failed attempt), refused, skipped")
        .tag(TAG_SINK, sink)
        .tag(TAG_OUTCOME, outcome)
        .register(registry);
  }

  void delivered(int alerts, Duration sinceRead) {
    delivered.increment(alerts);
    delivery.record(sinceRead);
    consecutiveFailures.set(0);
  }

  void failed(int alerts) {
    retried.increment(alerts);
    consecutiveFailures.incrementAndGet();
  }

  void refused(int alerts) {
    refused.increment(alerts);
    consecutiveFailures.set(0);
  }

  void skipped() {
    skipped.increment();
  }

  int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** Removes the gauge, so a sink started again on this registry reports its own state, not this one's. */
  void close() {
    registry.remove(failuresGauge);
  }
}
