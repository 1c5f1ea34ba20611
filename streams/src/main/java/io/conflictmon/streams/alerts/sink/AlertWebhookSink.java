package io.conflictmon.streams.alerts.sink;

import io.conflictmon.schemas.TopicSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts the escalation alerts of {@code conflict.alerts.v1} to webhooks in Alertmanager's {@code /api/v2/alerts}
 * shape ({@link AlertmanagerPayload}). A sink reads the alert topic, never the topology: a receiver that is down or
 * slow delays only its own deliveries. Each webhook has its own consumer group, thread and retry state
 * ({@link WebhookDelivery}), so one dead receiver never holds back another; its alerts wait in Kafka and go out, in
 * order, once it answers again, also across restarts (offsets are committed only after a 2xx).
 *
 * <p>Several instances started on the same settings share the work: each alert goes to each webhook once.
 */
public final class AlertWebhookSink implements AutoCloseable {
  private final List<WebhookDelivery> deliveries;

  private AlertWebhookSink(List<WebhookDelivery> deliveries) {
    this.deliveries = deliveries;
  }

  /**
   * Starts one delivery per webhook of the settings (none when there are none).
   *
   * @param serdes decodes the alerts (its registry client stays the caller's)
   * @param meters gets the sink's meters ({@link AlertSinkMetrics}) and its consumers' client metrics
   */
  public static AlertWebhookSink start(AlertSinkSettings settings, TopicSerdes serdes, MeterRegistry meters) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(serdes, "serdes");
    Objects.requireNonNull(meters, "meters");
    List<WebhookDelivery> deliveries = new ArrayList<>();
    for (WebhookTarget target : settings.targets()) {
      deliveries.add(new WebhookDelivery(settings, target, serdes.escalationAlert().deserializer(), meters));
    }
    deliveries.forEach(WebhookDelivery::start);
    return new AlertWebhookSink(List.copyOf(deliveries));
  }

  public List<WebhookTarget> targets() {
    return deliveries.stream().map(WebhookDelivery::target).toList();
  }

  /** True once every webhook's consumer holds its partitions. */
  public boolean isReading() {
    return deliveries.stream().allMatch(WebhookDelivery::isAssigned);
  }

  /** True while every webhook's delivery runs (a delivery stops only when closed or on a logged fatal error). */
  public boolean isRunning() {
    return deliveries.stream().allMatch(WebhookDelivery::isRunning);
  }

  /** Failed POSTs to the named webhook since its last success; empty for an unknown name. */
  public Optional<Integer> consecutiveFailures(String webhookName) {
    return deliveries.stream().filter(d -> d.target().name().equals(webhookName)).findFirst()
        .map(WebhookDelivery::consecutiveFailures);
  }

  /** Stops every delivery and waits for them; an undelivered batch stays in Kafka for the next start. */
  @Override
  public void close() {
    deliveries.forEach(WebhookDelivery::stop);
    for (WebhookDelivery delivery : deliveries) {
      try {
        delivery.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
