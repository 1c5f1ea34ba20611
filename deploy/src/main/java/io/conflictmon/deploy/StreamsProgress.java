package io.conflictmon.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import java.util.concurrent.Callable;

/** Waits on a streams application: for a state, and until it has committed every input record. */
public final class StreamsProgress {
    private StreamsProgress() {}

    static void awaitState(KafkaStreams streams, KafkaStreams.State state, Duration timeout) {
        poll("Kafka Streams to reach " + state, timeout, () -> {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped: " + streams.state());
            }
            return streams.state() == state;
        });
    }

    /**
     * Waits until the application has processed everything produced so far to the topics its topology reads
     * (inputs and its own repartition topics) and committed it; with exactly-once, the results are then
     * visible in its stores.
     */
    public static void awaitCaughtUp(String bootstrapServers, String applicationId, Topology topology, Duration timeout) {
        Set<String> sources = sourceTopics(applicationId, topology);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            poll("streams application " + applicationId + " to catch up on " + sources, timeout,
                    () -> caughtUp(admin, applicationId, sources));
        }
    }

    /** Every topic the topology reads; repartition topics carry the application id as prefix. */
    static Set<String> sourceTopics(String applicationId, Topology topology) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().forEach(t -> topics.add(t.endsWith("-repartition") ? applicationId + "-" + t : t));
                }
            }
        }
        return topics;
    }

    static boolean caughtUp(Admin admin, String applicationId, Set<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(
                p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            long position = offset == null ? 0 : offset.offset();
            // Streams writes its repartition topics in transactions: the commit marker after the last record
            // takes an offset no consumer position has to pass, so one offset of lag there is none.
            long allowed = end.getKey().topic().startsWith(applicationId + "-") ? 1 : 0;
            if (end.getValue().offset() - position > allowed) {
                return false;
            }
        }
        return true;
    }

    private static void poll(String what, Duration timeout, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!condition.call()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
                }
                Thread.sleep(50);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("while waiting for " + what + ": " + e.getMessage(), e);
        }
    }
}
