package io.conflictmon.deploy;

import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.security.RateLimit;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.streams.app.StreamsService;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Everything the demo runs, in one JVM: the embedded broker and registry, the streams topology, the
 * importers, and one HTTP server with the ingest API, the query API, the live stream, health and metrics.
 * Used by {@code conflictmon demo} and by the tests that need the whole pipeline.
 */
public final class DemoStack implements AutoCloseable {
    static final String APPLICATION_ID = "conflictmon-demo";

    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private final EmbeddedStack stack;
    private final StreamsNode streamsNode;
    private final IngestWiring ingest;
    private final IngestServer http;

    private DemoStack(Path dataDir, int kafkaPort, int registryPort, int httpPort, List<String> tokens, RateLimit rateLimit,
            StreamsNode.Alerting alerting, Consumer<Javalin> moreRoutes) {
        try {
            stack = register(EmbeddedStack.start(dataDir, kafkaPort, registryPort));
            HttpSchemaRegistryClient registryClient = register(new HttpSchemaRegistryClient(stack.registryUrl()));
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // One instance: no application.server, every query is answered locally.
            streamsNode = register(StreamsNode.start(StreamsNode.Settings.single(APPLICATION_ID,
                    stack.bootstrapServers(), dataDir.resolve("streams").toString()).withAlerting(alerting), registryClient, meters));
            ingest = register(new IngestWiring(stack.bootstrapServers(), new TopicSerdes(registryClient, true)));
            StreamsProgress.awaitState(streamsNode.streams().kafkaStreams(), KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
            IngestConfig httpConfig = IngestConfig.builder().bootstrapServers(stack.bootstrapServers())
                    .schemaRegistryUrl(stack.registryUrl()).host("127.0.0.1").port(httpPort)
                    .bearerTokens(tokens).rateLimit(rateLimit).build();
            // One HTTP server for everything: ingest, queries, the live stream, health of both sides, metrics.
            http = register(IngestServer.start(httpConfig, meters, app -> {
                streamsNode.registerRoutes(app);
                moreRoutes.accept(app);
            }, streamsNode::readiness));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Starts everything on the data dir; ports 0 pick free ones. */
    public static DemoStack start(Path dataDir, int kafkaPort, int registryPort, int httpPort) {
        return new DemoStack(dataDir, kafkaPort, registryPort, httpPort, List.of(), RateLimit.DEFAULT,
                StreamsNode.Alerting.DEFAULT, app -> { });
    }

    /** As {@link #start}, with bearer tokens (specs as {@link io.conflictmon.security.AccessTokens} reads them), the rate limit and the alert rules and webhooks. */
    public static DemoStack start(Path dataDir, int kafkaPort, int registryPort, int httpPort, List<String> tokens,
            RateLimit rateLimit, StreamsNode.Alerting alerting) {
        return new DemoStack(dataDir, kafkaPort, registryPort, httpPort, tokens, rateLimit, alerting, app -> { });
    }

    /** As {@link #start}, with more routes on the HTTP server (e.g. the dashboard). */
    public static DemoStack start(Path dataDir, int kafkaPort, int registryPort, int httpPort, Consumer<Javalin> moreRoutes) {
        return new DemoStack(dataDir, kafkaPort, registryPort, httpPort, List.of(), RateLimit.DEFAULT,
                StreamsNode.Alerting.DEFAULT, moreRoutes);
    }

    private <T extends AutoCloseable> T register(T closeable) {
        closeInReverse.add(0, closeable);
        return closeable;
    }

    /** Imports a file (format recognised by its name) through the importer. */
    public ImportSummary importFile(Path file, ImportProgressListener progress) throws IOException {
        return ingest.importer.importFile(file, progress);
    }

    /** Waits until the topology has processed everything published so far. */
    public void awaitProcessed(Duration timeout) {
        StreamsProgress.awaitCaughtUp(stack.bootstrapServers(), APPLICATION_ID, streamsNode.streams().topology(), timeout);
    }

    public String httpUrl() {
        return http.url();
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    public String registryUrl() {
        return stack.registryUrl();
    }

    public StreamsService streams() {
        return streamsNode.streams();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable closeable : closeInReverse) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the demo stack failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        closeInReverse.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
