package io.conflictmon.streams.alerts.sink;

import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.schemas.serde.WireFormatException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery to one webhook: a consumer of the alerts topic in the webhook's own group and a thread of its own. It
 * polls a batch, POSTs it and commits the batch's offsets only after a 2xx. While a POST fails it keeps the batch,
 * pauses its partitions (polling on, so the group keeps it) and retries with exponential backoff; nothing is read
 * past the batch and nothing is committed, so a restart resumes from the batch. A 4xx other than 408 and 429 is the
 * receiver's permanent refusal of the body: retrying the same body cannot succeed and would block every later alert.
 * The alerts of a refused batch are then posted one by one, and only an alert refused on its own is logged as an
 * error, counted as refused and skipped.
 *
 * <p>Delivery is at least once: a crash between a 2xx and its commit posts the batch again, which Alertmanager
 * de-duplicates by labels.
 */
final class WebhookDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final int BODY_IN_LOG = 300;

  private final AlertSinkSettings settings;
  private final WebhookTarget target;
  private final Deserializer<EscalationAlert> deserializer;
  private final AlertSinkMetrics metrics;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaClientMetrics clientMetrics;
  private final HttpClient http;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private volatile boolean stopped;
  /** First offset per partition of the batch in hand; empty between batches. Worker thread only. */
  private final Map<TopicPartition, Long> holding = new HashMap<>();
  private boolean batchRevoked;

  WebhookDelivery(AlertSinkSettings settings, WebhookTarget target, Deserializer<EscalationAlert> deserializer,
                  MeterRegistry meters) {
    this.settings = settings;
    this.target = target;
    this.deserializer = deserializer;
    this.metrics = new AlertSinkMetrics(meters, target.name());
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(target));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId(target));
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // no alert of an aborted transaction
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.startFrom());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxBatch()); // one poll = one POST
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.putAll(settings.consumerProps());
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.clientMetrics = new KafkaClientMetrics(consumer);
    this.clientMetrics.bindTo(meters);
    this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.thread = new Thread(this::run, "alert-webhook-" + target.name());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  WebhookTarget target() {
    return target;
  }

  /** True once the consumer holds partitions of the alerts topic. */
  boolean isAssigned() {
    return assigned;
  }

  /** False after the worker stopped (closed, or a failure it cannot recover from, logged). */
  boolean isRunning() {
    return !stopped;
  }

  int consecutiveFailures() {
    return metrics.consecutiveFailures();
  }

  /** Asks the worker to stop; a batch in hand stays uncommitted and is posted again by the next start. */
  void stop() {
    running = false;
  }

  void join() throws InterruptedException {
    thread.join(settings.requestTimeout().plus(CLOSE_TIMEOUT).plus(POLL).toMillis());
    if (thread.isAlive()) {
      LOG.warn("Webhook {} did not stop in time", target.name());
    }
  }

  private void run() {
    LOG.info("Delivering alerts of {} to webhook {} (group {})", settings.alertsTopic(), target, settings.groupId(target));
    try {
      consumer.subscribe(List.of(settings.alertsTopic()), new HoldingListener());
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          deliver(records);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Webhook {} stops: reading {} failed; it resumes from its committed offset when started again",
          target.name(), settings.alertsTopic(), e);
    } finally {
      clientMetrics.close();
      metrics.close();
      consumer.close(CLOSE_TIMEOUT);
      stopped = true;
    }
  }

  private void deliver(ConsumerRecords<String, byte[]> records) {
    long readAt = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> list = records.records(partition);
      holding.put(partition, list.get(0).offset());
      next.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
    }
    batchRevoked = false;
    consumer.pause(consumer.assignment());
    try {
      List<EscalationAlert> alerts = null;
      int failures = 0;
      int from = 0; // alerts before this one are delivered or refused
      int chunk = Integer.MAX_VALUE; // alerts per POST: all, or one at a time once a batch was refused
      while (running && !batchRevoked) {
        if (alerts == null) {
          try {
            alerts = decode(records);
          } catch (WireFormatException e) {
            failures = failed(Attempt.retry(e.getMessage(), null), failures, records.count());
            continue;
          }
        }
        if (from >= alerts.size()) {
          commit(next);
          return;
        }
        List<EscalationAlert> part = alerts.subList(from, (int) Math.min(alerts.size(), (long) from + chunk));
        Attempt attempt = post(part);
        if (attempt.outcome() == Outcome.RETRY) {
          failures = failed(attempt, failures, part.size());
        } else if (attempt.outcome() == Outcome.DELIVERED) {
          if (failures > 0) {
            LOG.info("Webhook {} took {} alert(s) after {} failed attempt(s)", target.name(), part.size(), failures);
          }
          failures = 0;
          metrics.delivered(part.size(), Duration.ofNanos(System.nanoTime() - readAt));
          from += part.size();
        } else if (part.size() > 1) {
          // The receiver refuses the whole body for one bad alert: find it, deliver the others.
          LOG.warn("Webhook {} refused a batch of {} alerts ({}); posting them one by one", target.name(), part.size(),
              attempt.detail());
          chunk = 1;
        } else {
          LOG.error("Webhook {} refused alert {} for good ({}); it is dropped, not retried", target.name(),
              part.get(0).getId(), attempt.detail());
          metrics.refused(1);
          from++;
        }
      }
      if (batchRevoked) {
        // Another member owns some of these partitions now and reads them from the committed offsets; read ours again.
        holding.forEach((partition, first) -> {
          if (consumer.assignment().contains(partition)) {
            consumer.seek(partition, first);
          }
        });
      }
    } finally {
      holding.clear();
      consumer.resume(consumer.assignment());
    }
  }

  private int failed(Attempt attempt, int failuresBefore, int alerts) {
    int failures = failuresBefore + 1;
    metrics.failed(alerts);
    Duration wait = settings.backoff(failures);
    if (attempt.retryAfter() != null && attempt.retryAfter().compareTo(wait) > 0) {
      wait = attempt.retryAfter().compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : attempt.retryAfter();
    }
    // Every failure of a long outage would flood the log: the first, then every power of two.
    if (Integer.bitCount(failures) == 1) {
      LOG.warn("Webhook {} failed (attempt {}): {}; {} alert(s) kept, next attempt in {} ms", target.name(), failures,
          attempt.detail(), alerts, wait.toMillis());
    }
    waitPolling(wait);
    return failures;
  }

  private List<EscalationAlert> decode(ConsumerRecords<String, byte[]> records) {
    List<EscalationAlert> alerts = new ArrayList<>();
    int skipped = 0;
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        continue; // a tombstone of a compacted alert topic: nothing to announce
      }
      try {
        alerts.add(deserializer.deserialize(record.topic(), record.value()));
      } catch (WireFormatException e) {
        if (e.reason() == WireFormatException.Reason.REGISTRY_UNAVAILABLE) {
          throw e; // transient: the whole batch is retried
        }
        LOG.warn("Webhook {} skips record {}-{}@{} ({}): {}", target.name(), record.topic(), record.partition(),
            record.offset(), record.key(), e.getMessage());
        skipped++;
      }
    }
    for (int i = 0; i < skipped; i++) {
      metrics.skipped();
    }
    return alerts;
  }

  private Attempt post(List<EscalationAlert> alerts) {
    HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "conflictmon-alert-sink")
        .POST(HttpRequest.BodyPublishers.ofByteArray(AlertmanagerPayload.body(alerts, settings.generatorUrl())));
    if (target.authorization() != null) {
      request.header("Authorization", target.authorization());
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Attempt(Outcome.DELIVERED, "", null);
      }
      String detail = "HTTP " + status + " " + abbreviate(response.body());
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        return new Attempt(Outcome.REFUSED, detail, null);
      }
      return Attempt.retry(detail, retryAfter(response));
    } catch (IOException e) {
      String cause = e.getCause() == null || e.getCause().getMessage() == null ? "" : " (" + e.getCause().getMessage() + ")";
      return Attempt.retry(e + cause, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return Attempt.retry("interrupted", null);
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> next) {
    int failures = 0;
    while (true) {
      try {
        consumer.commitSync(next);
        return;
      } catch (CommitFailedException | RebalanceInProgressException e) {
        LOG.warn("Webhook {}: delivered alerts could not be committed ({}); the partitions' next owner posts them again",
            target.name(), e.toString());
        return;
      } catch (KafkaException e) {
        failures++;
        if (!running || batchRevoked) {
          LOG.warn("Webhook {}: delivered alerts not committed before stopping ({}); they are posted again on restart",
              target.name(), e.toString());
          return;
        }
        LOG.warn("Webhook {}: committing delivered alerts failed ({}); retrying", target.name(), e.toString());
        waitPolling(settings.backoff(failures));
      }
    }
  }

  /** Waits while polling the paused consumer, so the group keeps the partitions; returns early when stopped. */
  private void waitPolling(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (running && !batchRevoked) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      ConsumerRecords<String, byte[]> unexpected = consumer.poll(Duration.ofNanos(Math.min(left, POLL.toNanos())));
      for (TopicPartition partition : unexpected.partitions()) {
        consumer.seek(partition, unexpected.records(partition).get(0).offset()); // read again after this batch
        consumer.pause(List.of(partition));
      }
    }
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    try {
      return header.map(String::trim).map(Long::parseLong).filter(s -> s >= 0).map(Duration::ofSeconds).orElse(null);
    } catch (NumberFormatException e) {
      return null; // an HTTP date: our own backoff applies
    }
  }

  private static String abbreviate(String body) {
    String line = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return line.length() > BODY_IN_LOG ? line.substring(0, BODY_IN_LOG) + "..." : line;
  }

  private enum Outcome { DELIVERED, RETRY, REFUSED }

  private record Attempt(Outcome outcome, String detail, Duration retryAfter) {
    static Attempt retry(String detail, Duration retryAfter) {
      return new Attempt(Outcome.RETRY, detail, retryAfter);
    }
  }

  /** Keeps partitions assigned during a batch paused; a revoked partition of the batch abandons it. */
  private final class HoldingListener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.stream().anyMatch(holding::containsKey)) {
        batchRevoked = true;
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!holding.isEmpty()) {
        consumer.pause(partitions);
      }
      assigned = !consumer.assignment().isEmpty();
    }
  }
}
