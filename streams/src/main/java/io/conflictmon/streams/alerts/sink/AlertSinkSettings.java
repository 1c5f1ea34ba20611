package io.conflictmon.streams.alerts.sink;

import io.conflictmon.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of {@link AlertWebhookSink}.
 *
 * @param alertsTopic     the topic of {@code EscalationAlert} records
 * @param targets         the webhooks; each gets a consumer group of its own: {@code groupPrefix + "-" + name}
 * @param minBackoff      first wait after a failed POST; doubled per further failure ...
 * @param maxBackoff      ... up to this (also the cap of a receiver's {@code Retry-After})
 * @param connectTimeout  TCP connect timeout of a POST
 * @param requestTimeout  whole-request timeout of a POST
 * @param maxBatch        alerts per POST at most
 * @param generatorUrl    sent as each alert's {@code generatorURL} (e.g. the dashboard); null leaves it out
 * @param startFrom       {@code earliest} (default: a new webhook gets every alert the topic still holds) or
 *                        {@code latest} (only alerts written after its first start)
 * @param consumerProps   further consumer properties (security settings)
 */
public record AlertSinkSettings(String bootstrapServers, String alertsTopic, List<WebhookTarget> targets,
                                String groupPrefix, Duration minBackoff, Duration maxBackoff, Duration connectTimeout,
                                Duration requestTimeout, int maxBatch, String generatorUrl, String startFrom,
                                Map<String, Object> consumerProps) {
  public static final String DEFAULT_GROUP_PREFIX = "conflictmon-alert-webhook";

  public AlertSinkSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(alertsTopic, "alertsTopic");
    Objects.requireNonNull(groupPrefix, "groupPrefix");
    targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
    if (targets.stream().map(WebhookTarget::name).distinct().count() != targets.size()) {
      throw new IllegalArgumentException("webhook names must be distinct: " + targets);
    }
    positive(minBackoff, "minBackoff");
    positive(maxBackoff, "maxBackoff");
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below minBackoff " + minBackoff);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    if (!"earliest".equals(startFrom) && !"latest".equals(startFrom)) {
      throw new IllegalArgumentException("startFrom must be earliest or latest, got " + startFrom);
    }
    consumerProps = consumerProps == null ? Map.of() : Map.copyOf(consumerProps);
  }

  /** The webhooks on {@link Topics#ALERTS}: backoff 250 ms .. 30 s, connect 5 s, request 10 s, 100 alerts a POST. */
  public static AlertSinkSettings of(String bootstrapServers, List<WebhookTarget> targets) {
    return new AlertSinkSettings(bootstrapServers, Topics.ALERTS, targets, DEFAULT_GROUP_PREFIX,
        Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10), 100, null,
        "earliest", Map.of());
  }

  /** {@link #of} on a comma-separated list of {@code [name=]URL} (see {@link WebhookTarget#parse}). */
  public static AlertSinkSettings fromUrls(String bootstrapServers, String commaSeparatedUrls) {
    return of(bootstrapServers, WebhookTarget.parseList(commaSeparatedUrls));
  }

  public AlertSinkSettings withTopic(String topic) {
    return new AlertSinkSettings(bootstrapServers, topic, targets, groupPrefix, minBackoff, maxBackoff, connectTimeout,
        requestTimeout, maxBatch, generatorUrl, startFrom, consumerProps);
  }

  public AlertSinkSettings withGroupPrefix(String prefix) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, prefix, minBackoff, maxBackoff, connectTimeout,
        requestTimeout, maxBatch, generatorUrl, startFrom, consumerProps);
  }

  public AlertSinkSettings withBackoff(Duration min, Duration max) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, groupPrefix, min, max, connectTimeout,
        requestTimeout, maxBatch, generatorUrl, startFrom, consumerProps);
  }

  public AlertSinkSettings withTimeouts(Duration connect, Duration request) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, groupPrefix, minBackoff, maxBackoff, connect,
        request, maxBatch, generatorUrl, startFrom, consumerProps);
  }

  public AlertSinkSettings withMaxBatch(int alerts) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, groupPrefix, minBackoff, maxBackoff,
        connectTimeout, requestTimeout, alerts, generatorUrl, startFrom, consumerProps);
  }

  public AlertSinkSettings withGeneratorUrl(String url) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, groupPrefix, minBackoff, maxBackoff,
        connectTimeout, requestTimeout, maxBatch, url, startFrom, consumerProps);
  }

  public AlertSinkSettings withStartFrom(String earliestOrLatest) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, groupPrefix, minBackoff, maxBackoff,
        connectTimeout, requestTimeout, maxBatch, generatorUrl, earliestOrLatest, consumerProps);
  }

  public AlertSinkSettings withConsumerProps(Map<String, Object> props) {
    return new AlertSinkSettings(bootstrapServers, alertsTopic, targets, groupPrefix, minBackoff, maxBackoff,
        connectTimeout, requestTimeout, maxBatch, generatorUrl, startFrom, props);
  }

  /** The consumer group of a webhook. */
  public String groupId(WebhookTarget target) {
    return groupPrefix + "-" + target.name();
  }

  /** The wait after {@code failures} consecutive failed POSTs (1, 2, ...): min * 2^(failures-1), capped at max. */
  public Duration backoff(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 30));
    long millis = minBackoff.toMillis() << doublings;
    return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
  }

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }
}
