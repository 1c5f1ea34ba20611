package io.conflictmon.schemas.serde;

import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro into {@code T}: the writer schema is fetched by id (cached) and resolved
 * against {@code T}'s schema, so data of an older or newer compatible writer decodes. Null bytes (tombstones)
 * give null. Anything else that is not a readable record throws {@link WireFormatException} (a Kafka
 * {@code SerializationException}) saying what was wrong. Thread-safe.
 */
public class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    static {
        AvroSerializablePackages.ensure();
    }

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For configuration by class name; {@link #configure} must follow. */
    public AvroDeserializer() {
    }

    /** @param type the generated class to read into; null reads into the class named by each writer schema */
    public AvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
        setType(type);
    }

    /** Reads {@code schema.registry.url} and {@code value.type}/{@code key.type} unless built with a client. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client != null) {
            return;
        }
        setType(SerdeConfig.type(configs, isKey));
        this.client = SerdeConfig.client(configs);
        this.ownsClient = !SerdeConfig.isSharedMock(configs);
    }

    private void setType(Class<T> type) {
        this.type = type;
        this.model = type == null ? SpecificData.get() : SpecificData.getForClass(type);
        this.readerSchema = type == null ? null : model.getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: no schema registry client (set schema.registry.url)");
        }
        if (bytes.length < WireFormat.HEADER_SIZE) {
            throw new WireFormatException(WireFormatException.Reason.TRUNCATED, "record on " + topic + " is truncated: "
                    + bytes.length + " bytes, fewer than the 5-byte header (magic byte + schema id) of the Confluent wire format", null);
        }
        if (bytes[0] != WireFormat.MAGIC_BYTE) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC_BYTE, String.format(
                    "record on %s has unknown magic byte 0x%02x (expected 0x00, Confluent wire format)", topic, bytes[0] & 0xff), null);
        }
        int id = WireFormat.schemaId(bytes);
        DatumReader<T> reader = readers.computeIfAbsent(id, this::newReader);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
                    bytes.length - WireFormat.HEADER_SIZE, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("body has bytes left over after the record");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.UNDECODABLE, "record on " + topic
                    + " does not decode with writer schema id " + id + " (" + (bytes.length - WireFormat.HEADER_SIZE)
                    + " body bytes): " + e, e);
        }
    }

    private DatumReader<T> newReader(int id) {
        Schema writer;
        try {
            writer = client.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                        "schema id " + id + " not found in registry (" + e.registryMessage() + ")", e);
            }
            throw new WireFormatException(WireFormatException.Reason.REGISTRY_UNAVAILABLE,
                    "could not fetch schema id " + id + " from the registry: " + e.getMessage(), e);
        }
        return new SpecificDatumReader<>(writer, readerSchema == null ? writer : readerSchema, model);
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
