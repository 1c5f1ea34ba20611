package io.conflictmon.deploy;

import io.conflictmon.ingest.http.OperationsRoutes;
import io.conflictmon.security.AccessTokens;
import io.conflictmon.security.HttpSecurity;
import io.conflictmon.security.RateLimit;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The HTTP server of {@code conflictmon streams}: the node's GET routes, {@code /health/live}, {@code /health/ready}
 * (the node's readiness) and {@code /metrics}. The demo hosts the same routes on the ingest server instead.
 */
final class StreamsHttpServer implements AutoCloseable {
    private final Javalin app;
    private final AutoCloseable jvmMetrics;

    private StreamsHttpServer(Javalin app, AutoCloseable jvmMetrics) {
        this.app = app;
        this.jvmMetrics = jvmMetrics;
    }

    /** Security headers on every response and, when {@code tokens} has read tokens, token access to the GET API. */
    static StreamsHttpServer start(String host, int port, StreamsNode node, PrometheusMeterRegistry meters,
            AccessTokens tokens, RateLimit rateLimit) {
        AutoCloseable jvmMetrics = OperationsRoutes.bindJvmMetrics(meters);
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            javalin.http.prefer405over404 = true;
            HttpSecurity.configure(javalin);
        });
        HttpSecurity.install(app, tokens, rateLimit);
        node.registerRoutes(app);
        OperationsRoutes.register(app, meters, node::readiness);
        app.error(404, ctx -> {
            if (ctx.res().getContentType() == null || !ctx.res().getContentType().startsWith("application/json")) {
                ctx.json(Map.of("error", "not-found", "message", "no route " + ctx.method() + " " + ctx.path()));
            }
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            closeQuietly(jvmMetrics);
            throw new IllegalStateException("cannot start the HTTP server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new StreamsHttpServer(app, jvmMetrics);
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            closeQuietly(jvmMetrics);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(StreamsHttpServer.class).debug("closing JVM metrics failed", e);
        }
    }
}
