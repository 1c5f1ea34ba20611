package io.conflictmon.deploy;

import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.ingest.importer.ImportFormat;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.waves.WaveStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code conflictmon demo}: the whole pipeline in one JVM on the embedded default: a real Kafka broker,
 * the schema registry, the importers and the streams topology; replays the bundled sample (or the
 * files of {@code --data}) and prints what the topology made of it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run broker, registry, ingest and streams in one JVM and replay the sample data.",
        footerHeading = "%nExamples:%n",
        footer = {"  conflictmon demo                               the bundled sample, then run until Ctrl-C",
                "  conflictmon demo --speed 20                    20 reports a second: watch the dashboard fill",
                "  conflictmon demo --data ../shared/data --exit  the full 2022-2026 log, then exit"})
final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    /** The bundled sample: an excerpt of the attack log (Nov 2025 - Jan 2026) and the OHCHR tables (see NOTICE). */
    static final List<String> SAMPLE_FILES = List.of(
            "missile_attacks_daily-2025-11_2026-01.csv",
            "ohchr_civilian_casualties_monthly.csv",
            "ohchr_civilian_casualties_annual.csv");

    @Option(names = "--data", paramLabel = "DIR", description = "Directory of files to replay, each format recognised by its file "
            + "name (e.g. ../shared/data). Default: the bundled sample.")
    Path data;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "conflictmon-data",
            description = "Where broker, registry and streams keep their state across restarts.")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "0",
            description = "Kafka listener port; 0 picks a free port on the first start and keeps it.")
    int kafkaPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081", description = "Schema registry port.")
    int registryPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the HTTP API (POST /v1/strikes, /v1/casualties; /health/*; /metrics).")
    int httpPort;

    @Mixin
    AccessOptions access = new AccessOptions();

    @Mixin
    AlertOptions alerts = new AlertOptions();

    @Option(names = "--speed", paramLabel = "ROWS_PER_SECOND", defaultValue = "0",
            description = "Replay at this many rows (reports) per second for a live feel; 0 replays as fast as possible.")
    double speed;

    @Option(names = "--exit", description = "Exit after the replay instead of running until Ctrl-C.")
    boolean exitAfterReplay;

    @Mixin
    ConfigOption config = new ConfigOption();

    @Override
    public Integer call() throws Exception {
        if (speed < 0) {
            throw new IllegalArgumentException("--speed must be >= 0 (0: as fast as possible), got " + speed);
        }
        if (!config.kafkaProperties().isEmpty()) {
            // The embedded broker listens in plaintext on loopback only; silently ignoring TLS/SASL settings would mislead.
            throw new IllegalArgumentException("the demo runs its own plaintext broker on 127.0.0.1 and takes no Kafka "
                    + "client settings (--kafka-config, kafka.* keys); they apply to ingest, streams, import and registry");
        }
        ShutdownSignal shutdown = ShutdownSignal.install();
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir);
        List<Path> files = data == null ? extractSample(dataDir.resolve("sample")) : filesIn(data);
        try (DemoStack demo = DemoStack.start(dataDir, kafkaPort, registryPort, httpPort, access.tokenSpecs(),
                access.rateLimit(), alerts.alerting())) {
            System.out.printf("%nconflictmon demo ready in %d ms%n  Dashboard:       %s/%n  HTTP API:        %s"
                            + " (GET /v1/waves, /v1/totals/strikes, /v1/casualties/yoy, /v1/alerts, /v1/stream; POST /v1/strikes;"
                            + " /openapi.json; /metrics)%n  Kafka bootstrap: %s%n  Schema registry: %s%n  Data dir:        %s%n%n",
                    (System.nanoTime() - t0) / 1_000_000, demo.httpUrl(), demo.httpUrl(), demo.bootstrapServers(),
                    demo.registryUrl(),
                    dataDir.toAbsolutePath());
            ReplayPace pace = speed > 0 ? ReplayPace.of(speed) : null;
            for (Path file : files) {
                ImportProgressListener console = ImportProgressListener.forConsole();
                ImportSummary summary = demo.importFile(file, pace == null ? console : pace.around(console));
                System.out.println("  " + summary);
            }
            demo.awaitProcessed(Duration.ofSeconds(120));
            printAggregates(demo.streams());
            System.out.printf("Replayed in %d ms since start.%n", (System.nanoTime() - t0) / 1_000_000);
            if (!exitAfterReplay) {
                System.out.println("Running; Ctrl-C stops it cleanly (state is kept in " + dataDir + ").");
                shutdown.awaitStopRequest();
            }
            LOG.info("Shutting down");
        } finally {
            shutdown.finished();
        }
        return 0;
    }

    private static void printAggregates(StreamsService streams) {
        List<WaveSummary> waves = new ArrayList<>();
        try (KeyValueIterator<Long, WaveSummary> it = streams.waves().all()) {
            it.forEachRemaining(kv -> waves.add(kv.value));
        }
        System.out.printf("%n%d attack waves. Largest by drones:%n", waves.size());
        waves.stream().sorted(Comparator.comparingInt(WaveSummary::getDrones).reversed()).limit(5)
                .forEach(w -> System.out.printf("  %s  %4d drones  %3d missiles  %3d reports%n",
                        w.getId(), w.getDrones(), w.getMissiles(), w.getReportCount()));
        WaveStores.latest(streams.waves(), 1).forEach(w -> System.out.printf("Latest wave: %s, %d drones, %d missiles%n",
                w.getId(), w.getDrones(), w.getMissiles()));
        try (KeyValueIterator<String, CasualtyTotals> it = streams.casualtyTotals().all()) {
            it.forEachRemaining(kv -> {
                CasualtyTotals t = kv.value;
                if (t.getMonth() == null && t.getIncreasePct() != null) {
                    System.out.printf("Civilian casualties %s %d: %,d (killed %,d, injured %,d), %+.1f%% on %d (%s)%n",
                            t.getSource(), t.getYear(), t.getTotal(), t.getKilled(), t.getInjured(),
                            t.getIncreasePct(), t.getYear() - 1, t.getBasis());
                }
            });
        }
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + dir + " is not a directory");
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = list.filter(p -> ImportFormat.recognize(p.getFileName().toString()).isPresent())
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--data " + dir + " holds no file of a known format "
                        + "(missile_attacks_daily*.csv, *casualties_monthly*.csv, *casualties_annual*.csv, *.jsonl)");
            }
            return files;
        }
    }

    static List<Path> extractSample(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (String name : SAMPLE_FILES) {
            Path target = dir.resolve(name);
            try (InputStream in = DemoCommand.class.getResourceAsStream("/sample/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("bundled sample file missing from the build: " + name);
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            files.add(target);
        }
        return files;
    }
}
