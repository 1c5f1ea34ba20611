package io.conflictmon.streams.errors;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.avro.WeaponClass.CRUISE_MISSILE;
import static io.conflictmon.streams.testing.TestReports.minute;
import static io.conflictmon.streams.testing.TestReports.year;
import static io.conflictmon.streams.testing.ServiceStores.casualtyTotalsIn;
import static io.conflictmon.streams.testing.ServiceStores.waveIn;
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
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison records written straight onto the input topics of a running {@link StreamsService} (real broker, embedded
 * registry over HTTP, exactly-once): random bytes, a wrong magic byte, a cut header, an unknown schema id, an
 * undecodable body, valid Avro of the wrong contract, and a decodable report that breaks the rules. Each lands in the
 * dead-letter topic once, keyed {@code topic-partition@offset}, with its reason code and its exact bytes; the topology
 * keeps running and counts the good reports written after them on the same partition. DeadLetterTest covers the same
 * handler with the TopologyTestDriver under at-least-once (the driver drops handler DLQ records under exactly-once).
 */
@ExtendWith(KafkaBrokerExtension.class)
class PoisonRecordsBrokerTest {

  @TempDir
  Path stateDir;

  /** A poison: the topic kind it goes to, its bytes (made from valid records of every contract) and its reason. */
  record Poison(String name, boolean onStrikes, byte[] bytes, String reasonCode) {
  }

  static List<Poison> poisons(byte[] strike, byte[] casualty) {
    byte[] random = new byte[64];
    new Random(8).nextBytes(random);
    random[0] = 0x42; // not the magic byte, whatever the seed gives
    byte[] wrongMagic = strike.clone();
    wrongMagic[0] = 1;
    byte[] unknownId = strike.clone();
    ByteBuffer.wrap(unknownId, 1, 4).putInt(987_654);
    byte[] undecodable = Arrays.copyOf(strike, 5 + 4);
    Arrays.fill(undecodable, 5, undecodable.length, (byte) 0xff);
    return List.of(
        new Poison("random bytes", true, random, "bad-wire-format"),
        new Poison("wrong magic byte", true, wrongMagic, "bad-wire-format"),
        new Poison("cut header", false, Arrays.copyOf(casualty, 3), "bad-wire-format"),
        new Poison("empty value", true, new byte[0], "bad-wire-format"),
        new Poison("unknown schema id", true, unknownId, "unknown-schema-id"),
        new Poison("undecodable body", true, undecodable, "undecodable"),
        new Poison("casualty report on the strike topic", true, casualty, "undecodable"),
        new Poison("strike report on the casualty topic", false, strike, "undecodable"));
  }

