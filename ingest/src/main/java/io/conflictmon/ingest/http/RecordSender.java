package io.conflictmon.ingest.http;

import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer of the HTTP path: serializes first, sends afterwards.
 *
 * <p>Why not {@link ReportPublisher}: its producer serializes inside {@code send}, so with several records a registry
 * failure on the third would come after the first two were sent. Here {@link #serialize} turns every record of a
 * request into bytes (asking the registry, once per schema) before {@link #sendAll} sends any of them over a
 * {@code Producer<String, byte[]>}. The producer settings are {@link ReportPublisher#producerConfig} (acks=all,
 * idempotence, lz4), with timeouts bounded by the request's send timeout so that a request never hangs on Kafka.
 * Thread-safe.
 */
public final class RecordSender implements AutoCloseable {
    /** The HTTP path lingers less than bulk imports: a request waits for its own acknowledgement. */
    static final int LINGER_MS = 5;

    private final Producer<String, byte[]> producer;
    private final Serializer<SpecificRecord> valueSerializer;

    public RecordSender(Producer<String, byte[]> producer, Serializer<SpecificRecord> valueSerializer) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    /** A sender over a new {@link KafkaProducer} with {@link #producerConfig}. */
    public static RecordSender create(IngestConfig config, Serializer<SpecificRecord> valueSerializer) {
        return new RecordSender(new KafkaProducer<>(producerConfig(config), new StringSerializer(),
                new ByteArraySerializer()), valueSerializer);
    }

    /**
     * {@link ReportPublisher#producerConfig} plus: {@code delivery.timeout.ms} and {@code max.block.ms} = the send
     * timeout (a record Kafka does not take in time fails instead of waiting), {@code request.timeout.ms} within it,
     * and the configured extra Kafka properties.
     */
    public static Map<String, Object> producerConfig(IngestConfig config) {
        Map<String, Object> props = new HashMap<>(ReportPublisher.producerConfig(config.bootstrapServers()));
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.sendTimeout().toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "conflictmon-ingest-http");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, timeoutMs - LINGER_MS));
        props.putAll(config.kafkaProperties());
        return props;
    }

    /** The producer, for metrics binders. */
    public Producer<String, byte[]> producer() {
        return producer;
    }

    /**
     * The record with its value in bytes (Confluent wire format; the registry is asked on the first use of a schema).
     *
     * @throws SerializationException when the registry fails or the record cannot be written; see {@link #classify}
     */
    public ProducerRecord<String, byte[]> serialize(String topic, String key, SpecificRecord value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, null);
        byte[] bytes = valueSerializer.serialize(topic, record.headers(), value);
        return new ProducerRecord<>(topic, null, key, bytes, record.headers());
    }

    /**
     * Sends the records; the future completes when Kafka acknowledged all of them, or exceptionally with the first
     * failure (the others may still land; they are idempotent by key and content).
     */
    public CompletableFuture<Void> sendAll(List<ProducerRecord<String, byte[]>> records) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (records.isEmpty()) {
            all.complete(null);
            return all;
        }
        AtomicInteger pending = new AtomicInteger(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        all.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        all.complete(null);
                    }
                });
            } catch (RuntimeException e) { // refused at once: no metadata within max.block.ms, buffer full, closed
                all.completeExceptionally(e);
                break;
            }
        }
        return all;
    }

    /** What a failure of {@link #serialize} or {@link #sendAll} means for the client. */
    public enum Failure {
        /** Kafka or the registry is unreachable or timed out: 503, retry later. */
        UNAVAILABLE,
        /** A record exceeds what Kafka takes: 413. */
        TOO_LARGE,
        /** Misconfiguration or a bug on our side (registry refused the schema, no ACL): 500. */
        INTERNAL
    }

    public static Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                int status = registry.httpStatus();
                return status == SchemaRegistryException.UNREACHABLE || status >= 500 || status == 408 || status == 429
                        ? Failure.UNAVAILABLE : Failure.INTERNAL;
            }
            if (t instanceof CompletionException || t instanceof ExecutionException) {
                continue;
            }
            if (t instanceof java.util.concurrent.TimeoutException) {
                return Failure.UNAVAILABLE;
            }
            if (t instanceof RecordTooLargeException) {
                return Failure.TOO_LARGE;
            }
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return Failure.INTERNAL;
            }
            if (t instanceof SerializationException) {
                continue; // look for a registry failure inside
            }
            if (t instanceof KafkaException || t instanceof IllegalStateException) {
                // timeouts, disconnects, not enough replicas, a producer closed during shutdown: all transient
                return Failure.UNAVAILABLE;
            }
        }
        return Failure.INTERNAL;
    }

    /** Flushes what is in flight (bounded by the send timeout) and closes the producer and the serializer. */
    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(30));
        } finally {
            valueSerializer.close();
        }
    }
}
