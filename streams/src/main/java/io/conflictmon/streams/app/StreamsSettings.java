package io.conflictmon.streams.app;

import io.conflictmon.streams.errors.DeadLetterDeserializationHandler;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
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
  /** Small enough that a change is queryable and published within the 200 ms the API promises. */
  public static final long COMMIT_INTERVAL_MS = 100;

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
    return new StreamsSettings(applicationId, bootstrapServers, 1, 1, null, null, Map.of());
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
    // Processors write and forward explicitly; a record cache would only delay what queries see.
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
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
