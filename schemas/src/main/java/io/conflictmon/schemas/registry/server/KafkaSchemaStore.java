package io.conflictmon.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.CompatibilityLevel;
import io.conflictmon.security.KafkaClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry storage on a compacted single-partition Kafka topic (default {@value Topics#SCHEMAS}), in a
 * Confluent-like JSON layout: key {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}} with value
 * {@code {"subject","version","magic","id","schema","deleted"}}, and key {@code {"keytype":"CONFIG",
 * "subject":..|null,"magic":0}} with value {@code {"compatibilityLevel":..}}; a null value removes.
 * A background consumer applies every record in offset order (so all instances build the same state); a
 * write is produced synchronously with acks=all and returns once that consumer has applied it. Good for
 * one writer and any number of readers: two instances writing at the same moment could pick the same id.
 */
public final class KafkaSchemaStore implements SchemaStore {
    private static final Logger log = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final Map<String, ?> clientProperties;
    private final String topic;
    private final TopicPartition partition;
    private final Duration timeout;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Object progress = new Object();
    private long appliedPosition; // guarded by progress: next offset the reader will apply
    private RuntimeException readerFailure; // guarded by progress
    private volatile boolean running;
    private boolean closed;
    private Thread reader;

    public KafkaSchemaStore(String bootstrapServers) {
        this(bootstrapServers, Topics.SCHEMAS, Map.of(), Duration.ofSeconds(30));
    }

    /**
     * @param clientProperties extra Kafka client settings for admin, producer and consumer (TLS, SASL, ...)
     * @param timeout          how long a write or catch-up may take before it fails
     */
    public KafkaSchemaStore(String bootstrapServers, String topic, Map<String, ?> clientProperties, Duration timeout) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = new TopicPartition(topic, 0);
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = Objects.requireNonNull(timeout, "timeout");

        Map<String, Object> common = new HashMap<>(clientProperties);
        common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);

        Map<String, Object> adminProps = new HashMap<>(common);
        adminProps.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "conflictmon-registry-admin");
        this.admin = Admin.create(adminProps);

        Map<String, Object> producerProps = new HashMap<>(common);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerProps.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "conflictmon-registry-producer");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

        Map<String, Object> consumerProps = new HashMap<>(common);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumerProps.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "conflictmon-registry-reader");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partition, no group

        KafkaProducer<byte[], byte[]> createdProducer = null;
        try {
            createdProducer = new KafkaProducer<>(producerProps);
            this.consumer = new KafkaConsumer<>(consumerProps);
        } catch (RuntimeException e) {
            if (createdProducer != null) {
                createdProducer.close(Duration.ZERO);
            }
            admin.close(Duration.ZERO);
            throw e;
        }
        this.producer = createdProducer;
    }

    @Override
    public void start(Consumer<StoreRecord> applier) {
        Objects.requireNonNull(applier, "applier");
        ensureTopic();
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        running = true;
        reader = new Thread(() -> readLoop(applier), "schema-store-reader-" + topic);
        reader.setDaemon(true);
        reader.start();
        catchUp();
    }

    /** A topic just created may be unknown to the broker answering for a moment (metadata propagation). */
    private TopicDescription describeWhenKnown() throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private void ensureTopic() {
        try {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            short replication = (short) Math.max(1, Math.min(3, brokers));
            NewTopic newTopic = new NewTopic(topic, 1, replication)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("Created schema topic {} (1 partition, compacted, replication {})", topic, replication);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription description = describeWhenKnown();
            if (description.partitions().size() != 1) {
                throw new IllegalStateException("schema topic " + topic + " has " + description.partitions().size()
                        + " partitions; it needs exactly 1 to keep registrations in order");
            }
        } catch (ExecutionException e) {
            String login = KafkaClientSecurity.explainAuthenticationFailure(clientProperties, e).orElse(null);
            if (login != null) {
                throw new IllegalStateException("the schema registry cannot use Kafka at " + bootstrapServers + ": "
                        + login, e.getCause());
            }
            throw new IllegalStateException("cannot create or describe schema topic " + topic + " at " + bootstrapServers
                    + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within " + timeout
                    + " while preparing schema topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing schema topic " + topic, e);
        }
    }

    private void readLoop(Consumer<StoreRecord> applier) {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    try {
                        StoreRecord decoded = decode(record.key(), record.value());
                        if (decoded != null) {
                            applier.accept(decoded);
                        }
                    } catch (RuntimeException e) {
                        log.error("Skipping unreadable record at {}@{}: {}", partition, record.offset(), e.toString());
                    }
                }
                long position = consumer.position(partition);
                synchronized (progress) {
                    appliedPosition = position;
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("Schema store reader on {} stopped", topic, e);
            synchronized (progress) {
                readerFailure = e;
                progress.notifyAll();
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    @Override
    public void catchUp() {
        long end;
        try {
            end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offset of " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not give the end offset of " + topic
                    + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offset of " + topic, e);
        }
        awaitApplied(end);
    }

    @Override
    public void write(StoreRecord record) {
        byte[][] keyValue = encode(record);
        RecordMetadata metadata;
        try {
            metadata = producer.send(new ProducerRecord<>(topic, 0, keyValue[0], keyValue[1]))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the write to " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not acknowledge the write to " + topic
                    + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        }
        awaitApplied(metadata.offset() + 1);
    }

    private void awaitApplied(long position) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (appliedPosition < position) {
                if (readerFailure != null) {
                    throw new IllegalStateException("schema store reader on " + topic + " failed: " + readerFailure, readerFailure);
                }
                if (!running) {
                    throw new IllegalStateException("schema store on " + topic + " is closed");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("schema store reader did not reach offset " + position + " of " + topic
                            + " within " + timeout + " (at " + appliedPosition + ")");
                }
                try {
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the schema store reader", e);
                }
            }
        }
    }

    @Override
    public String description() {
        return "kafka topic " + topic + " at " + bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        synchronized (progress) {
            progress.notifyAll();
        }
        if (reader != null) {
            consumer.wakeup();
            try {
                reader.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    // --- record layout ---

    static byte[][] encode(StoreRecord record) {
        ObjectNode key = JSON.createObjectNode();
        ObjectNode value = null;
        if (record instanceof StoreRecord.SchemaVersion v) {
            schemaKey(key, v.subject(), v.version());
            value = JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("magic", 1)
                    .put("id", v.id()).put("schema", v.schema()).put("deleted", v.deleted());
        } else if (record instanceof StoreRecord.SchemaVersionRemoved r) {
            schemaKey(key, r.subject(), r.version());
        } else if (record instanceof StoreRecord.Config c) {
            key.put("keytype", "CONFIG");
            if (c.subject() == null) {
                key.putNull("subject");
            } else {
                key.put("subject", c.subject());
            }
            key.put("magic", 0);
            if (c.level() != null) {
                value = JSON.createObjectNode().put("compatibilityLevel", c.level().name());
            }
        }
        try {
            return new byte[][] {JSON.writeValueAsBytes(key), value == null ? null : JSON.writeValueAsBytes(value)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void schemaKey(ObjectNode key, String subject, int version) {
        key.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
    }

    /** The record, or null for key types this registry does not use (Confluent's NOOP, MODE, ...). */
    static StoreRecord decode(byte[] keyBytes, byte[] valueBytes) {
        try {
            JsonNode key = JSON.readTree(keyBytes);
            String keyType = key.path("keytype").asText();
            JsonNode subjectNode = key.get("subject");
            String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
            switch (keyType) {
                case "SCHEMA" -> {
                    int version = key.path("version").asInt();
                    if (valueBytes == null) {
                        return new StoreRecord.SchemaVersionRemoved(subject, version);
                    }
                    JsonNode value = JSON.readTree(valueBytes);
                    return new StoreRecord.SchemaVersion(value.path("subject").asText(subject), value.path("version").asInt(version),
                            value.path("id").asInt(), value.path("schema").asText(), value.path("deleted").asBoolean(false));
                }
                case "CONFIG" -> {
                    if (valueBytes == null) {
                        return new StoreRecord.Config(subject, null);
                    }
                    JsonNode value = JSON.readTree(valueBytes);
                    return new StoreRecord.Config(subject, CompatibilityLevel.parse(value.path("compatibilityLevel").asText()));
                }
                default -> {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("record is not JSON", e);
        }
    }
}
