package io.conflictmon.streams.app;

import io.conflictmon.streams.errors.DeadLetterDeserializationHandler;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams client configuration, kept apart from the topology (as in Confluent's
 * kafka-streams-examples) so tests can run the same topology in a TopologyTestDriver.
 *
 * @param replicationFactor of the internal topics (changelogs, repartition); 1 on a single broker
 * @param stateDir          where RocksDB keeps state; null for the Kafka Streams default
 * @param applicationServer host:port of this instance's query API for interactive queries; null when alone
 * @param overrides         any further StreamsConfig properties, applied last
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    int replicationFactor,
    int numStreamThreads,
    String stateDir,
    String applicationServer,
    Map<String, Object> overrides) {

  public static final String DEFAULT_APPLICATION_ID = "conflictmon-streams";
  /**
   * How often a stream thread commits its transaction. A change is queryable as soon as the aggregating task has
   * processed it, but it only reaches that task once the screening task's transaction into the repartition topic has
   * committed (read_committed), so this bounds the ingest-to-query latency (the API promises 200 ms); downstream
   * consumers of the output topics wait for a second commit.
   */
  public static final long COMMIT_INTERVAL_MS = 100;
  /**
   * How long a stream thread waits in {@code poll} for new input (Kafka Streams' default: 100 ms). A thread commits
   * only between polls, so with the default a thread that had just processed a POST's reports and found nothing more
   * sat in {@code poll} for up to 100 ms past its commit interval, and the reports waited with it. QueryBench, ingest to
   * queryable at 200 reports/s, p50 / p99: 131 / 230 and 145 / 249 ms with 100; 97 / 152, 100 / 140 and 109 / 164 with
   * 10; 110 / 147 with 25. Each wake-up of an idle thread costs CPU: the idle demo took 66-74 ms of CPU a second with
   * 100, 127-147 with 10 and 88-89 with 25. StreamsBench's bulk rate did not change beyond its noise (a busy thread finds
   * records waiting). Lowering the commit interval to 50 ms as well halved the p50 at low rates but cost 10 % of the
   * bulk rate and put the p99 at 1,000/s over 700 ms: twice the transactions on two cores.
   */
  public static final long POLL_MS = 25;
  /**
   * The record cache of all stores of a client (split among its threads). Interactive queries read through it, so it
   * delays nothing a query sees; it folds the repeated updates of a hot key (a day's, month's and year's totals) within
   * one commit interval into one changelog record, flushed at commit. All stores of a year of reports take a few MB.
   */
  public static final long STATESTORE_CACHE_MAX_BYTES = 32L * 1024 * 1024;
  /**
   * Linger of the transactional producer. Kafka Streams defaults it to 100 ms, as long as the commit interval, so a
   * batch waited for the commit's flush and every commit waited for all of its sends; a short linger sends while the
   * thread processes and leaves the flush little to wait for.
   */
  public static final long PRODUCER_LINGER_MS = 5;
  /** Room for a commit interval's changelog and output records of a busy partition in a few batches. */
  public static final int PRODUCER_BATCH_SIZE = 256 * 1024;
  /**
   * One produce request in flight. With transactions v2 the broker adds a partition to the transaction when its first
   * batch arrives; a second batch sent before that is done is refused (OUT_OF_ORDER_SEQUENCE_NUMBER, "expected sequence
   * 0 ... with no existing state") and retried after the retry backoff, which the commit's flush then waits for.
   * The short linger made that frequent (dozens per run in StreamsBench); with one request in flight per broker (each
   * request carries the ready batches of every partition that broker leads) StreamsBench saw none.
   */
  public static final int PRODUCER_MAX_IN_FLIGHT = 1;
  /**
   * First retry of a refused send after 10 ms instead of 100 (it still backs off exponentially up to 1 s). Under
   * transactions v2 the first send of a new transaction to a partition is refused with CONCURRENT_TRANSACTIONS while
   * the broker still writes the previous transaction's commit markers, which takes a few ms; waiting 100 ms for the
   * retry put most of a commit interval between a record and its commit (QueryBench saw over a hundred a run).
   */
  public static final long PRODUCER_RETRY_BACKOFF_MS = 10;
  /**
   * Two stream threads: the screening tasks (one per input partition) and the aggregating task behind the
   * repartition topic run side by side, each thread with its own transactions, so the aggregation does not stop while
   * the screening commits and the other way round. StreamsBench: +25-30 % records/s over one thread on 2 cores.
   */
  public static final int DEFAULT_STREAM_THREADS = 2;

  public StreamsSettings {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be >= 1, got " + replicationFactor);
    }
    if (numStreamThreads < 1) {
      throw new IllegalArgumentException("stream threads must be >= 1, got " + numStreamThreads);
    }
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
  }

  public static StreamsSettings of(String applicationId, String bootstrapServers) {
    return new StreamsSettings(applicationId, bootstrapServers, 1, DEFAULT_STREAM_THREADS, null, null, Map.of());
  }

  public StreamsSettings withReplicationFactor(int factor) {
    return new StreamsSettings(applicationId, bootstrapServers, factor, numStreamThreads, stateDir, applicationServer, overrides);
  }

  public StreamsSettings withStateDir(String dir) {
    return new StreamsSettings(applicationId, bootstrapServers, replicationFactor, numStreamThreads, dir, applicationServer, overrides);
  }

  public StreamsSettings withApplicationServer(String hostPort) {
    return new StreamsSettings(applicationId, bootstrapServers, replicationFactor, numStreamThreads, stateDir, hostPort, overrides);
  }

  public StreamsSettings withNumStreamThreads(int threads) {
    return new StreamsSettings(applicationId, bootstrapServers, replicationFactor, threads, stateDir, applicationServer, overrides);
  }

  public StreamsSettings withOverrides(Map<String, Object> more) {
    return new StreamsSettings(applicationId, bootstrapServers, replicationFactor, numStreamThreads, stateDir, applicationServer, more);
  }

  /** The full StreamsConfig for running {@link ConflictTopology#buildTopology(TopologySettings)} with these topology settings. */
  public Properties streamsConfig(TopologySettings topology) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    props.put(StreamsConfig.POLL_MS_CONFIG, POLL_MS);
    // Processors forward every change explicitly (the cache does not hold back what they forward or what queries
    // read); the cache only folds changelog writes per commit.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, STATESTORE_CACHE_MAX_BYTES);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_SIZE);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION), PRODUCER_MAX_IN_FLIGHT);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), PRODUCER_RETRY_BACKOFF_MS);
    // Every task of this topology reads one partition (see ConflictTopology), so there is no order across partitions of a
    // task to wait for; with the default (0) Kafka Streams formats a log line for every empty task on every pass.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // Every processor, store and internal topic carries an explicit name; optimization would not reuse any.
    props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    // No global stores here; set so the default that Kafka 5.0 brings is already in force.
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    props.put(DeadLetterDeserializationHandler.DLQ_TOPIC_CONFIG, topology.dlqTopic());
    props.put(DeadLetterDeserializationHandler.SERIALIZER_CONFIG, topology.serdes().rejectedRecord().serializer());
    props.put(DeadLetterDeserializationHandler.METRICS_CONFIG, topology.metrics());
    if (stateDir != null) {
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    }
    if (applicationServer != null) {
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    }
    props.putAll(overrides);
    return props;
  }
}
