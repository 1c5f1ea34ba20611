package io.conflictmon.bench.jmh;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.bench.SyntheticStrikes;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.streams.app.ConflictTopology;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.reports.ReportChange;
import io.conflictmon.streams.reports.StrikeReportStores;
import io.conflictmon.streams.waves.WaveMerger;
import io.conflictmon.streams.waves.WaveStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-record cost of the wave merger, in µs per strike report:
 * <ul>
 *   <li>{@link #waveMerger}: the {@link WaveMerger} processor alone, on in-memory stores (the strike-reports store
 *       filled beforehand, as the upsert processor leaves it), fed the changes of {@value #REPORTS} reports;</li>
 *   <li>{@link #topology}: the whole {@link ConflictTopology} in a {@code TopologyTestDriver} (screen, repartition,
 *       upsert, wave merger, strike totals, Avro serdes all included), piping the same reports.</li>
 * </ul>
 * Each invocation starts from empty stores and processes the {@value #REPORTS} reports (about 800 waves of 8 reports), so every
 * measurement does the same work; {@code order} sends them in time order (as posted) or shuffled (late reports that
 * extend and merge waves).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.conflictmon.avro"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WaveMergerBenchmark {
    static final int REPORTS = 10_000;
    private static final Instant REPORTED_AT = Instant.parse("2026-03-01T00:00:00Z");

    /** The reports of the trial, in the order of the {@code order} parameter. */
    @State(Scope.Benchmark)
    public static class Reports {
        @Param({"time", "shuffled"})
        public String order;

        List<StrikeReport> reports;

        @Setup(Level.Trial)
        public void generate() {
            List<StrikeReport> generated = new ArrayList<>(SyntheticStrikes.avro(SyntheticStrikes.inputs(REPORTS, 42), REPORTED_AT));
            switch (order) {
                case "time" -> { }
                case "shuffled" -> Collections.shuffle(generated, new Random(7));
                default -> throw new IllegalArgumentException("order is time or shuffled, got " + order);
            }
            reports = List.copyOf(generated);
        }
    }

    /** A fresh wave merger on fresh in-memory stores, for one invocation. */
    @State(Scope.Thread)
    public static class MergerRun {
        WaveMerger merger;
        KeyValueStore<String, StrikeReport> reportsStore;
        KeyValueStore<Long, WaveSummary> wavesStore;
        MockProcessorContext<String, WaveSummary> context;

        @Setup(Level.Invocation)
        public void open(Reports reports) {
            context = new MockProcessorContext<>();
            // One registry per store: MockProcessorContext gives every store the same changelog name, hence subject.
            reportsStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StrikeReportStores.REPORTS),
                    Serdes.String(), TopicSerdes.inMemory().strikeReport()).withLoggingDisabled().withCachingDisabled().build();
            wavesStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WaveStores.WAVES),
                    Serdes.Long(), TopicSerdes.inMemory().waveSummary()).withLoggingDisabled().withCachingDisabled().build();
            reportsStore.init(context.getStateStoreContext(), reportsStore);
            wavesStore.init(context.getStateStoreContext(), wavesStore);
            context.addStateStore(reportsStore);
            context.addStateStore(wavesStore);
            for (StrikeReport report : reports.reports) {
                reportsStore.put(report.getId(), report);
            }
            merger = new WaveMerger(StrikeReportStores.REPORTS, TopologySettings.DEFAULT_WAVE_GAP,
                    new StreamsMetrics(new SimpleMeterRegistry()));
            merger.init(context);
        }

        @TearDown(Level.Invocation)
        public void close() {
            merger.close();
            reportsStore.close();
            wavesStore.close();
        }
    }

    /** The whole topology in a TopologyTestDriver, for one invocation. */
    @State(Scope.Thread)
    public static class TopologyRun {
        /** In-memory stores by default; {@code -p persistentStores=true} measures RocksDB as in production. */
        @Param({"false"})
        public boolean persistentStores;

        Path stateDir;
        TopologyTestDriver driver;
        TestInputTopic<String, StrikeReport> strikes;

        @Setup(Level.Invocation)
        public void open() throws IOException {
            TopicSerdes serdes = TopicSerdes.inMemory();
            TopologySettings settings = TopologySettings.defaults(serdes, new SimpleMeterRegistry())
                    .withPersistentStores(persistentStores);
            stateDir = Files.createTempDirectory("wave-merger-benchmark-");
            Properties config = StreamsSettings.of("wave-merger-benchmark", "ttd:9092")
                    .withStateDir(stateDir.toString()).streamsConfig(settings);
            driver = new TopologyTestDriver(ConflictTopology.buildTopology(settings), config);
            strikes = driver.createInputTopic(settings.strikeReportsTopic(), new StringSerializer(),
                    serdes.strikeReport().serializer());
        }

        @TearDown(Level.Invocation)
        public void close() throws IOException {
            driver.close();
            Utils.delete(stateDir.toFile());
        }
    }

    @Benchmark
    @OperationsPerInvocation(REPORTS)
    public int waveMerger(Reports reports, MergerRun run) {
        long timestamp = REPORTED_AT.toEpochMilli();
        for (StrikeReport report : reports.reports) {
            run.merger.process(new Record<>(report.getId(), new ReportChange<>(report.getId(), null, report), timestamp++));
        }
        int forwarded = run.context.forwarded().size();
        run.context.resetForwards();
        return forwarded;
    }

    @Benchmark
    @OperationsPerInvocation(REPORTS)
    public long topology(Reports reports, TopologyRun run) {
        long timestamp = REPORTED_AT.toEpochMilli();
        for (StrikeReport report : reports.reports) {
            run.strikes.pipeInput(report.getId(), report, timestamp++);
        }
        return timestamp;
    }
}
