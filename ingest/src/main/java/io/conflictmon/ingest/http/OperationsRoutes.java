package io.conflictmon.ingest.http;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /health/live}, {@code GET /health/ready} and {@code GET /metrics} (Prometheus text format). Separate from
 * {@link IngestApi} so that a server hosting several services registers them once, with a readiness that combines
 * theirs.
 */
public final class OperationsRoutes {
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String METRICS_PATH = "/metrics";
    /** Prometheus text exposition format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private OperationsRoutes() {
    }

    public static void register(Javalin app, PrometheusMeterRegistry meters, Supplier<Readiness> readiness) {
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(readiness, "readiness");
        app.get(LIVE_PATH, ctx -> ctx.json(Map.of("status", "UP")));
        app.get(READY_PATH, ctx -> {
            Readiness now = readiness.get();
            if (now.ready()) {
                ctx.json(Map.of("status", "UP", "detail", now.detail()));
            } else {
                ctx.status(503).json(new ApiError.Body("not-ready", now.detail(), List.of()));
            }
        });
        app.get(METRICS_PATH, ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(meters.scrape()));
    }

    /** Binds the JVM meters (memory, GC, threads, CPU, uptime) for {@code /metrics}; close the result to unbind GC. */
    public static AutoCloseable bindJvmMetrics(PrometheusMeterRegistry meters) {
        return IngestMetrics.bindJvmMetrics(meters);
    }
}
