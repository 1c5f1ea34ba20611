package io.conflictmon.streams.testing;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.streams.app.ConflictTopology;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.alerts.AlertRulesHolder;
import io.conflictmon.streams.casualties.CasualtyStores;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.streams.waves.WaveStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The whole conflict topology in a {@link TopologyTestDriver} on an in-memory registry: pipe reports
 * in, read the output topics and the stores. Record timestamps advance one second per input.
 */
public final class TopologyFixture implements AutoCloseable {

  public final TopicSerdes serdes = TopicSerdes.inMemory();
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final TopologySettings settings;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, StrikeReport> strikes;
  private final TestInputTopic<String, byte[]> rawStrikes;
  private final TestInputTopic<String, CasualtyReport> casualties;
  private final TestOutputTopic<String, WaveSummary> waves;
  private final TestOutputTopic<String, StrikeTotals> strikeTotals;
  private final TestOutputTopic<String, CasualtyTotals> casualtyTotals;
  private final TestOutputTopic<String, RejectedRecord> dlq;
  private final TestOutputTopic<String, EscalationAlert> alerts;
  private Instant clock = Instant.parse("2026-03-01T00:00:00Z");

  public TopologyFixture(Path stateDir) {
    this(stateDir, TopologySettings.DEFAULT_WAVE_GAP, false);
  }

  public TopologyFixture(Path stateDir, Duration waveGap, boolean persistentStores) {
    this(stateDir, waveGap, persistentStores, Map.of());
  }

  /** @param configOverrides StreamsConfig entries applied over the production settings */
  public TopologyFixture(Path stateDir, Duration waveGap, boolean persistentStores, Map<String, Object> configOverrides) {
    this(stateDir, waveGap, persistentStores, configOverrides, AlertRulesHolder.defaults());
  }

  /** In-memory stores, the default wave gap, these alert rules. */
  public TopologyFixture(Path stateDir, AlertRulesHolder alertRules) {
    this(stateDir, TopologySettings.DEFAULT_WAVE_GAP, false, Map.of(), alertRules);
  }

  public TopologyFixture(Path stateDir, Duration waveGap, boolean persistentStores, Map<String, Object> configOverrides,
                         AlertRulesHolder alertRules) {
    this.settings = TopologySettings.defaults(serdes, registry).withWaveGap(waveGap).withPersistentStores(persistentStores)
        .withAlertRules(alertRules);
    Properties config = StreamsSettings.of("conflictmon-test", "ttd:9092").withStateDir(stateDir.toString())
        .withOverrides(configOverrides)
        .streamsConfig(settings);
    this.driver = new TopologyTestDriver(ConflictTopology.buildTopology(settings), config);
    StringSerializer keys = new StringSerializer();
    this.strikes = driver.createInputTopic(settings.strikeReportsTopic(), keys, serdes.strikeReport().serializer());
    this.rawStrikes = driver.createInputTopic(settings.strikeReportsTopic(), keys, new ByteArraySerializer());
    this.casualties = driver.createInputTopic(settings.casualtyReportsTopic(), keys, serdes.casualtyReport().serializer());
    StringDeserializer keyReader = new StringDeserializer();
    this.waves = driver.createOutputTopic(settings.wavesTopic(), keyReader, serdes.waveSummary().deserializer());
    this.strikeTotals = driver.createOutputTopic(settings.strikeTotalsTopic(), keyReader, serdes.strikeTotals().deserializer());
    this.casualtyTotals = driver.createOutputTopic(settings.casualtyTotalsTopic(), keyReader, serdes.casualtyTotals().deserializer());
    this.dlq = driver.createOutputTopic(settings.dlqTopic(), keyReader, serdes.rejectedRecord().deserializer());
    this.alerts = driver.createOutputTopic(settings.alertsTopic(), keyReader, serdes.escalationAlert().deserializer());
  }

  private Instant tick() {
    clock = clock.plusSeconds(1);
    return clock;
  }

  public void put(StrikeReport report) {
    strikes.pipeInput(report.getId(), report, tick());
  }

  public void putAll(List<StrikeReport> reports) {
    reports.forEach(this::put);
  }

  public void retractStrike(String id) {
    strikes.pipeInput(id, null, tick());
  }

  /** Pipes a strike report under a key of the caller's choice (e.g. one that differs from its id). */
  public void putWithKey(String key, StrikeReport report) {
    strikes.pipeInput(key, report, tick());
  }

  public void putRawStrike(String key, byte[] value) {
    rawStrikes.pipeInput(key, value, tick());
  }

  public void put(CasualtyReport report) {
    casualties.pipeInput(report.getId(), report, tick());
  }

  public void retractCasualty(String id) {
    casualties.pipeInput(id, null, tick());
  }

  public List<KeyValue<String, WaveSummary>> drainWaves() {
    return waves.readKeyValuesToList();
  }

  public List<KeyValue<String, StrikeTotals>> drainStrikeTotals() {
    return strikeTotals.readKeyValuesToList();
  }

  public List<KeyValue<String, CasualtyTotals>> drainCasualtyTotals() {
    return casualtyTotals.readKeyValuesToList();
  }

  public List<KeyValue<String, RejectedRecord>> drainDlq() {
    return dlq.readKeyValuesToList();
  }

  public List<EscalationAlert> drainAlerts() {
    return alerts.readValuesToList();
  }

  /** A state store of the topology by name, key to value. */
  public <K, V> Map<K, V> store(String name) {
    Map<K, V> out = new TreeMap<>();
    KeyValueStore<K, V> store = driver.getKeyValueStore(name);
    try (KeyValueIterator<K, V> it = store.all()) {
      it.forEachRemaining(kv -> out.put(kv.key, kv.value));
    }
    return out;
  }

  /** Current waves by id, from the store. */
  public Map<String, WaveSummary> wavesInStore() {
    Map<String, WaveSummary> out = new TreeMap<>();
    KeyValueStore<Long, WaveSummary> store = driver.getKeyValueStore(WaveStores.WAVES);
    try (KeyValueIterator<Long, WaveSummary> it = store.all()) {
      it.forEachRemaining(kv -> out.put(kv.value.getId(), kv.value));
    }
    return out;
  }

  public KeyValueStore<Long, WaveSummary> waveStore() {
    return driver.getKeyValueStore(WaveStores.WAVES);
  }

  public Map<String, StrikeTotals> strikeTotalsInStore() {
    return store(StrikeTotalsStores.TOTALS);
  }

  public Map<String, CasualtyTotals> casualtyTotalsInStore() {
    return store(CasualtyStores.TOTALS);
  }

  /** Value of a counter in the fixture's registry (0 when it was never incremented). */
  public double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
