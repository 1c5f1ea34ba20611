package io.conflictmon.deploy;

import io.conflictmon.ingest.http.Readiness;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.conflictmon.streams.alerts.AlertRulesHolder;
import io.conflictmon.streams.alerts.sink.AlertSinkSettings;
import io.conflictmon.streams.alerts.sink.AlertWebhookSink;
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
import java.nio.file.Path;
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
            int replicationFactor, int standbyReplicas, Duration waveGap, Map<String, Object> kafka, Alerting alerting) {
        Settings {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(waveGap, "waveGap");
            kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
            alerting = alerting == null ? Alerting.DEFAULT : alerting;
        }

        /** One instance on a single broker: no peers, no standbys, the default wave gap and alert rules. */
        static Settings single(String applicationId, String bootstrapServers, String stateDir) {
            return new Settings(applicationId, bootstrapServers, stateDir, null, 1, 0,
                    TopologySettings.DEFAULT_WAVE_GAP, Map.of(), Alerting.DEFAULT);
        }

        Settings withAlerting(Alerting alerting) {
            return new Settings(applicationId, bootstrapServers, stateDir, applicationServer, replicationFactor,
                    standbyReplicas, waveGap, kafka, alerting);
        }
    }

    /**
     * @param rulesFile the escalation rules (YAML), reloaded when it changes; null: the bundled rules
     * @param webhooks  {@code [name=]URL} list the alerts are posted to; null or blank: none
     */
    record Alerting(Path rulesFile, String webhooks) {
        static final Alerting DEFAULT = new Alerting(null, null);

        boolean hasWebhooks() {
            return webhooks != null && !webhooks.isBlank();
        }
    }

    /** How often a rules file is checked for changes. */
    static final Duration RULES_RELOAD = Duration.ofSeconds(5);

    private final Settings settings;
    private final StreamsService streams;
    private final StreamEvents events;
    private final QueryApi queries;
    private final StreamsReadiness readiness;
    private final AlertRulesHolder alertRules;
    private final SchemaRegistryClient registry;
    private final PrometheusMeterRegistry meters;
    private AlertWebhookSink alertSink;

    private StreamsNode(Settings settings, SchemaRegistryClient registry, PrometheusMeterRegistry meters) {
        this.settings = settings;
        this.registry = registry;
        this.meters = meters;
        // A bad rules file stops the start here, with the loader's message naming the rule and field.
        this.alertRules = settings.alerting().rulesFile() == null ? AlertRulesHolder.defaults()
                : AlertRulesHolder.fromFile(settings.alerting().rulesFile()).watch(RULES_RELOAD);
        Map<String, Object> overrides = new HashMap<>(settings.kafka());
        overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
        StreamsSettings streamsSettings = StreamsSettings.of(settings.applicationId(), settings.bootstrapServers())
                .withReplicationFactor(settings.replicationFactor())
                .withStateDir(settings.stateDir())
                .withApplicationServer(settings.applicationServer())
                .withOverrides(overrides);
        this.streams = new StreamsService(streamsSettings,
                TopologySettings.defaults(new TopicSerdes(registry, true), meters).withWaveGap(settings.waveGap())
                        .withAlertRules(alertRules));
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
            alertRules.close();
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
        if (settings.alerting().hasWebhooks()) {
            // The sink reads the alerts topic with its own consumers: a dead webhook never holds back the topology.
            node.alertSink = AlertWebhookSink.start(AlertSinkSettings.fromUrls(settings.bootstrapServers(),
                    settings.alerting().webhooks()).withConsumerProps(settings.kafka()), new TopicSerdes(registry, false), meters);
        }
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
            if (alertSink != null) {
                alertSink.close();
            }
            events.close();
        } finally {
            try {
                streams.close();
            } finally {
                alertRules.close();
            }
        }
    }
}
