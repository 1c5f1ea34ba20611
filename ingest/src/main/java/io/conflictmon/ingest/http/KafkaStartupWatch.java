package io.conflictmon.ingest.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says clearly, once per attempt, whether Kafka can take reports while the ingest service starts. The service does not
 * wait for Kafka to listen: it serves at once, {@code /health/ready} and the POST routes answer 503 (with
 * {@code Retry-After}) until Kafka can take reports, and the Kafka clients reconnect by themselves. Without this watch
 * the only sign of an unreachable broker would be the Kafka clients' own connection warnings, several a second and
 * without the address a reader looks for. One line per attempt, no stack trace: an unreachable broker at start-up is
 * an expected condition. The watch ends at the first ready check (later outages show in readiness and in the 503s).
 */
final class KafkaStartupWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartupWatch.class);

    private final Thread thread;

    private KafkaStartupWatch(Thread thread) {
        this.thread = thread;
    }

    /**
     * Checks {@code readiness} on a daemon thread now and every {@code interval} after a failed check, until ready.
     *
     * @param bootstrapServers only for the log lines
     */
    static KafkaStartupWatch start(Supplier<Readiness> readiness, String bootstrapServers, Duration interval) {
        Objects.requireNonNull(readiness, "readiness");
        Thread thread = new Thread(() -> watch(readiness, bootstrapServers, interval), "ingest-kafka-startup");
        thread.setDaemon(true);
        thread.start();
        return new KafkaStartupWatch(thread);
    }

    private static void watch(Supplier<Readiness> readiness, String bootstrapServers, Duration interval) {
        long startNanos = System.nanoTime();
        for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
            Readiness now = readiness.get();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
            if (now.ready()) {
                if (attempt == 1) {
                    LOG.info("Kafka at {} takes reports: ingest is ready", bootstrapServers);
                } else {
                    LOG.info("Kafka at {} takes reports after {} attempts ({} s): ingest is ready",
                            bootstrapServers, attempt, seconds);
                }
                return;
            }
            LOG.warn("Kafka at {} cannot take reports yet (attempt {}, {} s): {}; answering 503 meanwhile, "
                    + "retrying in {} s", bootstrapServers, attempt, seconds, now.detail(), interval.toSeconds());
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return; // closed while waiting
            }
        }
    }

    /** Whether the watch still waits for Kafka. */
    boolean waiting() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
