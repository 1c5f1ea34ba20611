package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.ingest.testutil.AttackLogSums;
import io.conflictmon.ingest.testutil.SharedData;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real files into a real broker through the embedded schema registry: every row accounted for on the topics,
 * the figures on the topic equal to a plain pass over the CSV, and a re-import that publishes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportKafkaIntegrationTest {
    private static final Logger LOG = LoggerFactory.getLogger(ImportKafkaIntegrationTest.class);

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final WeaponClassifier CLASSIFIER = WeaponClassifier.bundled();
    static final Path ATTACKS = SharedData.file(SharedData.ATTACKS);
    static EmbeddedSchemaRegistry registry;
    static HttpSchemaRegistryClient registryClient;
    static TopicSerdes serdes;
    static ImportTopics topics;
    static ReportPublisher publisher;
    static Importer importer;
    static final Map<String, ImportSummary> firstImports = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        registryClient = new HttpSchemaRegistryClient(registry.url());
        serdes = new TopicSerdes(registryClient, true);
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        topics = new ImportTopics(KAFKA.createUniqueTopic("strike-reports", 6, compacted),
                KAFKA.createUniqueTopic("casualty-reports", 3, compacted),
                KAFKA.createUniqueTopic("ingest-dlq", 3));
        publisher = ReportPublisher.create(KAFKA.bootstrapServers(), SpecificRecordSerializer.of(serdes), Map.of());
        importer = new Importer(publisher, Importer.kafkaIndexLoader(KAFKA.bootstrapServers(), serdes, topics,
                Duration.ofSeconds(60)), CLASSIFIER, Clock.systemUTC(), topics);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (registryClient != null) {
            registryClient.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void importsTheAttackLogAndBothCasualtyFiles() throws Exception {
        ImportSummary attacks = importer.importFile(ATTACKS, ImportProgressListener.NONE);
        LOG.info("First import of the attack log: {}", attacks);
        firstImports.put("attacks", attacks);
        firstImports.put("monthly", importer.importFile(SharedData.file(SharedData.CASUALTIES_MONTHLY), ImportProgressListener.NONE));
        firstImports.put("annual", importer.importFile(SharedData.file(SharedData.CASUALTIES_ANNUAL), ImportProgressListener.NONE));

        long rows = AttackLogSums.records(ATTACKS).size();
        assertThat(attacks.read()).isEqualTo(rows);
        assertThat(attacks.published() + attacks.rejected()).isEqualTo(rows);
        assertThat(attacks.rejected()).isEqualTo(AttackLogSums.withoutLaunched(ATTACKS));
        assertThat(attacks.deadLettered()).isEqualTo(attacks.rejected());

        Map<String, StrikeReport> strikes = readAll(topics.strikeReports(), serdes.strikeReport().deserializer());
        assertThat(strikes).hasSize((int) attacks.published());
        Map<Integer, long[]> perYear = new TreeMap<>();
        for (StrikeReport r : strikes.values()) {
            perYear.computeIfAbsent(KyivTime.dayOf(r.getTimeEnd()).getYear(), y -> new long[2])
                    [WeaponClassifier.isDrone(r.getWeaponClass()) ? 0 : 1] += r.getLaunched();
        }
        assertThat(AttackLogSums.toText(perYear)).isEqualTo(AttackLogSums.perYear(ATTACKS, CLASSIFIER));

        Map<String, RejectedRecord> letters = readAll(topics.deadLetters(), serdes.rejectedRecord().deserializer());
        assertThat(letters).hasSize((int) attacks.rejected());
        assertThat(letters.values()).allSatisfy(letter -> {
            assertThat(letter.getSource()).isEqualTo("import:" + ATTACKS.getFileName());
            assertThat(letter.getSourceId()).isEqualTo(ATTACKS.getFileName() + ":" + letter.getLineNumber());
            assertThat(letter.getFieldErrors()).extracting(e -> e.getPath()).containsExactly("launched");
        });

        Map<String, CasualtyReport> casualties = readAll(topics.casualtyReports(), serdes.casualtyReport().deserializer());
        long casualtyRows = AttackLogSums.records(SharedData.file(SharedData.CASUALTIES_MONTHLY)).size()
                + AttackLogSums.records(SharedData.file(SharedData.CASUALTIES_ANNUAL)).size();
        assertThat(casualties).hasSize((int) casualtyRows);
        assertThat(firstImports.get("monthly").published() + firstImports.get("annual").published()).isEqualTo(casualtyRows);
        CasualtyReport year2025 = casualties.get("ohchr-2025");
        assertThat(year2025.getKilled() + year2025.getInjured()).isEqualTo(14_656);
    }

    @Test
    @Order(2)
    void aReImportPublishesNothing() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        ImportSummary attacks = importer.importFile(ATTACKS, ImportProgressListener.NONE);
        ImportSummary monthly = importer.importFile(SharedData.file(SharedData.CASUALTIES_MONTHLY), ImportProgressListener.NONE);
        ImportSummary annual = importer.importFile(SharedData.file(SharedData.CASUALTIES_ANNUAL), ImportProgressListener.NONE);
        LOG.info("Re-import of the attack log: {}", attacks);

        assertThat(attacks.published()).isZero();
        assertThat(attacks.unchanged()).isEqualTo(firstImports.get("attacks").published());
        assertThat(attacks.rejected()).isEqualTo(firstImports.get("attacks").rejected());
        assertThat(attacks.deadLettered()).isZero();
        assertThat(monthly.published()).isZero();
        assertThat(monthly.unchanged()).isEqualTo(firstImports.get("monthly").published());
        assertThat(annual.published()).isZero();
        assertThat(annual.unchanged()).isEqualTo(firstImports.get("annual").published());
        assertThat(endOffsets()).isEqualTo(before);
    }

    /** The rate of a first import once the JVM is warm (the first test's figure includes JIT warm-up). */
    @Test
    @Order(3)
    void measuresTheImportRateOfAWarmJvm() throws Exception {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        ImportTopics fresh = new ImportTopics(KAFKA.createUniqueTopic("strike-reports", 6, compacted),
                KAFKA.createUniqueTopic("casualty-reports", 3, compacted), KAFKA.createUniqueTopic("ingest-dlq", 3));
        Importer warm = new Importer(publisher, Importer.kafkaIndexLoader(KAFKA.bootstrapServers(), serdes, fresh,
                Duration.ofSeconds(60)), CLASSIFIER, Clock.systemUTC(), fresh);
        ImportSummary summary = warm.importFile(ATTACKS, ImportProgressListener.NONE);
        LOG.info("Warm import of the attack log into fresh topics: {}", summary);
        assertThat(summary.published()).isEqualTo(firstImports.get("attacks").published());
        assertThat(readAll(fresh.strikeReports(), serdes.strikeReport().deserializer())).hasSize((int) summary.published());
    }

    /** Every record of the topic, latest value per key, read with a plain read_committed consumer to the end. */
    static <R extends SpecificRecord> Map<String, R> readAll(String topic, Deserializer<R> deserializer) {
        Map<String, R> latest = new HashMap<>();
        try (KafkaConsumer<String, R> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(Instant.now()).as("reading %s to its end", topic).isBefore(deadline);
                for (ConsumerRecord<String, R> record : consumer.poll(Duration.ofMillis(500))) {
                    latest.put(record.key(), record.value());
                }
            }
        }
        return latest;
    }

    static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : List.of(topics.strikeReports(), topics.casualtyReports(), topics.deadLetters())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    static Map<String, Object> consumerConfig() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }
}
