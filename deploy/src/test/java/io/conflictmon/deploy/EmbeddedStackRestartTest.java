package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default end to end: records written through our serde and the embedded registry
 * (stored in Kafka's {@code _schemas} topic) to a real in-process broker decode again after both
 * broker and registry restart from the same data directory, with the same schema ids.
 */
class EmbeddedStackRestartTest {
    private static final String TOPIC = "roundtrip.strike-reports";

    @TempDir
    Path dataDir;

    @Test
    void recordsAndSchemaIdsSurviveARestartOfBrokerAndRegistry() throws Exception {
        List<StrikeReport> sent = AvroRoundTrip.sampleReports(20);
        Set<Integer> idsBefore;

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start();
                EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, broker.bootstrapServers());
                SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url())) {
            AvroRoundTrip.createTopic(broker.bootstrapServers(), TOPIC);
            AvroRoundTrip.produce(broker.bootstrapServers(), TOPIC, new TopicSerdes(client, true), sent);

            Map<String, byte[]> raw = AvroRoundTrip.readAll(broker.bootstrapServers(), TOPIC);
            assertThat(decode(raw, client)).containsExactlyInAnyOrderElementsOf(sent);
            idsBefore = raw.values().stream().map(AvroRoundTrip::schemaId).collect(Collectors.toSet());
            assertThat(idsBefore).hasSize(1);
            assertThat(client.getLatest(TOPIC + "-value").id()).isEqualTo(idsBefore.iterator().next());
        }

        // A new broker and a new registry on the same data directory, and a client with empty caches.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start();
                EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, broker.bootstrapServers());
                SchemaRegistryClient client = new HttpSchemaRegistryClient(registry.url())) {
            Map<String, byte[]> raw = AvroRoundTrip.readAll(broker.bootstrapServers(), TOPIC);
            assertThat(raw.values().stream().map(AvroRoundTrip::schemaId).collect(Collectors.toSet()))
                    .isEqualTo(idsBefore);
            assertThat(decode(raw, client)).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(client.getLatest(TOPIC + "-value").id()).isEqualTo(idsBefore.iterator().next());
            assertThat(client.versions(TOPIC + "-value")).containsExactly(1);
        }
    }

    private static List<StrikeReport> decode(Map<String, byte[]> raw, SchemaRegistryClient client) {
        var deserializer = new TopicSerdes(client, false).strikeReport().deserializer();
        return raw.values().stream().map(bytes -> deserializer.deserialize(TOPIC, bytes)).toList();
    }
}
