package io.conflictmon.streams.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/** Waits on a streams application: for a state, and until it has committed every input record. */
public final class StreamsProgress {
  private StreamsProgress() {}

  public static void awaitState(KafkaStreams streams, KafkaStreams.State state, Duration timeout) {
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
    try (CaughtUpProbe probe = new CaughtUpProbe(bootstrapServers, applicationId, topology)) {
      poll("streams application " + applicationId + " to catch up on " + probe.sources, timeout, probe::caughtUp);
    }
  }

  /**
   * Asks, as often as a caller likes, whether the application has processed and committed everything produced so far
   * to the topics its topology reads (see {@link #caughtUp}); for callers with a wait loop of their own.
   */
  public static final class CaughtUpProbe implements AutoCloseable {
    private final String applicationId;
    private final Set<String> sources;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;

    public CaughtUpProbe(String bootstrapServers, String applicationId, Topology topology) {
      this.applicationId = applicationId;
      this.sources = sourceTopics(applicationId, topology);
      this.admin = Admin.create(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
      this.reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
          ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public boolean caughtUp() throws Exception {
      return StreamsProgress.caughtUp(admin, reader, applicationId, sources);
    }

    @Override
    public void close() {
      reader.close();
      admin.close();
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

  /**
   * True when the group's committed offset of every source partition is past its last record. The application's own
   * repartition topics are written in transactions, which needs two cares: (1) a transaction's offsets are in the
   * group as soon as it commits, but its commit markers reach the repartition log a moment later, and until then the
   * last-stable offset still stops before the transaction's records (seen as "caught up" with a third of the data
   * unprocessed); so such a partition counts only when no transaction is open or unmarked there (last-stable offset =
   * log end); (2) the log then ends in commit markers, one per producer (stream thread) that wrote to it, which no
   * committed offset has to pass; so the offset to reach is the one after the last record, read from the log.
   */
  static boolean caughtUp(Admin admin, KafkaConsumer<byte[], byte[]> reader, String applicationId, Set<String> topics)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
    Map<String, TopicDescription> described;
    try {
      described = admin.describeTopics(topics).allTopicNames().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false; // the application has not created its repartition topics yet
      }
      throw e;
    }
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    described.values().forEach(d -> d.partitions().forEach(
        p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable =
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> logEnd =
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : stable.entrySet()) {
      TopicPartition partition = end.getKey();
      OffsetAndMetadata offset = committed.get(partition);
      long position = offset == null ? 0 : offset.offset();
      long target = end.getValue().offset();
      if (partition.topic().startsWith(applicationId + "-")) {
        if (target != logEnd.get(partition).offset()) {
          return false; // a transaction is open, or committed but not yet marked
        }
        if (position >= target) {
          continue;
        }
        target = afterLastRecord(reader, partition, target);
      }
      if (target > position) {
        return false;
      }
    }
    return true;
  }

  /** The offset after the last record (not commit marker) before {@code end}, read from the log's tail. */
  private static long afterLastRecord(KafkaConsumer<byte[], byte[]> reader, TopicPartition partition, long end) {
    reader.assign(List.of(partition));
    long from = Math.max(0, end - TAIL);
    reader.seek(partition, from);
    long afterLast = from;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (reader.position(partition) < end && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
        afterLast = Math.max(afterLast, record.offset() + 1);
      }
    }
    return afterLast;
  }

  /** How far back from the end the last record is looked for: past one commit marker per producer. */
  private static final int TAIL = 256;

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
