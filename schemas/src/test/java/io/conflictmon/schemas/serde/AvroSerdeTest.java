package io.conflictmon.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.SampleRecords;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.InMemorySchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private static final String TOPIC = Topics.STRIKE_REPORTS;
    private static final String SUBJECT = TOPIC + "-value";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroSerde<StrikeReport> serde = new AvroSerde<>(StrikeReport.class, registry, false, true);

    @Test
    void writesConfluentWireFormatByteForByte() throws IOException {
        StrikeReport report = SampleRecords.strikeReport();

        byte[] bytes = serde.serializer().serialize(TOPIC, report);

        int registeredId = registry.getLatest(SUBJECT).id();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(avroBinary(report));
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(report);
    }

    @Test
    void registersUnderKeySubjectForKeys() {
        AvroSerializer<StrikeReport> keySerializer = new AvroSerializer<>(registry, true, true);
        byte[] bytes = keySerializer.serialize(TOPIC, SampleRecords.strikeReport());
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(registry.getLatest(TOPIC + "-key").id());
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void decodesDataOfAnOlderWriterSchemaIntoTheCurrentClass() throws IOException {
        Schema older = withoutField(StrikeReport.getClassSchema(), "sourceRef");
        int olderId = registry.register(SUBJECT, older);
        StrikeReport current = SampleRecords.strikeReport();

        byte[] bytes = frame(olderId, genericBinary(current, older));
        StrikeReport decoded = serde.deserializer().deserialize(TOPIC, bytes);

        StrikeReport expected = StrikeReport.newBuilder(current).setSourceRef(null).build();
        assertThat(decoded).isEqualTo(expected);
    }

    @Test
    void decodesDataOfANewerWriterSchemaIgnoringTheAddedField() throws IOException {
        Schema newer = withExtraField(StrikeReport.getClassSchema(), "confidence");
        int newerId = registry.register("other-subject", newer);
        StrikeReport current = SampleRecords.strikeReport();
        GenericRecord record = toGeneric(current, newer);
        record.put("confidence", 0.9);

        StrikeReport decoded = serde.deserializer().deserialize(TOPIC, frame(newerId, binary(record, newer)));

        assertThat(decoded).isEqualTo(current);
    }

    @Test
    void refusesAWrongMagicByte() {
        byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.strikeReport());
        bytes[0] = 0x7b; // '{': somebody wrote JSON to the topic

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b (expected 0x00, Confluent wire format)")
                .satisfies(e -> assertThat(((WireFormatException) e).reasonCode()).isEqualTo("bad-wire-format"));
    }

    @Test
    void refusesTruncatedInput() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated: 3 bytes");
        byte[] whole = serde.serializer().serialize(TOPIC, SampleRecords.strikeReport());
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("does not decode with writer schema id " + WireFormat.schemaId(whole))
                .satisfies(e -> assertThat(((WireFormatException) e).reason()).isEqualTo(WireFormatException.Reason.UNDECODABLE));
    }

    @Test
    void refusesAnUnknownSchemaId() {
        byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.strikeReport());
        int unknown = registry.getLatest(SUBJECT).id() + 41;
        ByteBuffer.wrap(bytes).putInt(1, unknown);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + unknown + " not found in registry")
                .satisfies(e -> assertThat(((WireFormatException) e).reasonCode()).isEqualTo("unknown-schema-id"));
    }

    @Test
    void refusesTrailingGarbage() {
        byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.strikeReport());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, longer))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("bytes left over");
    }

    @Test
    void withoutAutoRegisterUsesTheRegisteredIdAndFailsClearlyWhenAbsent() {
        AvroSerializer<StrikeReport> strict = new AvroSerializer<>(registry, false, false);
        StrikeReport report = SampleRecords.strikeReport();

        assertThatThrownBy(() -> strict.serialize(TOPIC, report))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not registered under subject '" + SUBJECT + "'")
                .hasMessageContaining("auto.register.schemas=false");

        int id = registry.register(SUBJECT, StrikeReport.getClassSchema());
        assertThat(WireFormat.schemaId(strict.serialize(TOPIC, report))).isEqualTo(id);
        assertThat(registry.versions(SUBJECT)).hasSize(1);
    }

    @Test
    void configuresByClassNameWithASharedMockRegistry() {
        String scope = "serde-test-" + UUID.randomUUID();
        Map<String, Object> config = Map.of("schema.registry.url", "mock://" + scope,
                "value.type", StrikeReport.class.getName());
        try (AvroSerde<StrikeReport> configured = new AvroSerde<>()) {
            configured.configure(config, false);
            StrikeReport report = SampleRecords.strikeReport();
            byte[] bytes = configured.serializer().serialize(TOPIC, report);
            assertThat(configured.deserializer().deserialize(TOPIC, bytes)).isEqualTo(report);
            assertThat(InMemorySchemaRegistryClient.forScope(scope).subjects()).containsExactly(SUBJECT);

            // a deserializer configured on its own reads through the same scope
            AvroDeserializer<StrikeReport> deserializer = new AvroDeserializer<>();
            deserializer.configure(config, false);
            assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(report);
        } finally {
            InMemorySchemaRegistryClient.dropScope(scope);
        }
    }

    @Test
    void configurationErrorsNameTheSetting() {
        AvroSerde<StrikeReport> unconfigured = new AvroSerde<>();
        assertThatThrownBy(() -> unconfigured.configure(Map.of(), false))
                .hasMessageContaining("schema.registry.url is required");
        assertThatThrownBy(() -> new AvroSerde<StrikeReport>().configure(
                Map.of("schema.registry.url", "mock://x", "value.type", "java.lang.String"), false))
                .hasMessageContaining("not an Avro SpecificRecord class");
        assertThatThrownBy(unconfigured::serializer).hasMessageContaining("not configured");
    }

    @Test
    void makesAvroTrustTheGeneratedPackage() {
        AvroSerializablePackages.ensure();
        assertThat(System.getProperty(AvroSerializablePackages.PROPERTY)).contains("io.conflictmon.avro");
        assertThat(org.apache.avro.util.ClassSecurityValidator.getGlobal().isTrusted(StrikeReport.class)).isTrue();
    }

    // --- helpers ---

    private static byte[] avroBinary(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] frame(int id, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
    }

    private static Schema withoutField(Schema schema, String field) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(field)) {
                fields.remove(i);
                return new Schema.Parser().parse(json.toString());
            }
        }
        throw new IllegalArgumentException("no field " + field);
    }

    private static Schema withExtraField(Schema schema, String field) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ((ArrayNode) json.get("fields")).addObject().put("name", field).put("type", "double").put("default", 0.0);
        return new Schema.Parser().parse(json.toString());
    }

    /** The record's values for the fields of {@code schema}, as generic data. */
    private static GenericRecord toGeneric(SpecificRecord record, Schema schema) {
        GenericData.Record generic = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Schema.Field own = record.getSchema().getField(field.name());
            if (own == null) {
                continue;
            }
            Object value = record.get(own.pos());
            if (field.schema().getType() == Schema.Type.ENUM) {
                value = new GenericData.EnumSymbol(field.schema(), value.toString());
            }
            generic.put(field.name(), value);
        }
        return generic;
    }

    private static byte[] genericBinary(SpecificRecord record, Schema schema) throws IOException {
        return binary(toGeneric(record, schema), schema);
    }

    private static byte[] binary(GenericRecord record, Schema schema) throws IOException {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, model).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
