package io.conflictmon.streams.waves;

import io.conflictmon.avro.WaveSummary;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Names of the wave state and the lookups a query layer needs on it.
 *
 * <p>The waves live in one key-value store keyed by the wave's start (epoch millis, a Long, whose
 * big-endian serialization sorts by time). A wave id is its start instant, so this one store
 * serves both lookups the API needs: by id ({@link #byId}) and by time range ({@link #startingBetween}).
 */
public final class WaveStores {

  /** Start (epoch millis) -> {@link WaveSummary}, every current wave. */
  public static final String WAVES = "waves-store";

  private WaveStores() {
  }

  /** The store key of a wave id ({@code 2026-01-08T17:30:00Z} -> its epoch millis). */
  public static long keyOf(String waveId) {
    try {
      return Instant.parse(waveId).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a wave id (an ISO-8601 instant such as 2026-01-08T17:30:00Z): " + waveId, e);
    }
  }

  public static Optional<WaveSummary> byId(ReadOnlyKeyValueStore<Long, WaveSummary> waves, String waveId) {
    return Optional.ofNullable(waves.get(keyOf(waveId)));
  }

  /** Waves whose start lies in {@code [from, to]} (either bound null = open), oldest first, at most limit. */
  public static List<WaveSummary> startingBetween(ReadOnlyKeyValueStore<Long, WaveSummary> waves,
                                                  Instant from, Instant to, int limit) {
    List<WaveSummary> found = new ArrayList<>();
    try (KeyValueIterator<Long, WaveSummary> it =
             waves.range(from == null ? null : from.toEpochMilli(), to == null ? null : to.toEpochMilli())) {
      while (it.hasNext() && found.size() < limit) {
        found.add(it.next().value);
      }
    }
    return found;
  }

  /** The most recent waves, newest first, at most limit. */
  public static List<WaveSummary> latest(ReadOnlyKeyValueStore<Long, WaveSummary> waves, int limit) {
    List<WaveSummary> found = new ArrayList<>();
    try (KeyValueIterator<Long, WaveSummary> it = waves.reverseAll()) {
      while (it.hasNext() && found.size() < limit) {
        KeyValue<Long, WaveSummary> next = it.next();
        found.add(next.value);
      }
    }
    return found;
  }
}
