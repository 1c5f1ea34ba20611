package io.conflictmon.streams.app;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.serde.AvroSerde;
import io.conflictmon.streams.alerts.AlertStores;
import io.conflictmon.streams.alerts.CasualtyYoyProcessor;
import io.conflictmon.streams.alerts.DroneSurgeProcessor;
import io.conflictmon.streams.alerts.WaveAlertsProcessor;
import io.conflictmon.streams.casualties.CasualtyStores;
import io.conflictmon.streams.casualties.CasualtyTotalsProcessor;
import io.conflictmon.streams.errors.CasualtyReportValidator;
import io.conflictmon.streams.errors.Screened;
import io.conflictmon.streams.errors.ScreeningProcessor;
import io.conflictmon.streams.errors.StrikeReportValidator;
import io.conflictmon.streams.errors.Validator;
import io.conflictmon.streams.reports.ReportChange;
import io.conflictmon.streams.reports.ReportContent;
import io.conflictmon.streams.reports.ReportUpsertProcessor;
import io.conflictmon.streams.reports.StrikeReportStores;
import io.conflictmon.streams.totals.KyivCalendar;
import io.conflictmon.streams.totals.StrikeTotalsProcessor;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.streams.waves.WaveMerger;
import io.conflictmon.streams.waves.WaveStores;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The streams topology: strike reports -> waves and strike totals; casualty reports -> casualty
 * totals with year on year; waves, day totals and year totals -> escalation alerts; bad input -> the dead-letter topic.
 *
 * <pre>
 *                    (1)          (2)                                (3)
 * strike-reports ─ screen ─┬─ rejected ─────────────────────────────────────────────► ingest-dlq
 *                          └─ accepted ─ repartition (1 partition) ─ upsert ─┬─ wave-merger ─┬─► waves          (4)
 *                                                                            │               └─ wave-alerts ──► alerts (7)
 *                                                                            └─ strike-totals ┬► strike-totals  (5)
 *                                                                                             └─ drone-surge ─► alerts (8)
 * casualty-reports ─ screen ─┬─ rejected ───────────────────────────────────────────► ingest-dlq
 *                            └─ accepted ─ repartition (1 partition) ─ upsert ─ casualty-totals ┬► casualty-totals (6)
 *                                                                                               └─ casualty-yoy ► alerts (9)
 * </pre>
 * The numbers are the steps of {@link #buildTopology} and of the diagram in the README.
 *
 * <p>Why one partition after the screen: a wave is a transitive clustering over every report, and a
 * casualty year depends on the year before, so each aggregate needs all reports of its kind in one
 * task; the upsert log (keyed by report id, so a tombstone finds its report) lives in that task too,
 * which hands each aggregate the exact previous version of a changed report. The input topics keep
 * their partitions for producers and for the screening; the aggregation is a few hundred reports a
 * day. Every processor, store and internal topic has a fixed name (the constants here and in the
 * {@code *Stores} classes), so the topology stays compatible across upgrades.
 */
public final class ConflictTopology {

  public static final String STRIKE_REPORTS_SOURCE = "strike-reports-source";
  public static final String STRIKE_REPORTS_SCREEN = "strike-reports-screen";
  /** Internal topic {@code <application.id>-strike-report-changes-repartition}. */
  public static final String STRIKE_REPORTS_REPARTITION = "strike-report-changes";
  public static final String STRIKE_REPORTS_UPSERT = "strike-reports-upsert";
  public static final String WAVE_MERGER = "wave-merger";
  public static final String STRIKE_TOTALS = "strike-totals";
  public static final String CASUALTY_REPORTS_SOURCE = "casualty-reports-source";
  public static final String CASUALTY_REPORTS_SCREEN = "casualty-reports-screen";
  /** Internal topic {@code <application.id>-casualty-report-changes-repartition}. */
  public static final String CASUALTY_REPORTS_REPARTITION = "casualty-report-changes";
  public static final String CASUALTY_REPORTS_UPSERT = "casualty-reports-upsert";
  public static final String CASUALTY_TOTALS = "casualty-totals";
  public static final String WAVE_ALERTS = "wave-alerts";
  public static final String DRONE_SURGE_ALERTS = "drone-surge-alerts";
  public static final String CASUALTY_YOY_ALERTS = "casualty-yoy-alerts";

  private ConflictTopology() {
  }

  public static Topology buildTopology(TopologySettings settings) {
    StreamsBuilder builder = new StreamsBuilder(namingChecked());
    TopicSerdes serdes = settings.serdes();
    Serde<String> keys = Serdes.String();

    // The reports stores skip the record cache: a report rarely changes twice within a commit, so the cache would fold
    // no changelog writes, and a lookup of a new id (every insert) searches the cache's sorted map before the store.
    builder.addStateStore(uncached(store(settings, StrikeReportStores.REPORTS, keys, internal(serdes, StrikeReport.class))));
    builder.addStateStore(uncached(store(settings, WaveStores.WAVES, Serdes.Long(), internal(serdes, WaveSummary.class))));
    builder.addStateStore(store(settings, StrikeTotalsStores.TOTALS, keys, internal(serdes, StrikeTotals.class)));
    builder.addStateStore(uncached(store(settings, CasualtyStores.REPORTS, keys, internal(serdes, CasualtyReport.class))));
    builder.addStateStore(store(settings, CasualtyStores.REPORTS_BY_YEAR, keys, internal(serdes, CasualtyReport.class)));
    builder.addStateStore(store(settings, CasualtyStores.TOTALS, keys, internal(serdes, CasualtyTotals.class)));
    Serde<EscalationAlert> alertSerde = internal(serdes, EscalationAlert.class);
    builder.addStateStore(store(settings, AlertStores.STRIKE_ALERT_STATE, keys, Serdes.String()));
    builder.addStateStore(uncached(store(settings, AlertStores.STRIKE_ALERTS, keys, alertSerde)));
    builder.addStateStore(store(settings, AlertStores.RECORD_WAVES, Serdes.Long(), Serdes.Long()));
    builder.addStateStore(store(settings, AlertStores.DAILY_DRONES, keys, Serdes.Long()));
    builder.addStateStore(store(settings, AlertStores.CASUALTY_ALERT_STATE, keys, Serdes.String()));
    builder.addStateStore(uncached(store(settings, AlertStores.CASUALTY_ALERTS, keys, alertSerde)));

    // 1. Screen: records that fail validation go to the DLQ (undecodable ones never get here: see screened()).
    KStream<String, StrikeReport> strikes = screened(builder, settings, settings.strikeReportsTopic(),
        serdes.strikeReport(), new StrikeReportValidator(), STRIKE_REPORTS_SOURCE, STRIKE_REPORTS_SCREEN);
    // 2. Repartition into one partition, 3. upsert by report id: duplicates stop here; corrections and
    //    retractions go on with the version they replace.
    KStream<String, ReportChange<StrikeReport>> strikeChanges = strikes
        .repartition(Repartitioned.<String, StrikeReport>as(STRIKE_REPORTS_REPARTITION)
            .withKeySerde(keys)
            .withValueSerde(internal(serdes, StrikeReport.class))
            .withNumberOfPartitions(1))
        .process(() -> new ReportUpsertProcessor<StrikeReport>(StrikeReportStores.REPORTS, "strike",
                ReportContent::sameIgnoringReportedAt, StrikeReport::getTimeEnd, settings.metrics()),
            Named.as(STRIKE_REPORTS_UPSERT), StrikeReportStores.REPORTS);
    // 4. Waves: interval merging of MINUTE reports within the wave gap.
    KStream<String, WaveSummary> waves = strikeChanges
        .process(() -> new WaveMerger(StrikeReportStores.REPORTS, settings.waveGap(), settings.metrics()),
            Named.as(WAVE_MERGER), StrikeReportStores.REPORTS, WaveStores.WAVES);
    waves.to(settings.wavesTopic(), Produced.with(keys, serdes.waveSummary()).withName(WAVE_MERGER + "-sink"));
    // 5. Strike totals per Kyiv day, month and year.
    KStream<String, StrikeTotals> strikeTotals = strikeChanges
        .process(StrikeTotalsProcessor::new, Named.as(STRIKE_TOTALS), StrikeTotalsStores.TOTALS);
    strikeTotals.to(settings.strikeTotalsTopic(), Produced.with(keys, serdes.strikeTotals()).withName(STRIKE_TOTALS + "-sink"));
    // 7. Wave alerts (wave-drones, wave-missiles, wave-record) on every wave change; reads the waves store.
    waves
        .process(() -> new WaveAlertsProcessor(settings.alertRules(), settings.metrics()), Named.as(WAVE_ALERTS),
            WaveStores.WAVES, AlertStores.RECORD_WAVES, AlertStores.STRIKE_ALERT_STATE, AlertStores.STRIKE_ALERTS)
        .to(settings.alertsTopic(), Produced.with(keys, serdes.escalationAlert()).withName(WAVE_ALERTS + "-sink"));
    // 8. drone-surge on every change of a day's drones.
    strikeTotals
        .process(() -> new DroneSurgeProcessor(settings.alertRules(), settings.metrics()), Named.as(DRONE_SURGE_ALERTS),
            AlertStores.DAILY_DRONES, AlertStores.STRIKE_ALERT_STATE, AlertStores.STRIKE_ALERTS)
        .to(settings.alertsTopic(), Produced.with(keys, serdes.escalationAlert()).withName(DRONE_SURGE_ALERTS + "-sink"));

    // Casualty reports: 1. screen, 2. repartition, 3. upsert, 6. totals per source and year/month with supersession
    //    and year-on-year, 9. casualty-yoy alerts on the year totals.
    KStream<String, CasualtyReport> casualties = screened(builder, settings, settings.casualtyReportsTopic(),
        serdes.casualtyReport(), new CasualtyReportValidator(), CASUALTY_REPORTS_SOURCE, CASUALTY_REPORTS_SCREEN);
    KStream<String, CasualtyTotals> casualtyTotals = casualties
        .repartition(Repartitioned.<String, CasualtyReport>as(CASUALTY_REPORTS_REPARTITION)
            .withKeySerde(keys)
            .withValueSerde(internal(serdes, CasualtyReport.class))
            .withNumberOfPartitions(1))
        .process(() -> new ReportUpsertProcessor<CasualtyReport>(CasualtyStores.REPORTS, "casualty",
                ReportContent::sameIgnoringReportedAt,
                report -> report.getPeriodEnd().plusDays(1).atStartOfDay(KyivCalendar.KYIV).toInstant(),
                settings.metrics()),
            Named.as(CASUALTY_REPORTS_UPSERT), CasualtyStores.REPORTS)
        .process(CasualtyTotalsProcessor::new, Named.as(CASUALTY_TOTALS), CasualtyStores.REPORTS_BY_YEAR, CasualtyStores.TOTALS);
    casualtyTotals.to(settings.casualtyTotalsTopic(),
        Produced.with(keys, serdes.casualtyTotals()).withName(CASUALTY_TOTALS + "-sink"));
    casualtyTotals
        .process(() -> new CasualtyYoyProcessor(settings.alertRules(), settings.metrics()), Named.as(CASUALTY_YOY_ALERTS),
            AlertStores.CASUALTY_ALERT_STATE, AlertStores.CASUALTY_ALERTS)
        .to(settings.alertsTopic(), Produced.with(keys, serdes.escalationAlert()).withName(CASUALTY_YOY_ALERTS + "-sink"));

    return builder.build();
  }

  /**
   * A builder that refuses any internal topic or store with a generated name (KIP-1111), so a
   * forgotten name fails here rather than as a lost changelog after an upgrade. The application id
   * and bootstrap servers are placeholders the builder requires; they are not topology settings.
   */
  private static TopologyConfig namingChecked() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "conflictmon-topology-builder");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    return new TopologyConfig(new StreamsConfig(props));
  }

  /**
   * Reads an input topic, validates every record, sends the rejected ones to the DLQ and returns the
   * accepted ones (tombstones included). Records that do not even deserialize never get here: the
   * {@code DeadLetterDeserializationHandler} dead-letters them at the source.
   */
  private static <V extends SpecificRecord> KStream<String, V> screened(StreamsBuilder builder, TopologySettings settings,
                                                                       String topic, Serde<V> valueSerde, Validator<V> validator,
                                                                       String sourceName, String screenName) {
    Serializer<V> payloadSerializer = valueSerde.serializer();
    Map<String, KStream<String, Screened<V>>> branches = builder
        .stream(topic, Consumed.with(Serdes.String(), valueSerde).withName(sourceName))
        .processValues(() -> new ScreeningProcessor<>(validator, payloadSerializer, settings.metrics()), Named.as(screenName))
        .split(Named.as(screenName + "-split"))
        .branch((key, screened) -> screened.isAccepted(), Branched.as("-accepted"))
        .defaultBranch(Branched.as("-rejected"));
    branches.get(screenName + "-split-rejected")
        .map((key, screened) -> KeyValue.pair(screened.rejection().getSourceId(), screened.rejection()),
            Named.as(screenName + "-rejection"))
        .to(settings.dlqTopic(), Produced.with(Serdes.String(), settings.serdes().rejectedRecord()).withName(screenName + "-dlq-sink"));
    return branches.get(screenName + "-split-accepted").mapValues(Screened::value, Named.as(screenName + "-accepted-value"));
  }

  /**
   * Serde for changelogs and repartition topics: the same wire format, but it always registers its
   * schema, because those subjects belong to this application even where the topic subjects are
   * managed by hand (auto-register off).
   */
  private static <T extends SpecificRecord> Serde<T> internal(TopicSerdes serdes, Class<T> type) {
    return new AvroSerde<>(type, serdes.client(), false, true);
  }

  /**
   * A store with a changelog and the record cache on: processors read their own writes through it, interactive
   * queries too, and repeated writes of a key within a commit interval (a year's totals) reach the changelog once.
   */
  private static <K, V> StoreBuilder<?> store(TopologySettings settings, String name, Serde<K> keySerde, Serde<V> valueSerde) {
    KeyValueBytesStoreSupplier supplier = settings.persistentStores()
        ? Stores.persistentKeyValueStore(name)
        : Stores.inMemoryKeyValueStore(name);
    return Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde).withCachingEnabled().withLoggingEnabled(Map.of());
  }

  /**
   * The same store without the record cache: for the reports stores (see above), and for stores read backwards ({@code reverseRange}, {@code reverseAll}):
   * Kafka Streams 4.3.1's merge of cache and store ({@code AbstractMergedSortedCacheStoreIterator.hasNext}) skips a
   * key deleted in the cache by comparing keys in forward order only, so a reverse iteration can return the deleted
   * key with a null value (seen as a wave merged away coming back as null in {@code WaveMerger}).
   */
  private static StoreBuilder<?> uncached(StoreBuilder<?> store) {
    return store.withCachingDisabled();
  }
}
