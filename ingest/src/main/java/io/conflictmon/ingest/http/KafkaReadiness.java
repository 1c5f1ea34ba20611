package io.conflictmon.ingest.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Readiness of the ingest service: the cluster answers and every topic it writes to exists with a leader on every
 * partition, i.e. a send could succeed now. Asked of the cluster with an {@link Admin} client, not read from the
 * producer's cached metadata, which stays "fine" while the broker is gone. A result is reused for a second so that
 * frequent probes do not load the cluster. Thread-safe.
 */
final class KafkaReadiness implements AutoCloseable {
    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Admin admin;
    private final List<String> topics;
    private final Duration timeout;
    private Readiness last;
    private long lastCheckedNanos;

    KafkaReadiness(Map<String, Object> adminConfig, List<String> topics, Duration timeout) {
        this.admin = Admin.create(adminConfig);
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    synchronized Readiness check() {
        long now = System.nanoTime();
        if (last != null && now - lastCheckedNanos < REUSE_NANOS) {
            return last;
        }
        last = describe();
        lastCheckedNanos = System.nanoTime();
        return last;
    }

    private Readiness describe() {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics,
                            new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .allTopicNames().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            for (TopicDescription topic : described.values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.leader() == null || partition.leader().isEmpty()) {
                        return Readiness.notReady("Kafka: partition " + topic.name() + "-" + partition.partition()
                                + " has no leader");
                    }
                }
            }
            return Readiness.ready("Kafka: topics " + topics + " available");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin client's "Timed out waiting for a node assignment" means: no broker answers
                return Readiness.notReady("Kafka: no broker answered within " + timeout.toMillis() + " ms");
            }
            return Readiness.notReady("Kafka: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            return Readiness.notReady("Kafka: no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.notReady("interrupted");
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
