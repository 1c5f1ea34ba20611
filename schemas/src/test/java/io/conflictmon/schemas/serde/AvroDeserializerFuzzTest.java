package io.conflictmon.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.SampleRecords;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Property-based fuzzing of {@link AvroDeserializer} against the embedded registry over HTTP: random bytes, a valid
 * header (magic byte and a registered or unknown schema id) over a random body, valid records of every input contract
 * with bytes flipped, cut or inserted, and valid records of the wrong contract. Whatever the bytes, the deserializer
 * returns a record or throws {@link WireFormatException} with a known reason; nothing else escapes (no
 * {@code OutOfMemoryError} from a corrupt length, no bare Avro exception), since the streams' dead-letter handler
 * maps exactly that type to a reason code.
 */
class AvroDeserializerFuzzTest {
    /** A decoded record, or a refusal with one of the reason codes of bad bytes. */
    private static final Set<String> OUTCOMES = Set.of("decoded", "bad-wire-format", "unknown-schema-id", "undecodable");
    private static final int UNKNOWN_ID = 987_654;

    static EmbeddedSchemaRegistry registry;
    static HttpSchemaRegistryClient client;
    static TopicSerdes serdes;
    static List<byte[]> validRecords;
    static List<Integer> registeredIds;

    @BeforeContainer
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        client = registry.newClient();
        serdes = new TopicSerdes(client, true);
        validRecords = List.of(
                serdes.strikeReport().serializer().serialize(Topics.STRIKE_REPORTS, SampleRecords.strikeReport()),
                serdes.casualtyReport().serializer().serialize(Topics.CASUALTY_REPORTS, SampleRecords.casualtyReport()),
                serdes.rejectedRecord().serializer().serialize(Topics.INGEST_DLQ, SampleRecords.rejectedRecord()));
        registeredIds = validRecords.stream().map(WireFormat::schemaId).distinct().toList();
    }

    @AfterContainer
    static void stopRegistry() {
        client.close();
        registry.close();
    }

    @Property(tries = 400)
    void randomBytesDecodeOrFailWithAReason(@ForAll("randomBytes") byte[] bytes) {
        assertDecodesOrRefuses(bytes);
    }

    @Property(tries = 400)
    void aValidHeaderOverARandomBodyDecodesOrFailsWithAReason(@ForAll("validHeaderRandomBody") byte[] bytes) {
        assertDecodesOrRefuses(bytes);
    }

    @Property(tries = 400)
    void aCorruptedValidRecordDecodesOrFailsWithAReason(@ForAll("corruptedRecords") byte[] bytes) {
        assertDecodesOrRefuses(bytes);
    }

    @Property(tries = 50)
    void aValidRecordOfAnotherContractIsUndecodable(@ForAll("otherContracts") byte[] bytes) {
        assertThat(refusal(serdes.strikeReport().deserializer(), bytes)).isEqualTo("undecodable");
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
    }

    @Provide
    Arbitrary<byte[]> validHeaderRandomBody() {
        // Mostly registered ids: an unknown id never reaches the body, and each costs a registry round trip.
        Arbitrary<Integer> ids = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(registeredIds)),
                Tuple.of(1, Arbitraries.just(UNKNOWN_ID)), Tuple.of(1, Arbitraries.integers()));
        // Bodies of varint-looking bytes (high bit set) reach Avro's length and count decoding with huge values.
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(500),
                Arbitraries.bytes().between((byte) 0x80, (byte) 0xff).array(byte[].class).ofMinSize(1).ofMaxSize(12)
                        .map(prefix -> concat(prefix, new byte[] {0x07})));
        return Combinators.combine(ids, bodies).as((id, body) -> {
            byte[] bytes = new byte[WireFormat.HEADER_SIZE + body.length];
            ByteBuffer.wrap(bytes).put(WireFormat.MAGIC_BYTE).putInt(id).put(body);
            return bytes;
        });
    }

    @Provide
    Arbitrary<byte[]> corruptedRecords() {
        return Combinators.combine(Arbitraries.of(validRecords), Arbitraries.integers().between(1, 8).list().ofMaxSize(4),
                        Arbitraries.bytes().list().ofMinSize(4).ofMaxSize(4), Arbitraries.integers().between(0, 2))
                .as((record, positions, values, mutation) -> {
                    byte[] bytes = record.clone();
                    int at = WireFormat.HEADER_SIZE;
                    for (int i = 0; i < positions.size() && at < bytes.length; i++) {
                        at = Math.min(bytes.length - 1, at + positions.get(i) * 3);
                        switch (mutation) {
                            case 0 -> bytes[at] = values.get(i); // overwrite
                            case 1 -> bytes = Arrays.copyOf(bytes, at); // cut
                            default -> bytes = concat(Arrays.copyOf(bytes, at), concat(new byte[] {values.get(i)},
                                    Arrays.copyOfRange(bytes, at, bytes.length))); // insert
                        }
                    }
                    return bytes;
                });
    }

    @Provide
    Arbitrary<byte[]> otherContracts() {
        return Arbitraries.of(validRecords.get(1), validRecords.get(2));
    }

    private static void assertDecodesOrRefuses(byte[] bytes) {
        for (Deserializer<?> deserializer : List.of(serdes.strikeReport().deserializer(),
                serdes.casualtyReport().deserializer(), serdes.rejectedRecord().deserializer())) {
            assertThat(refusal(deserializer, bytes)).isIn(OUTCOMES);
        }
    }

    /** "decoded", or the reason code of the refusal; any other exception fails the property. */
    private static String refusal(Deserializer<?> deserializer, byte[] bytes) {
        try {
            Object record = deserializer.deserialize(Topics.STRIKE_REPORTS, bytes);
            assertThat(record).isInstanceOfAny(StrikeReport.class, CasualtyReport.class, RejectedRecord.class);
            return "decoded";
        } catch (WireFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.reasonCode();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
