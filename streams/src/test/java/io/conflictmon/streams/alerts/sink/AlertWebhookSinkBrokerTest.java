package io.conflictmon.streams.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.Severity;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AlertWebhookSink} against a real broker and real HTTP receivers: each alert arrives once with the Alertmanager
 * body; a receiver that answers 503 or does not listen gets everything once it is back while the other receiver and
 * the producer of alerts go on; a restarted sink resumes from its committed offset; a permanent 4xx is not retried.
 */
class AlertWebhookSinkBrokerTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Instant FIRED = Instant.parse("2026-01-09T07:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final TopicSerdes serdes = TopicSerdes.inMemory();
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private String topic;
  private KafkaProducer<String, byte[]> producer;
  private int produced;

  @BeforeEach
  void topicAndProducer() {
    topic = KAFKA.createUniqueTopic("alerts", 2);
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaBrokerExtension.uniqueTopic("alert-sink-test-tx")),
        new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    producer.close();
  }

  @Test
  void eachAlertArrivesOnceWithTheAlertmanagerBodyAndAbortedOnesNever() {
    WebhookReceiver receiver = receiver();
    AlertWebhookSink sink = start(settings("am=" + receiver.url()).withGeneratorUrl("http://conflictmon:8080/"));

    // An aborted transaction's alert must never be posted.
    producer.beginTransaction();
    producer.send(record(alert("aborted", AlertStatus.FIRING, Map.of())));
    producer.flush();
    producer.abortTransaction();
    EscalationAlert firing = alert("wave-drones", AlertStatus.FIRING, Map.of("region", "Kyiv oblast", "wave-id", "w1"));
    EscalationAlert resolved = alert("wave-missiles", AlertStatus.RESOLVED, Map.of());
    List<EscalationAlert> sent = new ArrayList<>(List.of(firing, resolved));
    for (int i = 0; i < 8; i++) {
      sent.add(alert("drone-surge-" + i, AlertStatus.FIRING, Map.of()));
    }
    publish(sent);

    await().atMost(WAIT).until(() -> receiver.alerts().size() >= sent.size());
    assertThat(receiver.alertIds()).containsExactlyInAnyOrderElementsOf(sent.stream().map(EscalationAlert::getId).toList());
    for (EscalationAlert alert : sent) {
      JsonNode body = receiver.alerts().stream()
          .filter(a -> a.path("annotations").path("alert_id").asText().equals(alert.getId())).findFirst().orElseThrow();
      assertThat(body.path("labels").path("alertname").asText()).isEqualTo(alert.getRule());
      assertThat(body.path("labels").path("severity").asText())
          .isEqualTo(alert.getSeverity().name().toLowerCase(Locale.ROOT));
      assertThat(body.path("labels").path("subject").asText()).isEqualTo(alert.getSubject());
      assertThat(body.path("annotations").path("summary").asText()).isEqualTo(alert.getSummary());
      assertThat(Double.parseDouble(body.path("annotations").path("value").asText())).isEqualTo(alert.getValue());
      assertThat(Double.parseDouble(body.path("annotations").path("threshold").asText())).isEqualTo(alert.getThreshold());
      assertThat(Instant.parse(body.path("startsAt").asText())).isEqualTo(alert.getFiredAt());
      assertThat(body.path("generatorURL").asText()).isEqualTo("http://conflictmon:8080/");
      assertThat(body.has("endsAt")).isEqualTo(alert.getStatus() == AlertStatus.RESOLVED);
    }
    JsonNode withLabels = receiver.alerts().stream()
        .filter(a -> a.path("annotations").path("alert_id").asText().equals(firing.getId())).findFirst().orElseThrow();
    assertThat(withLabels.path("labels").path("region").asText()).isEqualTo("Kyiv oblast");
    assertThat(withLabels.path("labels").path("wave_id").asText()).isEqualTo("w1"); // a valid Prometheus label name
    JsonNode ended = receiver.alerts().stream()
        .filter(a -> a.path("annotations").path("alert_id").asText().equals(resolved.getId())).findFirst().orElseThrow();
    assertThat(Instant.parse(ended.path("endsAt").asText())).isEqualTo(resolved.getFiredAt());

    assertThat(receiver.requests()).as("alerts are batched").isLessThan(sent.size());
    await().atMost(WAIT).until(() -> deliveries("am", "delivered") == sent.size());
    assertThat(deliveries("am", "retry")).isZero();
    assertThat(sink.consecutiveFailures("am")).contains(0);
  }

  @Test
  void receiversThatAreDownGetEverythingOnceBackWhileTheOtherOneAndTheProducerGoOn() {
    WebhookReceiver live = receiver();
    WebhookReceiver failing = receiver();
    WebhookReceiver gone = receiver();
    failing.answer(503);
    gone.stopListening();
    AlertWebhookSink sink = start(settings("live=" + live.url() + ", failing=" + failing.url() + ",gone=" + gone.url()));

    List<EscalationAlert> sent = new ArrayList<>();
    for (int batch = 0; batch < 4; batch++) {
      List<EscalationAlert> alerts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        alerts.add(alert("wave-drones-" + batch + "-" + i, AlertStatus.FIRING, Map.of()));
      }
      publish(alerts); // the producer of alerts is never held back by a sink
      sent.addAll(alerts);
    }
    List<String> ids = sent.stream().map(EscalationAlert::getId).toList();

    await().atMost(WAIT).until(() -> live.alerts().size() >= sent.size());
    assertThat(live.alertIds()).containsExactlyInAnyOrderElementsOf(ids);
    await().atMost(WAIT).until(() -> sink.consecutiveFailures("failing").orElseThrow() >= 2
        && sink.consecutiveFailures("gone").orElseThrow() >= 2);
    assertThat(failing.alerts()).isEmpty();
    assertThat(failing.requests()).isGreaterThanOrEqualTo(2);
    assertThat(deliveries("failing", "retry")).isPositive();
    assertThat(deliveries("gone", "delivered")).isZero();

    failing.answer(200);
    gone.listen();
    await().atMost(WAIT).until(() -> failing.alerts().size() >= sent.size() && gone.alerts().size() >= sent.size());
    assertThat(failing.alertIds()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(gone.alertIds()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(live.alertIds()).as("the live receiver got nothing twice").hasSize(sent.size());
    // The receiver records a POST before the sink sees its answer: wait for the sink's side too.
    await().atMost(WAIT).until(() -> deliveries("gone", "delivered") == sent.size()
        && deliveries("failing", "delivered") == sent.size() && sink.consecutiveFailures("failing").orElseThrow() == 0);
  }

  @Test
  void aRestartedSinkResumesFromItsCommittedOffset() {
    WebhookReceiver receiver = receiver();
    AlertSinkSettings settings = settings(receiver.url());
    String name = settings.targets().get(0).name();
    List<EscalationAlert> first = List.of(alert("wave-drones-a", AlertStatus.FIRING, Map.of()),
        alert("wave-drones-b", AlertStatus.FIRING, Map.of()));
    AlertWebhookSink sink = AlertWebhookSink.start(settings, serdes, meters);
    publish(first);
    await().atMost(WAIT).until(() -> receiver.alerts().size() >= first.size());
    sink.close();

    // Written while no sink runs, and the receiver down when the next one starts: kept, then posted once.
    List<EscalationAlert> second = List.of(alert("wave-drones-c", AlertStatus.FIRING, Map.of()),
        alert("wave-drones-c", AlertStatus.RESOLVED, Map.of()));
    publish(second);
    receiver.answer(503);
    AlertWebhookSink restarted = start(settings);
    await().atMost(WAIT).until(() -> restarted.consecutiveFailures(name).orElseThrow() >= 1);
    receiver.answer(204);
    await().atMost(WAIT).until(() -> receiver.alerts().size() >= first.size() + second.size());
    List<String> expected = new ArrayList<>();
    first.forEach(a -> expected.add(a.getId()));
    second.forEach(a -> expected.add(a.getId()));
    assertThat(receiver.alertIds()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aPermanentRefusalDropsOnlyTheRefusedAlertAndAuthorizationIsSent() {
    WebhookReceiver receiver = receiver();
    receiver.refuseBodiesWith("casualty-yoy");
    AlertWebhookSink sink = start(settings(receiver.url().replace("://", "://sink:s3cret@")));
    String name = sink.targets().get(0).name();
    EscalationAlert before = alert("wave-drones", AlertStatus.FIRING, Map.of());
    EscalationAlert refused = alert("casualty-yoy", AlertStatus.FIRING, Map.of());
    EscalationAlert after = alert("wave-record", AlertStatus.FIRING, Map.of());
    publish(List.of(before, refused, after)); // one batch: refused as a whole, then posted one by one

    await().atMost(WAIT).until(() -> deliveries(name, "refused") == 1 && receiver.alerts().size() >= 2);
    assertThat(receiver.alertIds()).containsExactlyInAnyOrder(before.getId(), after.getId());
    assertThat(deliveries(name, "retry")).as("a 400 is not retried").isZero();

    EscalationAlert later = alert("wave-missiles", AlertStatus.FIRING, Map.of());
    publish(List.of(later));
    await().atMost(WAIT).until(() -> receiver.alerts().size() >= 3);
    assertThat(receiver.alertIds()).containsExactlyInAnyOrder(before.getId(), after.getId(), later.getId());
    assertThat(deliveries(name, "refused")).isEqualTo(1);
    assertThat(receiver.authorizations()).containsOnly("Basic " + java.util.Base64.getEncoder()
        .encodeToString("sink:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private WebhookReceiver receiver() {
    WebhookReceiver receiver = WebhookReceiver.start();
    closeables.add(receiver);
    return receiver;
  }

  private AlertSinkSettings settings(String urls) {
    return AlertSinkSettings.fromUrls(KAFKA.bootstrapServers(), urls)
        .withTopic(topic)
        .withGroupPrefix(KafkaBrokerExtension.uniqueTopic("alert-sink-test"))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
        .withMaxBatch(4);
  }

  private AlertWebhookSink start(AlertSinkSettings settings) {
    AlertWebhookSink sink = AlertWebhookSink.start(settings, serdes, meters);
    closeables.add(sink);
    return sink;
  }

  private double deliveries(String sink, String outcome) {
    return meters.get(AlertSinkMetrics.DELIVERIES).tag(AlertSinkMetrics.TAG_SINK, sink)
        .tag(AlertSinkMetrics.TAG_OUTCOME, outcome).counter().count();
  }

  private void publish(List<EscalationAlert> alerts) {
    producer.beginTransaction();
    alerts.forEach(alert -> producer.send(record(alert)));
    producer.commitTransaction();
  }

  private ProducerRecord<String, byte[]> record(EscalationAlert alert) {
    return new ProducerRecord<>(topic, alert.getId(), serdes.escalationAlert().serializer().serialize(topic, alert));
  }

  private EscalationAlert alert(String rule, AlertStatus status, Map<String, String> labels) {
    produced++;
    String subject = FIRED.plus(Duration.ofHours(produced)).toString();
    Severity severity = produced % 2 == 0 ? Severity.WARNING : Severity.CRITICAL;
    return EscalationAlert.newBuilder().setId(rule + "/" + subject + "/" + severity + "/" + status).setRule(rule)
        .setSeverity(severity).setStatus(status).setSubject(subject).setValue(200 + produced * 10.5)
        .setThreshold(200).setSummary(rule + " on " + subject).setLabels(Map.copyOf(labels))
        .setFiredAt(FIRED.plus(Duration.ofMinutes(produced))).build();
  }
}
