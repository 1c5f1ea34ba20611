package io.conflictmon.deploy;

import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.security.AccessTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code conflictmon streams}: one instance of the streams application on a real cluster, with its query API, live
 * stream, dashboard, health and metrics on one HTTP port. Run several with the same {@code --application-id} and
 * distinct {@code --advertised-url}s; any of them answers any query.
 */
@Command(name = "streams", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run the streams application (waves, totals, casualty year-on-year) with its query API, "
                + "live stream (/v1/stream), dashboard (/), /health/* and /metrics.")
final class StreamsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    ConfigOption config = new ConfigOption();

    @Mixin
    AccessOptions access = new AccessOptions();

    @Mixin
    AlertOptions alerts = new AlertOptions();

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = "conflictmon-streams",
            description = "Kafka Streams application id: instances with the same id share the work.")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "conflictmon-state",
            description = "Where RocksDB keeps the state stores; keep it on a persistent volume for fast restarts.")
    Path stateDir;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0", description = "Address the HTTP server listens on.")
    String host;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP port of the query API, dashboard, health and metrics.")
    int httpPort;

    @Option(names = "--advertised-url", paramLabel = "HOST:PORT",
            description = "Where other instances reach this one's HTTP API (application.server), e.g. "
                    + "streams-0.streams:8080; needed when more than one instance runs. Default: none (single instance).")
    String advertisedUrl;

    @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "0",
            description = "Warm copies of each store on other instances, to answer queries and fail over quickly.")
    int standbyReplicas;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "3",
            description = "Replication factor of the internal topics (changelogs, repartition topics).")
    int replicationFactor;

    @Option(names = "--wave-gap", paramLabel = "DURATION", defaultValue = "3h", converter = DurationConverter.class,
            description = "Reports at most this far apart belong to one wave (e.g. 3h, 90m, PT3H).")
    Duration waveGap;

    @Override
    public Integer call() throws InterruptedException {
        ShutdownSignal shutdown = ShutdownSignal.install();
        long t0 = System.nanoTime();
        StreamsNode.Settings settings = new StreamsNode.Settings(applicationId, cluster.bootstrapServers,
                stateDir.toString(), applicationServer(advertisedUrl), replicationFactor, standbyReplicas, waveGap,
                config.kafkaProperties(), alerts.alerting());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(cluster.registryUrl);
                StreamsNode node = StreamsNode.start(settings, registry, meters);
                StreamsHttpServer http = StreamsHttpServer.start(host, httpPort, node, meters,
                        AccessTokens.parse(access.tokenSpecs()), access.rateLimit())) {
            System.out.printf("conflictmon streams started in %d ms: application %s on %s, HTTP on port %d"
                            + " (advertised as %s); /health/ready turns 200 once the stores are current%n",
                    (System.nanoTime() - t0) / 1_000_000, applicationId, cluster.bootstrapServers, http.port(),
                    settings.applicationServer() == null ? "none: single instance" : settings.applicationServer());
            shutdown.awaitStopRequest();
        } finally {
            shutdown.finished();
        }
        return 0;
    }

    /** {@code application.server} wants host:port; an URL with a scheme is accepted and stripped. */
    static String applicationServer(String advertised) {
        if (advertised == null || advertised.isBlank()) {
            return null;
        }
        String hostPort = advertised.replaceFirst("^[a-zA-Z]+://", "").replaceFirst("/.*$", "");
        if (!hostPort.matches(".+:\\d{1,5}")) {
            throw new CommandLine.TypeConversionException("--advertised-url must be HOST:PORT, got '" + advertised + "'");
        }
        return hostPort;
    }

    /** Durations as 3h, 90m, 45s, 500ms or ISO-8601 (PT3H). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(value.trim());
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (3h, 90m, 45s, PT3H)");
            }
        }
    }
}
