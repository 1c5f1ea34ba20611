package io.conflictmon.streams.query;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;

/**
 * Readiness of the streams side for {@code GET /health/ready}: Kafka Streams is RUNNING <em>and</em> caught up, i.e.
 * every local copy of a store (active or standby) is at most {@code maxLag} records behind its changelog. RUNNING
 * alone is not enough: with the state updater, a client is RUNNING while its tasks still restore, and its queries
 * would answer 503 or old data. The same shape as ingest's {@code Readiness} ({@code ready}, {@code detail}), so the
 * demo can combine both.
 */
public final class StreamsReadiness implements Supplier<StreamsReadiness.Status> {

  /** Whether the instance is ready, and why (not). */
  public record Status(boolean ready, String detail) {
  }

  private final KafkaStreams streams;
  private final long maxLag;

  public StreamsReadiness(KafkaStreams streams, long maxLag) {
    this.streams = Objects.requireNonNull(streams, "streams");
    if (maxLag < 0) {
      throw new IllegalArgumentException("maxLag must be >= 0, got " + maxLag);
    }
    this.maxLag = maxLag;
  }

  @Override
  public Status get() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return new Status(false, "Kafka Streams is " + state);
    }
    Map<String, Map<Integer, LagInfo>> lags;
    try {
      lags = streams.allLocalStorePartitionLags();
    } catch (RuntimeException e) { // a rebalance started between the two calls
      return new Status(false, "store lags unknown: " + e.getMessage());
    }
    String worst = null;
    long worstLag = -1;
    int copies = 0;
    for (Map.Entry<String, Map<Integer, LagInfo>> store : lags.entrySet()) {
      for (Map.Entry<Integer, LagInfo> partition : store.getValue().entrySet()) {
        copies++;
        if (partition.getValue().offsetLag() > worstLag) {
          worstLag = partition.getValue().offsetLag();
          worst = store.getKey() + "/" + partition.getKey();
        }
      }
    }
    if (worstLag > maxLag) {
      return new Status(false, "RUNNING, catching up: " + worst + " is " + worstLag + " records behind (bound " + maxLag + ")");
    }
    return new Status(true, "RUNNING, " + copies + " local store copies caught up"
        + (worst == null ? "" : " (largest lag " + worstLag + " at " + worst + ")"));
  }
}
