package io.conflictmon.ingest.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends reports and rejected records to Kafka over one shared, idempotent producer ({@code acks=all}, so an
 * acknowledged record is on every in-sync replica; idempotence, so a retried batch is not written twice). Sends are
 * asynchronous; a {@link Batch} counts completions and turns any failure into a {@link PublishException} at the
 * latest on {@link Batch#flush()}: nothing is dropped silently. Thread-safe.
 */
public final class ReportPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportPublisher.class);

    private final Producer<String, SpecificRecord> producer;
    /** The producer's value serializer when this publisher created the producer; null when unknown. */
    private final Serializer<SpecificRecord> valueSerializer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public ReportPublisher(Producer<String, SpecificRecord> producer) {
        this(producer, null);
    }

    private ReportPublisher(Producer<String, SpecificRecord> producer, Serializer<SpecificRecord> valueSerializer) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.valueSerializer = valueSerializer;
    }

    /** A publisher over a new {@link KafkaProducer} with {@link #producerConfig} plus the overrides. */
    public static ReportPublisher create(String bootstrapServers, Serializer<SpecificRecord> valueSerializer,
            Map<String, Object> overrides) {
        Map<String, Object> config = producerConfig(bootstrapServers);
        config.putAll(overrides);
        return new ReportPublisher(new KafkaProducer<>(config, new StringSerializer(), valueSerializer), valueSerializer);
    }

    /**
     * The value to send to the topic later, serialized now on the calling thread when the producer's serializer can
     * take serialized values ({@link SpecificRecordSerializer.Serialized}); otherwise, or when serializing fails, the
     * value itself, so that the send serializes it and reports any failure as always. A bulk import prepares its
     * records on its parser threads, which leaves the importing thread only the sends. Thread-safe.
     */
    public SpecificRecord serializedFor(String topic, SpecificRecord value) {
        if (valueSerializer instanceof SpecificRecordSerializer serializer) {
            try {
                return serializer.serialized(topic, value);
            } catch (RuntimeException e) {
                return value; // the send will fail with the usual PublishException
            }
        }
        return value;
    }

    /**
     * How long a record may wait for more to fill its batch. Imports send keyed records, spread over every partition,
     * so a batch per partition fills only as fast as the import runs; at 10 ms a batch held a few dozen records and
     * creating batches (each with its own lz4 frame) was a fifth of the import's time. A bulk import does not wait for
     * single records ({@link Batch#flush} sends what is left at once); the HTTP path lingers less (RecordSender).
     */
    public static final int LINGER_MS = 50;

    /**
     * Producer settings for bulk ingest: {@code acks=all} and idempotence (no loss, no duplicates on retry),
     * {@code linger.ms} {@value #LINGER_MS} and 128 KiB batches (a bulk import fills batches),
     * lz4 compression (cheap on CPU, shrinks the repetitive report records several-fold).
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "conflictmon-ingest");
        return config;
    }

    /**
     * Sends one record asynchronously. The future completes when Kafka acknowledged it, or exceptionally.
     *
     * @throws PublishException when the producer refuses the record at once (serialization, buffer full, closed)
     */
    public CompletableFuture<RecordMetadata> send(String topic, String key, SpecificRecord value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        send(topic, key, value, (metadata, error) -> {
            if (error == null) {
                result.complete(metadata);
            } else {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    /** Sends one record asynchronously with a callback on Kafka's I/O thread (no future: bulk imports send many). */
    private void send(String topic, String key, SpecificRecord value, Callback callback) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                callback.onCompletion(metadata, error);
            });
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            throw new PublishException("Kafka refused the record with key '" + key + "' for " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Waits until every record sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Records acknowledged by Kafka since this publisher was created. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Records Kafka did not take since this publisher was created. */
    public long failed() {
        return failed.get();
    }

    /** A new batch: counts its own sends and fails on the first failure among them. Not thread-safe. */
    public Batch batch() {
        return new Batch();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** The sends of one unit of work (an import), with their completion count and first failure. */
    public final class Batch {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong batchAcknowledged = new AtomicLong();
        private final AtomicLong batchFailed = new AtomicLong();
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

        private Batch() {
        }

        /**
         * Sends asynchronously.
         *
         * @throws PublishException when an earlier send of this batch failed (stop early), or when the producer
         *                          refuses this record at once
         */
        public void send(String topic, String key, SpecificRecord value) {
            throwIfFailed();
            sent.incrementAndGet();
            try {
                ReportPublisher.this.send(topic, key, value, (metadata, error) -> {
                    if (error == null) {
                        batchAcknowledged.incrementAndGet();
                    } else {
                        batchFailed.incrementAndGet();
                        if (firstFailure.compareAndSet(null, error)) {
                            LOG.error("Kafka did not take the record with key '{}' for {}", key, topic, error);
                        }
                    }
                });
            } catch (PublishException e) {
                batchFailed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
                throw e;
            }
        }

        /**
         * Waits for every send of this batch.
         *
         * @return the number of records acknowledged
         * @throws PublishException when any record of the batch failed
         */
        public long flush() {
            producer.flush();
            throwIfFailed();
            return batchAcknowledged.get();
        }

        public long sent() {
            return sent.get();
        }

        public long acknowledged() {
            return batchAcknowledged.get();
        }

        public long failed() {
            return batchFailed.get();
        }

        private void throwIfFailed() {
            Throwable failure = firstFailure.get();
            if (failure != null) {
                throw new PublishException(batchFailed.get() + " of " + sent.get() + " records were not taken by Kafka; "
                        + "first failure: " + failure.getMessage(), failure);
            }
        }
    }
}
