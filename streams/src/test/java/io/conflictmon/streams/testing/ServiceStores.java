package io.conflictmon.streams.testing;

import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.waves.WaveStores;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** Reads of a running service's stores for Awaitility conditions: "not there yet" while a store is not queryable. */
public final class ServiceStores {
  private ServiceStores() {
  }

  public static Optional<WaveSummary> waveIn(StreamsService service, String waveId) {
    try {
      return WaveStores.byId(service.waves(), waveId);
    } catch (InvalidStateStoreException e) {
      return Optional.empty(); // not queryable yet (restoring or rebalancing)
    }
  }

  /** The totals under {@code source/year}, or null. */
  public static CasualtyTotals casualtyTotalsIn(StreamsService service, String key) {
    try {
      return service.casualtyTotals().get(key);
    } catch (InvalidStateStoreException e) {
      return null;
    }
  }
}
