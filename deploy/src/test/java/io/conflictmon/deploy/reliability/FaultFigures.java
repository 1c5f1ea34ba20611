package io.conflictmon.deploy.reliability;

import java.time.Duration;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/** The figures the fault tests print for the issue note: elapsed times and Kafka client metrics. */
final class FaultFigures {
    private FaultFigures() {
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** A Kafka Streams client metric summed over its threads and clients, e.g. {@code failed-stream-threads}. */
    static double metricSum(KafkaStreams streams, String name) {
        return streams.metrics().values().stream()
                .filter(m -> m.metricName().name().equals(name))
                .map(Metric::metricValue)
                .filter(Number.class::isInstance)
                .mapToDouble(v -> ((Number) v).doubleValue())
                .sum();
    }
}
