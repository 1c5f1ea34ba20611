package io.conflictmon.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.streams.alerts.AlertRulesHolder;
import io.conflictmon.streams.alerts.AlertStores;
import io.conflictmon.streams.alerts.DroneSurgeProcessor;
import io.conflictmon.streams.alerts.WaveAlertsProcessor;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.reports.ReportChange;
import io.conflictmon.streams.reports.ReportContent;
import io.conflictmon.streams.reports.ReportUpsertProcessor;
import io.conflictmon.streams.reports.StrikeReportStores;
import io.conflictmon.streams.testing.AirForceCsv;
import io.conflictmon.streams.totals.StrikeTotalsProcessor;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.streams.waves.WaveMerger;
import io.conflictmon.streams.waves.WaveStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The strike-side processors keep heap indexes of their stores (wave ends, drones per wave and per day, the record
 * chain, the firing alerts) that {@code init} loads from the stores. Kafka Streams calls {@code init} on new processor
 * instances whenever a task is created or revived on existing state (a restart, a rebalance, an aborted transaction),
 * so processors replaced mid-stream must produce exactly what processors that ran throughout produce.
 *
 * <p>The chain is wired as in {@link ConflictTopology} (upsert -> wave merger -> wave alerts, upsert -> strike totals
 * -> drone surge), each processor in its own {@link MockProcessorContext} over shared in-memory stores. Input: the real
 * attack log in a shuffled order (late reports that extend and merge waves), with corrections and retractions.
 */
class ProcessorRestartTest {

  private static final Instant ORIGIN = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void processorsReplacedMidStreamGiveTheSameOutputsAndState() throws IOException {
    Assumptions.assumeTrue(AirForceCsv.available(), "real data not found in " + AirForceCsv.dataDir());
    List<Publication> publications = publications(AirForceCsv.read(), new Random(20261129));

    StrikeChain throughout = new StrikeChain();
    publications.forEach(throughout::publish);

    StrikeChain restarted = new StrikeChain();
    for (int i = 0; i < publications.size(); i++) {
      if (i > 0 && i % (publications.size() / 7) == 0) {
        restarted.replaceProcessors();
      }
      restarted.publish(publications.get(i));
    }

    assertThat(restarted.restarts).isGreaterThanOrEqualTo(6);
    assertThat(throughout.alerts).as("alerts raised").hasSizeGreaterThan(50);
    assertThat(restarted.alerts).as("alerts raised, in order").isEqualTo(throughout.alerts);
    assertThat(restarted.waveChanges).as("wave changes, in order").isEqualTo(throughout.waveChanges);
    assertThat(restarted.totalsChanges).as("strike totals changes").isEqualTo(throughout.totalsChanges);
    for (String store : StrikeChain.STORES) {
      assertThat(restarted.contents(store)).as("store %s", store).isEqualTo(throughout.contents(store));
    }
  }

  /** A report version or a retraction (null) under an id. */
  private record Publication(String id, StrikeReport value) {
  }

