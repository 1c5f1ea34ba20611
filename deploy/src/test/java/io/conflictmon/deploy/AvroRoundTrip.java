package io.conflictmon.deploy;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.schemas.TopicSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Writes strike reports through our serde to a real broker and reads them back, for the stack tests. */
final class AvroRoundTrip {
    private AvroRoundTrip() {}

    static List<StrikeReport> sampleReports(int n) {
        List<StrikeReport> reports = new ArrayList<>();
        Instant night = Instant.parse("2026-01-08T17:30:00Z");
        for (int i = 0; i < n; i++) {
            reports.add(StrikeReport.newBuilder()
                    .setId("roundtrip-" + i)
                    .setSource("kpszsu")
                    .setReportedAt(night.plus(Duration.ofHours(16)))
                    .setTimeStart(night.plus(Duration.ofMinutes(i)))
                    .setTimeEnd(night.plus(Duration.ofHours(13)))
                    .setTimePrecision(TimePrecision.MINUTE)
                    .setWeaponModel(i % 2 == 0 ? "Shahed-136/131" : "Kh-101")
                    .setWeaponClass(i % 2 == 0 ? WeaponClass.ATTACK_DRONE : WeaponClass.CRUISE_MISSILE)
                    .setLaunched(10 + i)
                    .setDestroyed(i % 3 == 0 ? null : 5 + i)
                    .setLaunchArea("Primorsko-Akhtarsk")
                    .setTargetRegions(List.of("Kyiv oblast"))
                    .build());
        }
        return reports;
    }

    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
    }

    static void produce(String bootstrap, String topic, TopicSerdes serdes, List<StrikeReport> reports) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, StrikeReport> producer = new KafkaProducer<>(
                props, serdes.key().serializer(), serdes.strikeReport().serializer())) {
            for (StrikeReport r : reports) {
                producer.send(new ProducerRecord<>(topic, r.getId(), r));
            }
            producer.flush();
        }
    }

    /** Every record of the topic as raw bytes, by key, read from the beginning to the end offsets. */
    static Map<String, byte[]> readAll(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, byte[]> byKey = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " not read to its end within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    byKey.put(new String(rec.key(), java.nio.charset.StandardCharsets.UTF_8), rec.value());
                }
            }
        }
        return byKey;
    }

    /** The schema id a Confluent-wire-format record carries (bytes 1..4, big-endian). */
    static int schemaId(byte[] value) {
        return java.nio.ByteBuffer.wrap(value, 1, 4).getInt();
    }
}
