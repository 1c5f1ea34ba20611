package io.conflictmon.streams.app;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.avro.WeaponClass.BALLISTIC_MISSILE;
import static io.conflictmon.avro.WeaponClass.CRUISE_MISSILE;
import static io.conflictmon.avro.WeaponClass.SURFACE_TO_AIR_MISSILE;
import static io.conflictmon.streams.testing.ServiceStores.casualtyTotalsIn;
import static io.conflictmon.streams.testing.ServiceStores.waveIn;
import static io.conflictmon.streams.testing.TestReports.minute;
import static io.conflictmon.streams.testing.TestReports.withLaunched;
import static io.conflictmon.streams.testing.TestReports.year;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service on a real in-process Kafka broker and the embedded schema registry over HTTP, under
 * exactly-once with RocksDB stores: reports become a queryable wave and published updates, casualty
 * reports a year-on-year increase, a poison record goes to the
 * DLQ (the path the TopologyTestDriver cannot show under EOS), and a correction is visible quickly.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamsServiceBrokerTest {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsServiceBrokerTest.class);

  @TempDir
  Path stateDir;

  @Test
  void countsAWaveDeadLettersPoisonAndServesCorrectionsQuickly(EmbeddedKafkaBroker kafka) throws Exception {
    String strikes = KafkaBrokerExtension.uniqueTopic("strikes");
    String casualties = KafkaBrokerExtension.uniqueTopic("casualties");
    String dlq = KafkaBrokerExtension.uniqueTopic("dlq");
    String waves = KafkaBrokerExtension.uniqueTopic("waves");
    String strikeTotals = KafkaBrokerExtension.uniqueTopic("strike-totals");
    String casualtyTotals = KafkaBrokerExtension.uniqueTopic("casualty-totals");
    String alerts = KafkaBrokerExtension.uniqueTopic("alerts");
    kafka.createTopic(strikes, 6);
    kafka.createTopic(casualties, 2);
    for (String topic : List.of(dlq, waves, strikeTotals, casualtyTotals, alerts)) {
      kafka.createTopic(topic, 1);
    }

    List<StrikeReport> night = List.of(
        minute("kpszsu-0109-shahed", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 242, 226),
        minute("kpszsu-0109-kalibr", "2026-01-08 19:30", "2026-01-09 09:00", CRUISE_MISSILE, "Kalibr", 22, 10),
        minute("kpszsu-0109-s400", "2026-01-08 19:30", "2026-01-09 09:00", SURFACE_TO_AIR_MISSILE, "C-400 and Iskander-M", 13, 8),
        minute("pvkzahid-0108-icbm", "PvkZahid", "2026-01-08 23:45", "2026-01-08 23:50", BALLISTIC_MISSILE,
            "Intercontinental Ballistic Missile", 1, 0));
    String waveId = night.get(0).getTimeStart().toString();

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
         HttpSchemaRegistryClient client = registry.newClient()) {
      TopicSerdes serdes = new TopicSerdes(client, true);
      TopologySettings topology = TopologySettings.defaults(serdes, meters)
          .withTopics(strikes, casualties, dlq, waves, strikeTotals, casualtyTotals, alerts);
      StreamsSettings streamsSettings = StreamsSettings.of(KafkaBrokerExtension.uniqueTopic("app"), kafka.bootstrapServers())
          .withStateDir(stateDir.toString());

      try (StreamsService service = new StreamsService(streamsSettings, topology);
           KafkaProducer<String, StrikeReport> producer = new KafkaProducer<>(producerConfig(kafka),
               new StringSerializer(), serdes.strikeReport().serializer());
           KafkaProducer<String, byte[]> rawProducer = new KafkaProducer<>(producerConfig(kafka),
               new StringSerializer(), new ByteArraySerializer());
           KafkaProducer<String, CasualtyReport> casualtyProducer = new KafkaProducer<>(producerConfig(kafka),
               new StringSerializer(), serdes.casualtyReport().serializer())) {
        service.start();
        await().atMost(Duration.ofSeconds(60)).until(service::isRunning);

        rawProducer.send(new ProducerRecord<>(strikes, "poison", new byte[] {0x7f, 1, 2, 3, 4, 5})).get();
        for (StrikeReport report : night) {
          producer.send(new ProducerRecord<>(strikes, report.getId(), report)).get();
        }
        for (CasualtyReport report : List.of(year("ohchr", 2025, 2514, 12142), year("ohchr", 2024, 2088, 9138))) {
          casualtyProducer.send(new ProducerRecord<>(casualties, report.getId(), report)).get();
        }

        WaveSummary wave = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
            .until(() -> waveIn(service, waveId), found -> found.isPresent() && found.get().getReportCount() == night.size())
            .orElseThrow();
        assertThat(wave.getDrones()).isEqualTo(242);
        assertThat(wave.getMissiles()).isEqualTo(36);
        CasualtyTotals civilians2025 = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
            .until(() -> casualtyTotalsIn(service, "ohchr/2025"), found -> found != null && found.getPreviousTotal() != null);
        assertThat(civilians2025.getIncreasePct()).isEqualTo(30.55);

        List<RejectedRecord> rejected = new ArrayList<>();
        List<String> publishedWaveIds = new ArrayList<>();
        try (KafkaConsumer<String, RejectedRecord> dlqConsumer = consumer(kafka, serdes.rejectedRecord().deserializer());
             KafkaConsumer<String, WaveSummary> waveConsumer = consumer(kafka, serdes.waveSummary().deserializer())) {
          dlqConsumer.subscribe(List.of(dlq));
          waveConsumer.subscribe(List.of(waves));
          await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            dlqConsumer.poll(Duration.ofMillis(100)).forEach(record -> rejected.add(record.value()));
            waveConsumer.poll(Duration.ofMillis(100)).forEach(record -> publishedWaveIds.add(record.key()));
            assertThat(rejected).hasSize(1);
            assertThat(publishedWaveIds).contains(waveId);
          });
        }
        assertThat(rejected.get(0).getReasonCode()).isEqualTo("bad-wire-format");
        assertThat(rejected.get(0).getTopic()).isEqualTo(strikes);
        assertThat(meters.find(StreamsMetrics.DLQ_RECORDS).tag(StreamsMetrics.TAG_REASON, "bad-wire-format").counter().count())
            .isEqualTo(1);

        StrikeReport corrected = withLaunched(night.get(0), 250, 230);
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(strikes, corrected.getId(), corrected)).get();
        // The wave merger and the totals take the change one after the other in one processing step; a query
        // between the two sees the new wave and the old day, so both are awaited.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
            .until(() -> waveIn(service, waveId).map(WaveSummary::getDrones).orElse(0) == 250
                && service.strikeTotals().get("2026-01-09").getDrones() == 250);
        long visibleAfterMs = (System.nanoTime() - sent) / 1_000_000;
        LOG.info("A correction was queryable {} ms after the producer's acknowledgement", visibleAfterMs);
        assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    }
  }

  private static Map<String, Object> producerConfig(EmbeddedKafkaBroker kafka) {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
  }

  private static <V> KafkaConsumer<String, V> consumer(EmbeddedKafkaBroker kafka, org.apache.kafka.common.serialization.Deserializer<V> values) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueTopic("reader"),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), values);
  }
}