  @Test
  void poisonRecordsAreDeadLetteredAndTheGoodRecordsAfterThemCounted(EmbeddedKafkaBroker kafka) throws Exception {
    String strikes = KafkaBrokerExtension.uniqueTopic("poison-strikes");
    String casualties = KafkaBrokerExtension.uniqueTopic("poison-casualties");
    String dlq = KafkaBrokerExtension.uniqueTopic("poison-dlq");
    String waves = KafkaBrokerExtension.uniqueTopic("poison-waves");
    String strikeTotals = KafkaBrokerExtension.uniqueTopic("poison-strike-totals");
    String casualtyTotals = KafkaBrokerExtension.uniqueTopic("poison-casualty-totals");
    String alerts = KafkaBrokerExtension.uniqueTopic("poison-alerts");
    for (String topic : List.of(strikes, casualties, dlq, waves, strikeTotals, casualtyTotals, alerts)) {
      kafka.createTopic(topic, 1); // one partition: the good records come after the poison in it
    }
    List<StrikeReport> night = List.of(
        minute("poison-0109-shahed", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 242, 226),
        minute("poison-0109-kalibr", "2026-01-08 19:30", "2026-01-09 09:00", CRUISE_MISSILE, "Kalibr", 22, 10));
    StrikeReport invalid = StrikeReport.newBuilder(night.get(0)).setId("poison-negative").setLaunched(-3)
        .setDestroyed(null).build();
    List<CasualtyReport> years = List.of(year("ohchr", 2025, 2514, 12142), year("ohchr", 2024, 2088, 9138));

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
         HttpSchemaRegistryClient client = registry.newClient()) {
      TopicSerdes serdes = new TopicSerdes(client, true);
      TopologySettings topology = TopologySettings.defaults(serdes, meters)
          .withTopics(strikes, casualties, dlq, waves, strikeTotals, casualtyTotals, alerts);
      StreamsSettings settings = StreamsSettings.of(KafkaBrokerExtension.uniqueTopic("poison-app"), kafka.bootstrapServers())
          .withStateDir(stateDir.toString());
      byte[] strikeBytes = serdes.strikeReport().serializer().serialize(strikes, night.get(0));
      byte[] casualtyBytes = serdes.casualtyReport().serializer().serialize(casualties, years.get(0));
      List<Poison> poisons = poisons(strikeBytes, casualtyBytes);

      try (StreamsService service = new StreamsService(settings, topology);
           KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
               ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
               new StringSerializer(), new ByteArraySerializer())) {
        service.start();
        await().atMost(Duration.ofSeconds(60)).until(service::isRunning);

        Map<String, Poison> bySourceId = new HashMap<>();
        for (Poison poison : poisons) {
          String topic = poison.onStrikes() ? strikes : casualties;
          RecordMetadata written = producer.send(new ProducerRecord<>(topic, "poison", poison.bytes())).get();
          bySourceId.put(RejectedRecords.sourceId(topic, written.partition(), written.offset()), poison);
        }
        RecordMetadata invalidWritten = producer.send(new ProducerRecord<>(strikes, invalid.getId(),
            serdes.strikeReport().serializer().serialize(strikes, invalid))).get();
        String invalidSourceId = RejectedRecords.sourceId(strikes, invalidWritten.partition(), invalidWritten.offset());
        for (StrikeReport report : night) {
          producer.send(new ProducerRecord<>(strikes, report.getId(),
              serdes.strikeReport().serializer().serialize(strikes, report))).get();
        }
        for (CasualtyReport report : years) {
          producer.send(new ProducerRecord<>(casualties, report.getId(),
              serdes.casualtyReport().serializer().serialize(casualties, report))).get();
        }

        String waveId = night.get(0).getTimeStart().toString();
        WaveSummary wave = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> waveIn(service, waveId), found -> found.filter(w -> w.getReportCount() == night.size()).isPresent())
            .orElseThrow();
        assertThat(wave.getDrones()).isEqualTo(night.get(0).getLaunched());
        assertThat(wave.getMissiles()).isEqualTo(night.get(1).getLaunched());
        assertThat(wave.getReportIds()).doesNotContain(invalid.getId());
        CasualtyTotals civilians2025 = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> casualtyTotalsIn(service, "ohchr/2025"), found -> found != null && found.getPreviousTotal() != null);
        assertThat(civilians2025.getTotal()).isEqualTo((long) years.get(0).getKilled() + years.get(0).getInjured());

        Map<String, RejectedRecord> letters = readDeadLetters(kafka, serdes, dlq, poisons.size() + 1);
        assertThat(letters.keySet()).containsExactlyInAnyOrderElementsOf(
            concat(bySourceId.keySet(), invalidSourceId));
        bySourceId.forEach((sourceId, poison) -> {
          RejectedRecord letter = letters.get(sourceId);
          assertThat(letter.getReasonCode()).as(poison.name()).isEqualTo(poison.reasonCode());
          assertThat(letter.getReason()).as(poison.name()).startsWith("could not deserialize");
          assertThat(bytes(letter.getPayload())).as(poison.name()).isEqualTo(poison.bytes());
          assertThat(letter.getTopic()).isEqualTo(poison.onStrikes() ? strikes : casualties);
        });
        RejectedRecord invalidLetter = letters.get(invalidSourceId);
        assertThat(invalidLetter.getReasonCode()).isEqualTo(RejectedRecords.VALIDATION);
        assertThat(invalidLetter.getFieldErrors()).extracting(e -> e.getPath()).containsExactly("launched");
        for (String reason : List.of("bad-wire-format", "unknown-schema-id", "undecodable")) {
          long expected = poisons.stream().filter(p -> p.reasonCode().equals(reason)).count();
          assertThat(meters.find(StreamsMetrics.DLQ_RECORDS).tag(StreamsMetrics.TAG_REASON, reason).counter().count())
              .as(reason).isEqualTo(expected);
        }
        assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    }
  }

  /** The dead letters by key once {@code expected} arrived; fails on a second letter for one input record. */
  private static Map<String, RejectedRecord> readDeadLetters(EmbeddedKafkaBroker kafka, TopicSerdes serdes, String dlq,
      int expected) {
    Map<String, RejectedRecord> letters = new HashMap<>();
    try (KafkaConsumer<String, RejectedRecord> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueTopic("poison-reader"),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), serdes.rejectedRecord().deserializer())) {
      consumer.subscribe(List.of(dlq));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> {
          assertThat(letters.put(record.key(), record.value())).as("second letter for %s", record.key()).isNull();
          assertThat(record.key()).isEqualTo(record.value().getSourceId());
        });
        assertThat(letters).hasSize(expected);
      });
    }
    return letters;
  }

  private static List<String> concat(java.util.Collection<String> some, String one) {
    List<String> all = new ArrayList<>(some);
    all.add(one);
    return all;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
