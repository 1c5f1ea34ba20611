package io.conflictmon.schemas.serde;

import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes SpecificRecords in the Confluent wire format, subject by TopicNameStrategy ({@code <topic>-value} or
 * {@code <topic>-key}). With auto-register on, the schema is registered on first use; off, it must already be
 * registered under the subject. Schema ids are cached per subject, so steady state asks the registry nothing.
 * Thread-safe.
 */
public class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    static {
        AvroSerializablePackages.ensure();
    }

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private boolean autoRegister = true;
    private final Map<IdentityKey, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** For configuration by class name; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
        this.client = Objects.requireNonNull(client, "client");
        this.isKey = isKey;
        this.autoRegister = autoRegister;
    }

    /** Reads {@code schema.registry.url} and {@code auto.register.schemas} unless built with a client. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client != null) {
            return;
        }
        this.isKey = isKey;
        this.autoRegister = SerdeConfig.autoRegister(configs);
        this.client = SerdeConfig.client(configs);
        this.ownsClient = !SerdeConfig.isSharedMock(configs);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException("AvroSerializer is not configured: no schema registry client (set schema.registry.url)");
        }
        Schema schema = data.getSchema();
        String subject = Topics.subject(topic, isKey);
        int id = ids.computeIfAbsent(new IdentityKey(subject, schema), k -> schemaId(subject, schema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(WireFormat.ID_SIZE).putInt(id).array());
        try {
            // Direct (unbuffered) encoder: writes straight into the byte array, no 2 KiB buffer per record.
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass())))
                    .write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not write " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + id + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject, Schema schema) {
        try {
            return autoRegister ? client.register(subject, schema) : client.lookup(subject, schema).id();
        } catch (SchemaRegistryException e) {
            if (!autoRegister && e.isNotFound()) {
                throw new SerializationException("schema " + schema.getFullName() + " is not registered under subject '"
                        + subject + "' and auto.register.schemas=false: register it first (" + e.registryMessage() + ")", e);
            }
            throw new SerializationException("could not " + (autoRegister ? "register" : "look up") + " schema "
                    + schema.getFullName() + " under subject '" + subject + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
