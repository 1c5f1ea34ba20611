package io.conflictmon.deploy;

import io.conflictmon.ingest.http.OperationsRoutes;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The HTTP server of {@code conflictmon streams}: the node's GET routes, {@code /health/live}, {@code /health/ready}
 * (the node's readiness) and {@code /metrics}. The demo hosts the same routes on the ingest server instead.
 */
final class StreamsHttpServer implements AutoCloseable {
    private final Javalin app;
    private final JvmGcMetrics gcMetrics;

    private StreamsHttpServer(Javalin app, JvmGcMetrics gcMetrics) {
        this.app = app;
        this.gcMetrics = gcMetrics;
    }

    static StreamsHttpServer start(String host, int port, StreamsNode node, PrometheusMeterRegistry meters) {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            javalin.http.prefer405over404 = true;
        });
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
            gc.close();
            throw new IllegalStateException("cannot start the HTTP server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new StreamsHttpServer(app, gc);
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            gcMetrics.close();
        }
    }
}
