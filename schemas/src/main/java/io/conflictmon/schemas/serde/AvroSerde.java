package io.conflictmon.schemas.serde;

import io.conflictmon.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AvroSerializer} plus {@link AvroDeserializer} on one registry client. Either built with a client
 * (not closed by the serde) or created by class name and configured with {@code schema.registry.url}
 * ({@code mock://<scope>} for an in-memory registry shared by scope), {@code auto.register.schemas}
 * (default true) and {@code value.type} / {@code key.type} (the record class name).
 */
public class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private AvroSerializer<T> serializer;
    private AvroDeserializer<T> deserializer;
    private SchemaRegistryClient ownedClient;

    /** For configuration by class name (e.g. {@code default.value.serde}); {@link #configure} must follow. */
    public AvroSerde() {
    }

    public AvroSerde(Class<T> type, SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
        Objects.requireNonNull(type, "type");
        this.serializer = new AvroSerializer<>(client, isKey, autoRegister);
        this.deserializer = new AvroDeserializer<>(type, client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (serializer != null) {
            return;
        }
        SchemaRegistryClient client = SerdeConfig.client(configs);
        if (!SerdeConfig.isSharedMock(configs)) {
            ownedClient = client;
        }
        this.serializer = new AvroSerializer<>(client, isKey, SerdeConfig.autoRegister(configs));
        this.deserializer = new AvroDeserializer<>(SerdeConfig.<T>type(configs, isKey), client);
    }

    @Override
    public Serializer<T> serializer() {
        return requireConfigured(serializer);
    }

    @Override
    public Deserializer<T> deserializer() {
        return requireConfigured(deserializer);
    }

    private <X> X requireConfigured(X part) {
        if (part == null) {
            throw new IllegalStateException("AvroSerde is not configured: call configure(...) with schema.registry.url first");
        }
        return part;
    }

    @Override
    public void close() {
        if (ownedClient != null) {
            ownedClient.close();
            ownedClient = null;
        }
    }
}
