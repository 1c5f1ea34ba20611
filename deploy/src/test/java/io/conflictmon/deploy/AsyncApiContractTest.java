package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conflictmon.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document downstream consumers read ({@code /asyncapi.json}) says what the code does: one channel per
 * topic of {@link Topics}, partitions and topic configuration as {@link EmbeddedStack.TopicLayout} creates them, and
 * value schemas equal to the {@code .avsc} contracts and the generated classes.
 */
class AsyncApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path AVRO_DIR = Path.of("..", "schemas", "src", "main", "avro");

    private final JsonNode doc = readDocument();

    @Test
    void everyTopicIsAChannelWithItsPartitionsRetentionAndCompaction() {
        List<String> addresses = new ArrayList<>();
        doc.get("channels").forEach(channel -> addresses.add(channel.get("address").asText()));
        assertThat(addresses).containsExactlyElementsOf(Topics.DATA_TOPICS);

        for (EmbeddedStack.TopicLayout layout : EmbeddedStack.TopicLayout.ALL) {
            JsonNode binding = channel(layout.name()).get("bindings").get("kafka");
            assertThat(binding.get("partitions").asInt()).as(layout.name()).isEqualTo(layout.partitions());
            Map<String, String> documented = new HashMap<>();
            binding.get("topicConfiguration").fields().forEachRemaining(field -> documented.put(field.getKey(),
                    field.getValue().isArray() ? field.getValue().get(0).asText() : field.getValue().asText()));
            assertThat(documented).as(layout.name()).isEqualTo(layout.newTopic((short) 1).configs());
        }
    }

    @Test
    void everyValueSchemaIsTheAvscContractAndTheGeneratedClassSchema() throws Exception {
        for (String topic : Topics.DATA_TOPICS) {
            JsonNode channel = channel(topic);
            assertThat(channel.get("messages")).as(topic).hasSize(1);
            String name = channel.get("messages").fieldNames().next();
            JsonNode message = doc.get("components").get("messages").get(name);
            JsonNode embedded = message.get("payload").get("schema");

            assertThat(embedded).as("%s value schema against %s.avsc", topic, name)
                    .isEqualTo(JSON.readTree(AVRO_DIR.resolve(name + ".avsc").toFile()));
            Schema generated = SpecificData.get().getSchema(Class.forName("io.conflictmon.avro." + name));
            // The generated classes add avro.java.string properties; the Parsing Canonical Form leaves those out.
            assertThat(SchemaNormalization.toParsingForm(new Schema.Parser().parse(embedded.toString()))).as(name)
                    .isEqualTo(SchemaNormalization.toParsingForm(generated));
            assertThat(message.get("bindings").get("kafka").get("key").get("type").asText()).isEqualTo("string");
        }
    }

    @Test
    void theDocumentIsAsyncApi3() {
        assertThat(doc.get("asyncapi").asText()).isEqualTo("3.0.0");
        doc.get("operations").forEach(op -> assertThat(op.get("action").asText()).isEqualTo("receive"));
        assertThat(doc.get("operations")).hasSameSizeAs(Topics.DATA_TOPICS);
    }

    private JsonNode channel(String topic) {
        for (JsonNode channel : doc.get("channels")) {
            if (channel.get("address").asText().equals(topic)) {
                return channel;
            }
        }
        throw new AssertionError("no channel for " + topic);
    }

    private static JsonNode readDocument() {
        try {
            return JSON.readTree(AsyncApiRoute.document());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static {
        assertThat(Files.isDirectory(AVRO_DIR)).as("the .avsc contracts at %s", AVRO_DIR.toAbsolutePath()).isTrue();
    }
}
