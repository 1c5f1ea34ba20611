package io.conflictmon.ingest.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a topic already holds: key -> content fingerprint of the latest record ({@link Fingerprints}).
 *
 * <p>Why: report ids are derived from the content, so a re-imported file produces the same keys; sending them again
 * would be harmless to the compacted topic and the aggregates (same id, same numbers) but would fill the log and wake
 * every consumer for nothing. So the importer first reads the topic and skips a row whose id is there with the same
 * fingerprint (counted as unchanged). A row whose id is there with another fingerprint is a correction and is sent:
 * downstream replaces the old numbers. A tombstone removes the key, so a retracted report is sent again if a file
 * still holds it. Not thread-safe.
 */
public final class PublishedIndex {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedIndex.class);

    private final Map<String, Long> fingerprints;

    private PublishedIndex(Map<String, Long> fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** Loads the index of a topic before an import. */
    @FunctionalInterface
    public interface Loader {
        /**
         * @param keyFilter only keys it accepts are kept (e.g. the dead letters of one file)
         */
        PublishedIndex load(String topic, Predicate<String> keyFilter);
    }

    public static PublishedIndex empty() {
        return new PublishedIndex(new HashMap<>());
    }

    /** True when the key is there with this fingerprint. */
    public boolean contains(String key, long fingerprint) {
        Long known = fingerprints.get(key);
        return known != null && known == fingerprint;
    }

    /** True when the key is there, whatever its content. */
    public boolean containsKey(String key) {
        return fingerprints.containsKey(key);
    }

    public void put(String key, long fingerprint) {
        fingerprints.put(key, fingerprint);
    }

    public int size() {
        return fingerprints.size();
    }

    /**
     * A loader that reads each topic from its beginning to its end with a plain consumer: {@code read_committed}, all
     * partitions assigned (no consumer group, no committed offsets), polling until every partition's position reaches
     * the end offset taken at the start. A topic that does not exist gives an empty index.
     *
     * @param consumerConfig      at least {@code bootstrap.servers}; group, isolation and deserializers are set here
     * @param deserializerOfTopic the value deserializer of each topic (e.g. the schema-registry serde of its type)
     * @param timeout             the longest the whole read may take
     */
    public static Loader kafkaLoader(Map<String, Object> consumerConfig,
            Function<String, Deserializer<? extends SpecificRecord>> deserializerOfTopic, Duration timeout) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // It reads to the end offsets it took at the start and stops: a fetch that finds nothing new (a partition whose
        // position was resolved first, or one at its end) must not wait the default 500 ms for more data.
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "conflictmon-ingest-index");
        return (topic, keyFilter) -> read(config, topic, deserializerOfTopic.apply(topic), keyFilter, timeout);
    }

    private static PublishedIndex read(Map<String, Object> config, String topic,
            Deserializer<? extends SpecificRecord> deserializer, Predicate<String> keyFilter, Duration timeout) {
        Objects.requireNonNull(deserializer, () -> "no value deserializer for topic " + topic);
        long startNanos = System.nanoTime();
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Long> fingerprints = new HashMap<>();
        long records = 0;
        long undecodable = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                LOG.info("Topic {} does not exist yet: nothing published before", topic);
                return new PublishedIndex(fingerprints);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);
            while (!reachedEnd(consumer, endOffsets, timeout)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException("reading " + topic + " to its end took longer than " + timeout
                            + " (" + records + " records read)");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    String key = record.key();
                    if (key == null || !keyFilter.test(key)) {
                        continue;
                    }
                    if (record.value() == null) {
                        fingerprints.remove(key); // tombstone: retracted
                        continue;
                    }
                    try {
                        SpecificRecord value = deserializer.deserialize(record.topic(), record.headers(), record.value());
                        fingerprints.put(key, Fingerprints.of(value));
                    } catch (RuntimeException e) {
                        // A record this build cannot read must not stop imports; not indexing it means it is re-sent.
                        undecodable++;
                        fingerprints.remove(key);
                        LOG.warn("Cannot decode {}-{}@{} (key {}): {}", record.topic(), record.partition(), record.offset(),
                                key, e.getMessage());
                    }
                }
            }
        }
        LOG.info("Indexed {}: {} records read, {} keys kept, {} undecodable, in {} ms", topic, records,
                fingerprints.size(), undecodable, (System.nanoTime() - startNanos) / 1_000_000);
        return new PublishedIndex(fingerprints);
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> endOffsets,
            Duration timeout) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey(), timeout) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