  /** The attack log shuffled, with a correction after every 40th report and a retraction after every 97th. */
  private static List<Publication> publications(List<StrikeReport> reports, Random random) {
    List<StrikeReport> shuffled = new ArrayList<>(reports);
    Collections.shuffle(shuffled, random);
    List<Publication> publications = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); i++) {
      StrikeReport report = shuffled.get(i);
      publications.add(new Publication(report.getId(), report));
      if (i % 40 == 39) {
        StrikeReport earlier = shuffled.get(random.nextInt(i));
        publications.add(new Publication(earlier.getId(),
            StrikeReport.newBuilder(earlier).setLaunched(earlier.getLaunched() * 3 + 7).build()));
      }
      if (i % 97 == 96) {
        publications.add(new Publication(shuffled.get(random.nextInt(i)).getId(), null));
      }
    }
    return publications;
  }

  /** The strike side of the topology, processors replaceable over the same stores. */
  private static final class StrikeChain {
    static final List<String> STORES = List.of(StrikeReportStores.REPORTS, WaveStores.WAVES, StrikeTotalsStores.TOTALS,
        AlertStores.STRIKE_ALERT_STATE, AlertStores.STRIKE_ALERTS, AlertStores.RECORD_WAVES, AlertStores.DAILY_DRONES);

    private final StreamsMetrics metrics = new StreamsMetrics(new SimpleMeterRegistry());
    private final AlertRulesHolder rules = AlertRulesHolder.defaults();
    private final Map<String, KeyValueStore<?, ?>> stores = new TreeMap<>();
    private final MockProcessorContext<String, ReportChange<StrikeReport>> upsertContext = new MockProcessorContext<>();
    private final MockProcessorContext<String, WaveSummary> mergerContext = new MockProcessorContext<>();
    private final MockProcessorContext<String, StrikeTotals> totalsContext = new MockProcessorContext<>();
    private final MockProcessorContext<String, EscalationAlert> waveAlertsContext = new MockProcessorContext<>();
    private final MockProcessorContext<String, EscalationAlert> surgeContext = new MockProcessorContext<>();
    private Processor<String, StrikeReport, String, ReportChange<StrikeReport>> upsert;
    private Processor<String, ReportChange<StrikeReport>, String, WaveSummary> merger;
    private Processor<String, ReportChange<StrikeReport>, String, StrikeTotals> totals;
    private Processor<String, WaveSummary, String, EscalationAlert> waveAlerts;
    private Processor<String, StrikeTotals, String, EscalationAlert> surge;
    final List<String> alerts = new ArrayList<>();
    final List<String> waveChanges = new ArrayList<>();
    final List<String> totalsChanges = new ArrayList<>();
    int restarts = -1;
    private long clock = ORIGIN.toEpochMilli();

    /** One in-memory registry per store: a MockProcessorContext gives every store the same changelog subject. */
    StrikeChain() {
      store(StrikeReportStores.REPORTS, Serdes.String(), TopicSerdes.inMemory().strikeReport());
      store(WaveStores.WAVES, Serdes.Long(), TopicSerdes.inMemory().waveSummary());
      store(StrikeTotalsStores.TOTALS, Serdes.String(), TopicSerdes.inMemory().strikeTotals());
      store(AlertStores.STRIKE_ALERT_STATE, Serdes.String(), Serdes.String());
      store(AlertStores.STRIKE_ALERTS, Serdes.String(), TopicSerdes.inMemory().escalationAlert());
      store(AlertStores.RECORD_WAVES, Serdes.Long(), Serdes.Long());
      store(AlertStores.DAILY_DRONES, Serdes.String(), Serdes.Long());
      replaceProcessors();
    }

    private <K, V> void store(String name, Serde<K> keys, Serde<V> values) {
      KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
          .withLoggingDisabled().withCachingDisabled().build();
      store.init(upsertContext.getStateStoreContext(), store);
      for (MockProcessorContext<?, ?> context : List.of(upsertContext, mergerContext, totalsContext, waveAlertsContext,
          surgeContext)) {
        context.addStateStore(store);
      }
      stores.put(name, store);
    }

    /** New processor instances, initialised on the stores as they are (what a revived or moved task does). */
    void replaceProcessors() {
      upsert = new ReportUpsertProcessor<>(StrikeReportStores.REPORTS, "strike", ReportContent::sameIgnoringReportedAt,
          StrikeReport::getTimeEnd, metrics);
      merger = new WaveMerger(StrikeReportStores.REPORTS, TopologySettings.DEFAULT_WAVE_GAP, metrics);
      totals = new StrikeTotalsProcessor();
      waveAlerts = new WaveAlertsProcessor(rules, metrics);
      surge = new DroneSurgeProcessor(rules, metrics);
      upsert.init(upsertContext);
      merger.init(mergerContext);
      totals.init(totalsContext);
      waveAlerts.init(waveAlertsContext);
      surge.init(surgeContext);
      restarts++;
    }

    void publish(Publication publication) {
      clock += 1000;
      upsertContext.setCurrentSystemTimeMs(clock);
      upsert.process(new Record<>(publication.id(), publication.value(), clock));
      // the upsert's children in the topology's order: the wave merger (and its wave alerts), then the strike totals
      drain(upsertContext, change -> {
        merger.process(change);
        drain(mergerContext, wave -> {
          waveChanges.add(wave.key() + "=" + wave.value());
          waveAlerts.process(wave);
          drain(waveAlertsContext, alert -> alerts.add(alert.key()));
        });
        totals.process(change);
        drain(totalsContext, total -> {
          totalsChanges.add(total.key() + "=" + total.value());
          surge.process(total);
          drain(surgeContext, alert -> alerts.add(alert.key()));
        });
      });
    }

    private static <K, V> void drain(MockProcessorContext<K, V> context, Consumer<Record<K, V>> child) {
      List<Record<K, V>> forwarded = new ArrayList<>();
      context.forwarded().forEach(captured -> forwarded.add(new Record<>(captured.record().key(), captured.record().value(),
          captured.record().timestamp())));
      context.resetForwards();
      forwarded.forEach(child);
    }

    Map<String, String> contents(String name) {
      Map<String, String> contents = new TreeMap<>();
      try (KeyValueIterator<?, ?> it = stores.get(name).all()) {
        it.forEachRemaining(entry -> contents.put(String.valueOf(entry.key), String.valueOf(entry.value)));
      }
      return contents;
    }
  }
}
