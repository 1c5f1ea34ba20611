package io.conflictmon.ingest.http;

import io.conflictmon.ingest.importer.ReportKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of the HTTP ingest API. Prometheus names:
 * <ul>
 *   <li>{@code conflictmon_ingest_reports_accepted_total{type}}: reports Kafka acknowledged;</li>
 *   <li>{@code conflictmon_ingest_reports_rejected_total{type,reason}}: reports (or whole requests, when the body
 *       could not be split into reports) refused; reason is the error code ({@code validation}, {@code malformed-json},
 *       {@code unavailable}, ...);</li>
 *   <li>{@code conflictmon_ingest_publish_seconds{type}}: from the first send of a request to its last
 *       acknowledgement, with a histogram;</li>
 *   <li>{@code conflictmon_ingest_requests_seconds{type,status}}: whole requests;</li>
 *   <li>{@code conflictmon_ingest_requests_in_flight}: requests being handled;</li>
 *   <li>{@code conflictmon_ingest_dead_letters_total{outcome}}: rejected input written to (or lost on the way to) the
 *       dead-letter topic.</li>
 * </ul>
 */
final class IngestMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("conflictmon.ingest.requests.in.flight", inFlight, AtomicInteger::get)
                .description("HTTP ingest requests being handled")
                .register(registry);
        for (ReportKind kind : ReportKind.values()) { // present from the start, so rate() has a zero to start from
            accepted(kind, 0);
        }
    }

    /** Binds the usual JVM and process binders; the returned handle unbinds the GC listener. */
    static AutoCloseable bindJvmMetrics(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    static String type(ReportKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished(ReportKind kind, int status, long nanos) {
        inFlight.decrementAndGet();
        Timer.builder("conflictmon.ingest.requests")
                .description("HTTP ingest requests, from arrival to answer")
                .tag("type", type(kind))
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void accepted(ReportKind kind, int reports) {
        Counter.builder("conflictmon.ingest.reports.accepted")
                .description("Reports acknowledged by Kafka")
                .tag("type", type(kind))
                .register(registry)
                .increment(reports);
    }

    void rejected(ReportKind kind, String reason, int reports) {
        Counter.builder("conflictmon.ingest.reports.rejected")
                .description("Reports, or whole request bodies, refused")
                .tag("type", type(kind))
                .tag("reason", reason)
                .register(registry)
                .increment(reports);
    }

    void published(ReportKind kind, long nanos) {
        Timer.builder("conflictmon.ingest.publish")
                .description("From the first send of a request to Kafka's last acknowledgement")
                .tag("type", type(kind))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void deadLetters(String outcome, int records) {
        Counter.builder("conflictmon.ingest.dead.letters")
                .description("Rejected input written to the dead-letter topic (written) or lost on the way (failed)")
                .tag("outcome", outcome)
                .register(registry)
                .increment(records);
    }
}
