package io.conflictmon.ingest.publish;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.TopicSerdes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One value serializer for every record type the ingest service sends (strike and casualty reports, rejected
 * records), so that one idempotent producer serves all topics. Dispatches on the record's class to the serializer of
 * that type (e.g. the schema-registry serdes of {@code io.conflictmon.schemas.TopicSerdes}); the topic name still
 * reaches the delegate, which derives the registry subject from it.
 */
public final class SpecificRecordSerializer implements Serializer<SpecificRecord> {
    private final Map<Class<?>, Serializer<?>> byType;

    private SpecificRecordSerializer(Map<Class<?>, Serializer<?>> byType) {
        this.byType = Map.copyOf(byType);
    }

    /** The serializer of everything the ingest service sends, on the schema-registry serdes. */
    public static SpecificRecordSerializer of(TopicSerdes serdes) {
        return builder()
                .with(StrikeReport.class, serdes.strikeReport().serializer())
                .with(CasualtyReport.class, serdes.casualtyReport().serializer())
                .with(RejectedRecord.class, serdes.rejectedRecord().serializer())
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();

        public <R extends SpecificRecord> Builder with(Class<R> type, Serializer<R> serializer) {
            byType.put(type, serializer);
            return this;
        }

        public SpecificRecordSerializer build() {
            return new SpecificRecordSerializer(byType);
        }
    }

    /**
     * A record already serialized for one topic, on the thread that prepared it: a bulk import serializes on its
     * parser threads, so that the producer's {@code send} on the importing thread (which runs the value serializer)
     * only copies the bytes. Sent to another topic, the record is serialized again. Read-only.
     */
    public record Serialized(String topic, SpecificRecord record, byte[] bytes) implements SpecificRecord {
        @Override
        public void put(int i, Object v) {
            throw new UnsupportedOperationException("a serialized record is read-only");
        }

        @Override
        public Object get(int i) {
            return record.get(i);
        }

        @Override
        public Schema getSchema() {
            return record.getSchema();
        }
    }

    /**
     * The record with its bytes for the topic, serialized now, on this thread.
     *
     * @throws SerializationException as {@link #serialize(String, SpecificRecord)}
     */
    public Serialized serialized(String topic, SpecificRecord data) {
        return new Serialized(topic, data, serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord data) {
        if (data instanceof Serialized serialized) {
            return serialized.topic().equals(topic) ? serialized.bytes() : serialize(topic, serialized.record());
        }
        return data == null ? null : delegate(data).serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, SpecificRecord data) {
        if (data instanceof Serialized serialized) {
            return serialized.topic().equals(topic) ? serialized.bytes() : serialize(topic, headers, serialized.record());
        }
        return data == null ? null : delegate(data).serialize(topic, headers, data);
    }

    @SuppressWarnings("unchecked")
    private Serializer<SpecificRecord> delegate(SpecificRecord data) {
        Serializer<?> serializer = byType.get(data.getClass());
        if (serializer == null) {
            throw new SerializationException("no serializer for " + data.getClass().getName() + "; known types: "
                    + byType.keySet().stream().map(Class::getSimpleName).toList());
        }
        return (Serializer<SpecificRecord>) serializer;
    }

    @Override
    public void close() {
        byType.values().forEach(Serializer::close);
    }
}
