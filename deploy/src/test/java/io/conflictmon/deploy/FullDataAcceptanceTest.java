package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DESIGN.md's acceptance figures on the real data, end to end on the real parts: the full attack log and
 * both OHCHR tables imported through the importer into a real broker, aggregated by the streams topology
 * (exactly-once), read from its state stores.
 */
class FullDataAcceptanceTest {
    private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
    private static final String APPLICATION_ID = "acceptance-" + System.nanoTime();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    static Path stateDir;

    static EmbeddedSchemaRegistry registry;
    static HttpSchemaRegistryClient registryClient;
    static StreamsService streams;
    static final List<ImportSummary> imports = new ArrayList<>();

    @BeforeAll
    static void importTheRealDataAndAggregate() throws IOException {
        KAFKA.broker().createTopics(EmbeddedStack.topics());
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        registryClient = new HttpSchemaRegistryClient(registry.url());
        streams = new StreamsService(
                StreamsSettings.of(APPLICATION_ID, KAFKA.bootstrapServers()).withStateDir(stateDir.toString()),
                TopologySettings.defaults(new TopicSerdes(registryClient, true), new SimpleMeterRegistry()));
        streams.start();
        try (IngestWiring ingest = new IngestWiring(KAFKA.bootstrapServers(), new TopicSerdes(registryClient, true))) {
            for (String name : List.of("missile_attacks_daily.csv", "ohchr_civilian_casualties_monthly.csv",
                    "ohchr_civilian_casualties_annual.csv")) {
                imports.add(ingest.importer.importFile(sharedData().resolve(name), ImportProgressListener.NONE));
            }
        }
        StreamsProgress.awaitCaughtUp(KAFKA.bootstrapServers(), APPLICATION_ID, streams.topology(), Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (streams != null) {
            streams.close();
        }
        if (registryClient != null) {
            registryClient.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void everyRowIsAccountedFor() {
        for (ImportSummary s : imports) {
            assertThat(s.published() + s.unchanged() + s.rejected()).as(s.file()).isEqualTo(s.read());
        }
        assertThat(imports.get(0).read()).isEqualTo(csv("missile_attacks_daily.csv").size());
    }

    @ParameterizedTest(name = "night of {0}: {1} drones, {2} missiles")
    @CsvSource({
        "2026-01-09T00:00, 242, 36",
        "2026-01-20T00:00, 339, 34",
        "2026-01-24T00:00, 375, 21",
        "2025-11-25T00:00, 464, 22",
    })
    void theNewsFiguresOfSingleNightsComeOutAsOneWave(String kyivMidnight, int drones, int missiles) {
        Instant midnight = LocalDateTime.parse(kyivMidnight).atZone(KYIV).toInstant();
        List<WaveSummary> covering = waves().stream()
                .filter(w -> !w.getStart().isAfter(midnight)
                        && !w.getEnd().isBefore(midnight))
                .toList();
        assertThat(covering).hasSize(1);
        assertThat(covering.get(0).getDrones()).isEqualTo(drones);
        assertThat(covering.get(0).getMissiles()).isEqualTo(missiles);
    }

    @Test
    void theLargestWaveIsTheNightOf6To7September2025With810Drones() {
        WaveSummary largest = waves().stream().max(Comparator.comparingInt(WaveSummary::getDrones)).orElseThrow();
        assertThat(largest.getDrones()).isEqualTo(810);
        assertThat(largest.getStart().atZone(KYIV).toLocalDate()).hasToString("2025-09-06");
    }

    @Test
    void civilianCasualties2025Rose30Point6PercentOn2024() {
        CasualtyTotals y2025 = streams.casualtyTotals().get("ohchr/2025");
        assertThat(y2025.getTotal()).isEqualTo(14_656);
        assertThat(y2025.getPreviousTotal()).isEqualTo(11_226);
        assertThat(y2025.getIncreasePct()).isCloseTo(30.55, within(0.01));
        assertThat(y2025.getComplete()).isTrue();
    }

    @Test
    void yearlyDroneAndMissileTotalsEqualAPlainSumOverTheCsv() {
        WeaponClassifier classifier = WeaponClassifier.bundled();
        Map<String, long[]> expected = new TreeMap<>();
        for (CSVRecord r : csv("missile_attacks_daily.csv")) {
            String launched = r.get("launched").strip();
            if (launched.isEmpty()) {
                continue; // refused by the importer (no count), so in no total
            }
            String year = r.get("time_end").strip().substring(0, 4);
            boolean drone = WeaponClassifier.isDrone(classifier.classify(r.get("model")));
            expected.computeIfAbsent(year, y -> new long[2])[drone ? 0 : 1] += (long) Double.parseDouble(launched);
        }
        Map<String, String> actual = new TreeMap<>();
        Map<String, String> wanted = new TreeMap<>();
        expected.forEach((year, sums) -> {
            wanted.put(year, "drones=" + sums[0] + " missiles=" + sums[1]);
            StrikeTotals t = streams.strikeTotals().get(year);
            actual.put(year, t == null ? "missing" : "drones=" + t.getDrones() + " missiles=" + t.getMissiles());
        });
        assertThat(actual).isEqualTo(wanted);
    }

    private static List<WaveSummary> waves() {
        List<WaveSummary> all = new ArrayList<>();
        try (KeyValueIterator<Long, WaveSummary> it = streams.waves().all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        return all;
    }

    private static Path sharedData() {
        return Path.of(System.getProperty("conflictmon.shared.data", "../../shared/data"));
    }

    private static List<CSVRecord> csv(String name) {
        try (Reader in = Files.newBufferedReader(sharedData().resolve(name), StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(in)
                        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return parser.getRecords();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
