package io.conflictmon.streams.app;

import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.casualties.CasualtyStores;
import io.conflictmon.streams.reports.StrikeReportStores;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.streams.waves.WaveStores;
import io.conflictmon.security.KafkaClientSecurity;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the conflict topology: builds the {@link KafkaStreams} client from the settings, starts it,
 * exposes its state and its stores for local interactive queries, and closes it cleanly. Kafka
 * Streams' own client metrics are bound to the same Micrometer registry as the topology's.
 */
public final class StreamsService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Topology topology;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics clientMetrics;

  public StreamsService(StreamsSettings streamsSettings, TopologySettings topologySettings) {
    Objects.requireNonNull(streamsSettings, "streamsSettings");
    Objects.requireNonNull(topologySettings, "topologySettings");
    this.topology = ConflictTopology.buildTopology(topologySettings);
    this.streams = new KafkaStreams(topology, streamsSettings.streamsConfig(topologySettings));
    Properties config = streamsSettings.streamsConfig(topologySettings);
    this.streams.setUncaughtExceptionHandler(exception -> {
      // A refused login or TLS handshake does not heal by retrying: say so once and stop, rather than
      // replacing threads that fail the same way in a loop.
      Optional<String> login = KafkaClientSecurity.explainAuthenticationFailure(configMap(config), exception);
      if (login.isPresent()) {
        LOG.error("Kafka Streams stops: {}", login.get());
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
      // A transient failure (registry down, broker fenced) kills one thread; a new one resumes from
      // the last committed offsets, which exactly-once makes safe.
      LOG.error("Stream thread failed; replacing it", exception);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    this.streams.setStateListener((newState, oldState) -> LOG.info("Kafka Streams {} -> {}", oldState, newState));
    this.clientMetrics = new KafkaStreamsMetrics(streams);
    this.clientMetrics.bindTo(topologySettings.metrics().registry());
  }

  private static Map<String, Object> configMap(Properties config) {
    Map<String, Object> map = new HashMap<>();
    config.forEach((key, value) -> map.put(String.valueOf(key), value));
    return map;
  }

  public void start() {
    LOG.info("Starting Kafka Streams ({} sub-topologies)", topology.describe().subtopologies().size());
    LOG.debug("Topology:\n{}", topology.describe());
    streams.start();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** True while the client processes (RUNNING); what a readiness probe asks. */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  public Topology topology() {
    return topology;
  }

  /** The underlying client, for metadata lookups ({@code queryMetadataForKey}) across instances. */
  public KafkaStreams kafkaStreams() {
    return streams;
  }

  /** A local store by name; throws {@code InvalidStateStoreException} while it is not queryable (rebalancing). */
  public <T> T store(String name, QueryableStoreType<T> type) {
    return streams.store(StoreQueryParameters.fromNameAndType(name, type));
  }

  /** Waves keyed by start epoch millis; see {@link WaveStores} for lookups by id and time. */
  public ReadOnlyKeyValueStore<Long, WaveSummary> waves() {
    return store(WaveStores.WAVES, QueryableStoreTypes.keyValueStore());
  }

  public ReadOnlyKeyValueStore<String, StrikeTotals> strikeTotals() {
    return store(StrikeTotalsStores.TOTALS, QueryableStoreTypes.keyValueStore());
  }

  public ReadOnlyKeyValueStore<String, CasualtyTotals> casualtyTotals() {
    return store(CasualtyStores.TOTALS, QueryableStoreTypes.keyValueStore());
  }

  public ReadOnlyKeyValueStore<String, StrikeReport> strikeReports() {
    return store(StrikeReportStores.REPORTS, QueryableStoreTypes.keyValueStore());
  }

  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }

  public void close(Duration timeout) {
    // Leave the group on a clean close: otherwise the next start of this instance waits out the old
    // member's session (45 s) before it gets its tasks back.
    boolean closed = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(timeout));
    clientMetrics.close();
    if (!closed) {
      LOG.warn("Kafka Streams did not close within {}", timeout);
    }
  }
}
