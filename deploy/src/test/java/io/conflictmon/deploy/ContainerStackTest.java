package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same round trip against Apache Kafka's and Confluent's own images: our serde and registry
 * client must interoperate with the real Confluent Schema Registry. Skipped where no Docker engine
 * runs (as on CI here); runs unchanged where one does.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerStackTest {
    private static final String TOPIC = "containers.strike-reports";
    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"))
            .withNetwork(NETWORK)
            .withListener("kafka:19092");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>(
                    DockerImageName.parse("confluentinc/cp-schema-registry:7.9.1"))
            .withNetwork(NETWORK)
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .dependsOn(KAFKA)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

    @Test
    void ourSerdeRoundTripsThroughConfluentSchemaRegistry() throws Exception {
        String registryUrl = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
        List<StrikeReport> sent = AvroRoundTrip.sampleReports(10);
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(registryUrl)) {
            AvroRoundTrip.createTopic(KAFKA.getBootstrapServers(), TOPIC);
            AvroRoundTrip.produce(KAFKA.getBootstrapServers(), TOPIC, new TopicSerdes(client, true), sent);
            Map<String, byte[]> raw = AvroRoundTrip.readAll(KAFKA.getBootstrapServers(), TOPIC);
            var deserializer = new TopicSerdes(client, false).strikeReport().deserializer();
            assertThat(raw.values().stream().map(b -> deserializer.deserialize(TOPIC, b)).toList())
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(client.getLatest(TOPIC + "-value").id())
                    .isEqualTo(AvroRoundTrip.schemaId(raw.values().iterator().next()));
        }
    }
}
