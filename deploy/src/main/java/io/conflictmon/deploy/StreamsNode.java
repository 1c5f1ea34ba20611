package io.conflictmon.deploy;

import io.conflictmon.ingest.http.Readiness;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.dashboard.Dashboard;
import io.conflictmon.streams.query.OpenApiRoute;
import io.conflictmon.streams.query.QueryApi;
import io.conflictmon.streams.query.QueryLocator;
import io.conflictmon.streams.query.StreamEvents;
import io.conflictmon.streams.query.StreamsReadiness;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One streams instance with everything it serves: the topology ({@link StreamsService}), the query API across
 * instances, the live stream, the dashboard and the API documents. The demo and {@code conflictmon streams} both
 * run one; they differ only in the settings and in the HTTP server that hosts {@link #registerRoutes}.
 */
final class StreamsNode implements AutoCloseable {
    /** Records a store copy may lag behind and still count as ready. */
    static final long STANDBY_LAG = 1_000;

    /**
     * @param applicationServer host:port other instances reach this one's HTTP API at; null when alone
     * @param kafka             further Kafka client properties (security) for every client of this node
     */
    record Settings(String applicationId, String bootstrapServers, String stateDir, String applicationServer,
            int replicationFactor, int standbyReplicas, Duration waveGap, Map<String, Object> kafka) {
        Settings {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(waveGap, "waveGap");
            kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        }

        /** One instance on a single broker: no peers, no standbys, the default wave gap. */
        static Settings single(String applicationId, String bootstrapServers, String stateDir) {
            return new Settings(applicationId, bootstrapServers, stateDir, null, 1, 0,
                    TopologySettings.DEFAULT_WAVE_GAP, Map.of());
        }
    }

    private final Settings settings;
    private final StreamsService streams;
    private final StreamEvents events;
    private final QueryApi queries;
    private final StreamsReadiness readiness;

    private StreamsNode(Settings settings, SchemaRegistryClient registry, PrometheusMeterRegistry meters) {
        this.settings = settings;
        Map<String, Object> overrides = new HashMap<>(settings.kafka());
        overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
        StreamsSettings streamsSettings = StreamsSettings.of(settings.applicationId(), settings.bootstrapServers())
                .withReplicationFactor(settings.replicationFactor())
                .withStateDir(settings.stateDir())
                .withApplicationServer(settings.applicationServer())
                .withOverrides(overrides);
        this.streams = new StreamsService(streamsSettings,
                TopologySettings.defaults(new TopicSerdes(registry, true), meters).withWaveGap(settings.waveGap()));
        StreamEvents.Settings eventSettings = StreamEvents.Settings.of(settings.bootstrapServers(),
                Topics.WAVES, Topics.STRIKE_TOTALS, Topics.CASUALTY_TOTALS, Topics.ALERTS);
        StreamEvents started = null;
        try {
            started = StreamEvents.start(new StreamEvents.Settings(eventSettings.bootstrapServers(),
                    eventSettings.wavesTopic(), eventSettings.strikeTotalsTopic(), eventSettings.casualtyTotalsTopic(),
                    eventSettings.alertsTopic(), eventSettings.ringSize(), eventSettings.clientQueue(),
                    eventSettings.heartbeat(), settings.kafka()), new TopicSerdes(registry, false));
        } catch (RuntimeException e) {
            streams.close();
            throw e;
        }
        this.events = started;
        this.queries = QueryApi.create(streams,
                QueryLocator.Settings.defaults(settings.applicationServer()).withMaxStandbyLag(STANDBY_LAG));
        this.readiness = new StreamsReadiness(streams.kafkaStreams(), STANDBY_LAG);
    }

    /** Builds the node and starts its topology; the caller serves {@link #registerRoutes} and closes the node. */
    static StreamsNode start(Settings settings, SchemaRegistryClient registry, PrometheusMeterRegistry meters) {
        StreamsNode node = new StreamsNode(settings, registry, meters);
        node.streams.start();
        return node;
    }

    /** The GET side: queries, the live stream, the dashboard, {@code /openapi.json} and {@code /asyncapi.json}. */
    void registerRoutes(Javalin app) {
        queries.register(app);
        events.register(app);
        OpenApiRoute.register(app);
        AsyncApiRoute.register(app);
        Dashboard.register(app);
    }

    /** Ready while Kafka Streams runs and the local store copies are current. */
    Readiness readiness() {
        StreamsReadiness.Status status = readiness.get();
        return new Readiness(status.ready(), status.detail());
    }

    StreamsService streams() {
        return streams;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            events.close();
        } finally {
            streams.close();
        }
    }
}
