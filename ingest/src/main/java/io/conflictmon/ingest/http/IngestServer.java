package io.conflictmon.ingest.http;

import io.conflictmon.security.HttpSecurity;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone ingest service of {@code conflictmon ingest}: one Javalin server with {@link IngestApi}'s routes and
 * {@link OperationsRoutes} (health and Prometheus metrics, with the JVM binders), errors in the DESIGN.md shape also
 * for unknown paths (404) and wrong methods (405).
 *
 * <pre>{@code
 * try (IngestServer server = IngestServer.start(IngestConfig.builder().bootstrapServers(...).build())) {
 *     server.url(); // http://127.0.0.1:8080
 * }
 * }</pre>
 */
public final class IngestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);
    /** Pause between start-up checks of Kafka after a failed one (each check itself waits up to 2 s). */
    static final Duration KAFKA_STARTUP_RETRY = Duration.ofSeconds(2);

    private final IngestApi api;
    private final Javalin app;
    private final PrometheusMeterRegistry meters;
    private final AutoCloseable jvmMetrics;
    private final KafkaStartupWatch kafkaStartup;

    private IngestServer(IngestApi api, Javalin app, PrometheusMeterRegistry meters, AutoCloseable jvmMetrics,
            KafkaStartupWatch kafkaStartup) {
        this.api = api;
        this.app = app;
        this.meters = meters;
        this.jvmMetrics = jvmMetrics;
        this.kafkaStartup = kafkaStartup;
    }

    /** Starts on {@code config.host():config.port()} with a meter registry of its own. */
    public static IngestServer start(IngestConfig config) {
        return start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Starts on {@code config.host():config.port()}, registering its meters (JVM binders included) on {@code meters}. */
    public static IngestServer start(IngestConfig config, PrometheusMeterRegistry meters) {
        return start(config, meters, app -> { }, () -> new Readiness(true, "no other services"));
    }

    /**
     * As {@link #start(IngestConfig, PrometheusMeterRegistry)}, on a server that also hosts other services (the demo
     * serves the streams query API beside ingest): {@code moreRoutes} adds their routes, and {@code /health/ready}
     * is ready only when ingest and {@code moreReadiness} both are.
     */
    public static IngestServer start(IngestConfig config, PrometheusMeterRegistry meters, Consumer<Javalin> moreRoutes,
            Supplier<Readiness> moreReadiness) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(meters, "meters");
        IngestApi api = IngestApi.create(config, meters);
        AutoCloseable jvmMetrics = null;
        try {
            jvmMetrics = IngestMetrics.bindJvmMetrics(meters);
            Javalin app = Javalin.create(javalin -> {
                javalin.showJavalinBanner = false;
                javalin.startupWatcherEnabled = false;
                javalin.http.prefer405over404 = true;
                HttpSecurity.configure(javalin);
            });
            // First: headers on every answer, tokens and rate limits in front of every route (this API's and moreRoutes').
            HttpSecurity.install(app, config.accessTokens(), config.rateLimit());
            api.register(app);
            moreRoutes.accept(app);
            OperationsRoutes.register(app, meters, () -> {
                Readiness ingest = api.readiness();
                Readiness others = moreReadiness.get();
                return new Readiness(ingest.ready() && others.ready(), ingest.detail() + "; " + others.detail());
            });
            app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            app.error(404, ctx -> {
                if (!isJson(ctx)) {
                    error(ctx, 404, "no route " + ctx.method() + " " + ctx.path());
                }
            });
            app.start(config.host(), config.port());
            IngestServer server = new IngestServer(api, app, meters, jvmMetrics,
                    KafkaStartupWatch.start(api::readiness, config.bootstrapServers(), KAFKA_STARTUP_RETRY));
            LOG.info("HTTP ingest listening at {} (auth {})", server.url(), config.authEnabled() ? "on" : "off");
            return server;
        } catch (RuntimeException e) {
            closeQuietly(jvmMetrics);
            api.close();
            throw new IllegalStateException("cannot start the HTTP ingest server on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return app.port();
    }

    /** {@code http://127.0.0.1:PORT} when bound to every interface, else the bound host. */
    public String url() {
        String host = api.config().host();
        String urlHost = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + port();
    }

    /** Whether the start-up watch still waits for Kafka to take reports (see {@link KafkaStartupWatch}). */
    boolean waitingForKafka() {
        return kafkaStartup.waiting();
    }

    public IngestApi api() {
        return api;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Stops taking requests, then flushes and closes the producer. */
    @Override
    public void close() {
        kafkaStartup.close();
        try {
            app.stop();
        } finally {
            try {
                api.close();
            } finally {
                closeQuietly(jvmMetrics);
            }
        }
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(IngestApi.JSON_CONTENT_TYPE);
    }

    private static void error(Context ctx, int status, String message) {
        String code = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> ApiError.BODY_TOO_LARGE;
            default -> status >= 500 ? ApiError.INTERNAL : "bad-request";
        };
        ctx.status(status).json(new ApiError.Body(code, message, List.of()));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed", closeable.getClass().getSimpleName(), e);
        }
    }
}
