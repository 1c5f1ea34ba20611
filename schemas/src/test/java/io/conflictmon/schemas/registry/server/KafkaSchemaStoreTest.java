package io.conflictmon.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.SampleRecords;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.CompatibilityLevel;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.RegisteredSchema;
import io.conflictmon.schemas.serde.AvroDeserializer;
import io.conflictmon.schemas.serde.AvroSerializer;
import io.conflictmon.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry stored on a real Kafka broker: state survives restarts and is shared by live instances. */
class KafkaSchemaStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static EmbeddedSchemaRegistry registryOn(String topic) {
        return EmbeddedSchemaRegistry.on("127.0.0.1", 0, new KafkaSchemaStore(kafka.bootstrapServers(), topic, Map.of(), TIMEOUT));
    }

    private static Schema record(String name, int fields) {
        SchemaBuilder.FieldAssembler<Schema> assembler = SchemaBuilder.record(name).namespace("kafka.store").fields();
        assembler = assembler.requiredString("id");
        for (int i = 1; i < fields; i++) {
            assembler = assembler.name("f" + i).type().intType().intDefault(i);
        }
        return assembler.endRecord();
    }

    @Test
    void aRestartedRegistryRebuildsIdsVersionsAndConfigFromTheTopic() {
        String topic = KafkaBrokerExtension.uniqueTopic("_schemas-restart");
        int a1;
        int a2;
        int b1;
        int deletedId;
        try (EmbeddedSchemaRegistry first = registryOn(topic); HttpSchemaRegistryClient client = first.newClient()) {
            a1 = client.register("a-value", record("A", 1));
            a2 = client.register("a-value", record("A", 2));
            b1 = client.register("b-value", record("A", 1)); // same schema, other subject: same id
            client.setCompatibility("b-value", CompatibilityLevel.FULL);
            client.setCompatibility(null, CompatibilityLevel.FORWARD);
            deletedId = client.register("gone-value", record("Gone", 1));
            first.service().deleteSubject("gone-value");
        }
        assertThat(b1).isEqualTo(a1);

        try (EmbeddedSchemaRegistry second = registryOn(topic); HttpSchemaRegistryClient client = second.newClient()) {
            assertThat(client.subjects()).containsExactly("a-value", "b-value");
            assertThat(client.versions("a-value")).containsExactly(1, 2);
            assertThat(client.getVersion("a-value", 1)).isEqualTo(new RegisteredSchema("a-value", 1, a1, record("A", 1)));
            assertThat(client.getLatest("a-value")).isEqualTo(new RegisteredSchema("a-value", 2, a2, record("A", 2)));
            assertThat(client.getById(b1)).isEqualTo(record("A", 1));
            assertThat(client.getById(deletedId)).isEqualTo(record("Gone", 1));
            assertThat(client.getCompatibility("b-value")).isEqualTo(CompatibilityLevel.FULL);
            assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.FORWARD);

            // ids continue after the stored ones; re-registering a known schema keeps its id
            int next = client.register("c-value", record("C", 1));
            assertThat(next).isEqualTo(Math.max(a2, deletedId) + 1);
            assertThat(client.register("d-value", record("A", 1))).isEqualTo(a1);
        }
    }

    @Test
    void twoLiveInstancesAgree() {
        String topic = KafkaBrokerExtension.uniqueTopic("_schemas-live");
        try (EmbeddedSchemaRegistry a = registryOn(topic); EmbeddedSchemaRegistry b = registryOn(topic);
                HttpSchemaRegistryClient onA = a.newClient(); HttpSchemaRegistryClient onB = b.newClient()) {
            int first = onA.register("x-value", record("X", 1));
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(b.service().subjects()).contains("x-value"));
            assertThat(onB.getLatest("x-value")).isEqualTo(onA.getLatest("x-value"));
            assertThat(onB.getById(first)).isEqualTo(record("X", 1));

            // B writes next: it catches up first, so its id follows A's
            int second = onB.register("x-value", record("X", 2));
            assertThat(second).isEqualTo(first + 1);
            onB.setCompatibility("x-value", CompatibilityLevel.NONE);
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(a.service().versions("x-value")).containsExactly(1, 2);
                assertThat(a.service().compatibility("x-value")).isEqualTo(CompatibilityLevel.NONE);
            });
            assertThat(onA.getVersion("x-value", 2).id()).isEqualTo(second);
            // the same schema registered on A under another subject gets B's id
            assertThat(onA.register("y-value", record("X", 2))).isEqualTo(second);
        }
    }

    @Test
    void onKafkaCreatesACompactedSinglePartitionSchemasTopic() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, kafka.bootstrapServers());
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(Topics.SCHEMAS)).allTopicNames().get().get(Topics.SCHEMAS);
            assertThat(description.partitions()).hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SCHEMAS);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(registry.service().store().description()).isEqualTo("kafka topic _schemas at " + kafka.bootstrapServers());
        }
    }

    @Test
    void recordsTravelThroughKafkaInTheWireFormatWithTheRegistry() {
        String topic = kafka.createUniqueTopic("strike-reports", 1);
        StrikeReport report = SampleRecords.strikeReport();
        try (EmbeddedSchemaRegistry registry = registryOn(KafkaBrokerExtension.uniqueTopic("_schemas-e2e"));
                HttpSchemaRegistryClient client = registry.newClient();
                KafkaProducer<String, StrikeReport> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(), new AvroSerializer<>(client, false, true));
                KafkaConsumer<String, StrikeReport> consumer = new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                        new StringDeserializer(), new AvroDeserializer<>(StrikeReport.class, client))) {
            producer.send(new ProducerRecord<>(topic, report.getId(), report));
            producer.send(new ProducerRecord<>(topic, report.getId(), null));
            producer.flush();

            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, StrikeReport>> received = new java.util.ArrayList<>();
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= 2;
            });
            assertThat(received).extracting(ConsumerRecord::value).containsExactly(report, null);
            assertThat(client.subjects()).containsExactly(topic + "-value");
        }
    }
}
