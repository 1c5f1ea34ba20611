package io.conflictmon.bench;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.importer.ImportFormat;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.http.IngestApi;
import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import io.conflictmon.ingest.importer.Importer;
import io.conflictmon.ingest.importer.JsonLinesParser;
import io.conflictmon.ingest.importer.ParsedRow;
import io.conflictmon.ingest.importer.ReportKind;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Import throughput of our ingest path against Kafka's own producer benchmark, on the same broker in the same run.
 *
 * <p>Per round: (1) the {@link Importer} imports a JSON Lines file of N synthetic strike reports into a fresh
 * compacted topic of 6 partitions, as {@code conflictmon import strikes FILE} does (read, parse, validate, derive ids,
 * skip what is published, serialize to Avro in the Confluent wire format, send, flush); (2) the {@link ReportPublisher}
 * alone sends the same N reports, already in memory as Avro records; (3) {@code ProducerPerformance} sends N records of
 * our average serialized value size with the producer settings of {@link ReportPublisher#producerConfig}. A fourth
 * column times the importer's parser alone (read, parse, derive ids, validate; no Kafka) on the same file; two more
 * send the same reports to the HTTP ingest API ({@code POST /v1/strikes}): in arrays of 500 with 4 requests in flight,
 * and one report a request with 32 in flight (on a tenth of them). The order
 * alternates between rounds so that neither side always runs on a warmer or cooler machine.
 *
 * <p>Usage: {@code IngestBench [N=200000] [rounds=3]}. Prints a table of rounds and the medians.
 */
public final class IngestBench {
    private static final Logger LOG = LoggerFactory.getLogger(IngestBench.class);
    private static final long SEED = 20260109L;
    private static final int PARTITIONS = 6;
    private static final Duration INDEX_TIMEOUT = Duration.ofSeconds(120);
    private static final String WARM_UP = "warm-up";
    /** Reports per request of the batch HTTP run, and requests in flight: a bulk client. */
    private static final int HTTP_BATCH = 500;
    private static final int HTTP_BATCH_IN_FLIGHT = 4;
    /** Requests in flight of the one-report-a-request HTTP run: many small clients. */
    private static final int HTTP_SINGLE_IN_FLIGHT = 32;

    private IngestBench() {
    }

    /** One round: rows (records) per second of each path. */
    public record Round(int round, double importerRowsPerSecond, double parseRowsPerSecond, double publisherRowsPerSecond,
            double httpBatchRowsPerSecond, double httpSingleRowsPerSecond, double producerPerformanceRecordsPerSecond,
            Cpu cpu) {
        public double importerRatio() {
            return importerRowsPerSecond / producerPerformanceRecordsPerSecond;
        }

        public double publisherRatio() {
            return publisherRowsPerSecond / producerPerformanceRecordsPerSecond;
        }

        public double httpBatchRatio() {
            return httpBatchRowsPerSecond / producerPerformanceRecordsPerSecond;
        }
    }

    /**
     * CPU time per row (record) of a round, in microseconds: of the whole process (broker, producer threads, GC and JIT
     * included) while the importer, the publisher and ProducerPerformance ran, and of the one parsing thread of the
     * parse-only run. On a machine whose cores a run keeps busy, rates follow these: the import cannot go faster than the
     * CPU it needs per row allows.
     */
    public record Cpu(double importer, double parse, double publisher, double producerPerformance) {
    }

    /** A rate and the CPU it took. */
    private record Measured(double perSecond, double cpuMicrosPerRow) {
    }

    /** All rounds, with the record size given to ProducerPerformance. */
    public record Result(int reports, int averageValueBytes, long jsonLinesBytes, List<Round> rounds) {
        public double medianImporterRatio() {
            return Table.median(rounds.stream().map(Round::importerRatio).toList());
        }

        public double medianPublisherRatio() {
            return Table.median(rounds.stream().map(Round::publisherRatio).toList());
        }
    }

    /** Exits with status 1 on failure: a thread a failed Kafka tool left behind must not keep the JVM waiting. */
    public static void main(String[] args) {
        int reports = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (BenchEnvironment env = BenchEnvironment.start()) {
            Result result = run(env, reports, rounds, System.out);
            System.out.printf(Locale.ROOT, "%nTarget: importer / ProducerPerformance >= 0.80; median %.2f (%s)%n",
                    result.medianImporterRatio(), result.medianImporterRatio() >= 0.8 ? "met" : "NOT met");
        } catch (Exception e) {
            LOG.error("IngestBench failed", e);
            System.exit(1);
        }
    }

    /** Runs the benchmark on that environment and prints the table to {@code out}. */
    public static Result run(BenchEnvironment env, int reports, int rounds, PrintStream out) throws IOException {
        if (reports < 1 || rounds < 1) {
            throw new IllegalArgumentException("need at least 1 report and 1 round, got " + reports + " and " + rounds);
        }
        List<StrikeReportInput> inputs = SyntheticStrikes.inputs(reports, SEED);
        List<StrikeReport> avro = SyntheticStrikes.avro(inputs, Instant.now());
        Path file = env.workDir().resolve("strikes-" + reports + ".jsonl");
        SyntheticStrikes.writeJsonLines(inputs, file);
        int valueBytes = averageValueBytes(env, avro);
        out.printf(Locale.ROOT, "IngestBench: %,d strike reports, JSON Lines file %,d bytes (%.0f bytes a line), "
                        + "average serialized value %d bytes, %d rounds%n",
                reports, Files.size(file), Files.size(file) / (double) reports, valueBytes, rounds);

        String dlqTopic = "bench.ingest-dlq";
        List<NewTopic> topics = new ArrayList<>(List.of(BenchEnvironment.topic(dlqTopic, 1, false)));
        for (String round : roundNames(rounds)) {
            topics.add(BenchEnvironment.topic(httpTopic(round), PARTITIONS, true));
            topics.add(BenchEnvironment.topic(httpTopic(round + "-single"), PARTITIONS, true));
            topics.add(BenchEnvironment.topic(importTopic(round), PARTITIONS, true));
            topics.add(BenchEnvironment.topic(publishTopic(round), PARTITIONS, true));
            // not compacted: ProducerPerformance sends records without keys
            topics.add(BenchEnvironment.topic(perfTopic(round), PARTITIONS, false));
        }
        env.createTopics(topics);
        // Warm-up: JIT, class loading, first connections; not counted.
        int warmUp = Math.max(1, reports / 10);
        Path warmUpFile = env.workDir().resolve("strikes-warm-up.jsonl");
        SyntheticStrikes.writeJsonLines(SyntheticStrikes.inputs(warmUp, SEED + 1), warmUpFile);
        importOnce(env, warmUpFile, importTopic(WARM_UP), dlqTopic, warmUp);
        publishOnce(env, avro.subList(0, warmUp), publishTopic(WARM_UP));
        producerPerformance(env, perfTopic(WARM_UP), warmUp, valueBytes);
        List<String> jsonLines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int httpSingles = Math.max(1, reports / 10);
        httpOnce(env, jsonLines.subList(0, warmUp), httpTopic(WARM_UP), dlqTopic, HTTP_BATCH, HTTP_BATCH_IN_FLIGHT);
        httpOnce(env, jsonLines.subList(0, Math.min(warmUp, httpSingles)), httpTopic(WARM_UP + "-single"), dlqTopic, 1,
                HTTP_SINGLE_IN_FLIGHT);
        LOG.info("Warm-up with {} reports done", warmUp);

        List<Round> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Measured importer;
            Measured publisher;
            Measured perf;
            String name = "r" + round;
            if (round % 2 == 1) {
                importer = importOnce(env, file, importTopic(name), dlqTopic, reports);
                publisher = publishOnce(env, avro, publishTopic(name));
                perf = producerPerformance(env, perfTopic(name), reports, valueBytes);
            } else {
                perf = producerPerformance(env, perfTopic(name), reports, valueBytes);
                publisher = publishOnce(env, avro, publishTopic(name));
                importer = importOnce(env, file, importTopic(name), dlqTopic, reports);
            }
            Measured parse = parseOnce(file, reports);
            double httpBatch = httpOnce(env, jsonLines, httpTopic(name), dlqTopic, HTTP_BATCH, HTTP_BATCH_IN_FLIGHT);
            double httpSingle = httpOnce(env, jsonLines.subList(0, httpSingles), httpTopic(name + "-single"), dlqTopic, 1,
                    HTTP_SINGLE_IN_FLIGHT);
            Round result = new Round(round, importer.perSecond(), parse.perSecond(), publisher.perSecond(), httpBatch,
                    httpSingle, perf.perSecond(), new Cpu(importer.cpuMicrosPerRow(), parse.cpuMicrosPerRow(),
                            publisher.cpuMicrosPerRow(), perf.cpuMicrosPerRow()));
            LOG.info("Round {}: {}", round, result);
            results.add(result);
        }
        Result result = new Result(reports, valueBytes, Files.size(file), results);
        print(result, out);
        return result;
    }

    private static List<String> roundNames(int rounds) {
        List<String> names = new ArrayList<>(List.of(WARM_UP));
        for (int round = 1; round <= rounds; round++) {
            names.add("r" + round);
        }
        return names;
    }

    private static String importTopic(String round) {
        return "bench.import-" + round;
    }

    private static String publishTopic(String round) {
        return "bench.publish-" + round;
    }

    private static String httpTopic(String round) {
        return "bench.http-" + round;
    }

    private static String perfTopic(String round) {
        return "bench.perf-" + round;
    }

    private static void print(Result result, PrintStream out) {
        Table table = new Table("round", "importer rows/s", "parse only rows/s", "publisher rows/s",
                "HTTP x" + HTTP_BATCH + " rows/s", "HTTP x1 rows/s", "ProducerPerformance rec/s", "importer/perf",
                "publisher/perf", "HTTP x" + HTTP_BATCH + "/perf");
        for (Round round : result.rounds()) {
            table.row(Integer.toString(round.round()), round.importerRowsPerSecond(), round.parseRowsPerSecond(),
                    round.publisherRowsPerSecond(), round.httpBatchRowsPerSecond(), round.httpSingleRowsPerSecond(),
                    round.producerPerformanceRecordsPerSecond(), round.importerRatio(), round.publisherRatio(),
                    round.httpBatchRatio());
        }
        List<Round> rounds = result.rounds();
        table.row("median", Table.median(rounds.stream().map(Round::importerRowsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::parseRowsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::publisherRowsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::httpBatchRowsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::httpSingleRowsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::producerPerformanceRecordsPerSecond).toList()),
                result.medianImporterRatio(), result.medianPublisherRatio(),
                Table.median(rounds.stream().map(Round::httpBatchRatio).toList()));
        out.println();
        table.print(out);

        Table cpu = new Table("round", "importer CPU us/row", "parse only CPU us/row (1 thread)", "publisher CPU us/row",
                "ProducerPerformance CPU us/rec");
        for (Round round : rounds) {
            cpu.row(Integer.toString(round.round()), round.cpu().importer(), round.cpu().parse(), round.cpu().publisher(),
                    round.cpu().producerPerformance());
        }
        cpu.row("median", Table.median(rounds.stream().map(r -> r.cpu().importer()).toList()),
                Table.median(rounds.stream().map(r -> r.cpu().parse()).toList()),
                Table.median(rounds.stream().map(r -> r.cpu().publisher()).toList()),
                Table.median(rounds.stream().map(r -> r.cpu().producerPerformance()).toList()));
        out.printf(Locale.ROOT, "%nCPU time per row: the whole process (broker, GC, JIT included), %d CPUs%n",
                Runtime.getRuntime().availableProcessors());
        cpu.print(out);
    }

    /** Imports the file into a fresh topic with a fresh publisher, as one CLI import does; rows per second. */
    private static Measured importOnce(BenchEnvironment env, Path file, String topic, String dlqTopic, int expected)
            throws IOException {
        ImportTopics topics = new ImportTopics(topic, "bench.casualty-reports-unused", dlqTopic);
        try (ReportPublisher publisher = ReportPublisher.create(env.bootstrapServers(),
                SpecificRecordSerializer.of(env.serdes()), Map.of())) {
            Importer importer = new Importer(publisher,
                    Importer.kafkaIndexLoader(env.bootstrapServers(), env.serdes(), topics, INDEX_TIMEOUT),
                    WeaponClassifier.bundled(), Clock.systemUTC(), topics);
            long startCpu = BenchEnvironment.processCpuNanos();
            ImportSummary summary = importer.importFile(file, ImportFormat.JSONL, ReportKind.STRIKE, ImportProgressListener.NONE);
            double cpuMicros = BenchEnvironment.cpuMicrosPerRow(startCpu, expected);
            if (summary.published() != expected) {
                throw new IllegalStateException("the importer published " + summary.published() + " of " + expected
                        + " reports: " + summary);
            }
            LOG.info("Importer: {}", summary);
            return new Measured(summary.rowsPerSecond(), cpuMicros);
        }
    }

    /**
     * The importer's work before Kafka: reading, JSON parsing, defaults, id derivation and validation of every row,
     * with the same parser the importer uses; rows per second. Tells how much of the import rate is the parsing.
     */
    private static Measured parseOnce(Path file, int expected) throws IOException {
        Instant now = Instant.now();
        JsonLinesParser<StrikeReport> parser = JsonLinesParser.strikes(new ReportMapper(WeaponClassifier.bundled()),
                new ReportValidator(Clock.systemUTC()), now, file.getFileName().toString());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        long accepted;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Stream<ParsedRow<StrikeReport>> rows = parser.parse(reader)) {
            accepted = rows.filter(row -> row instanceof ParsedRow.Accepted<?>).count();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (threads.getCurrentThreadCpuTime() - startCpu) / 1e3 / expected;
        if (accepted != expected) {
            throw new IllegalStateException("the parser accepted " + accepted + " of " + expected + " rows");
        }
        return new Measured(expected / seconds, cpuMicros);
    }

    /**
     * {@code POST /v1/strikes} of the ingest service (a fresh {@link IngestServer} on this stack): the JSON lines in
     * arrays of {@code batch} reports (1: one report a request), {@code inFlight} requests at a time; reports per second
     * from the first request to the last 202.
     */
    private static double httpOnce(BenchEnvironment env, List<String> jsonLines, String topic, String dlqTopic, int batch,
            int inFlight) throws IOException {
        IngestConfig config = IngestConfig.builder().bootstrapServers(env.bootstrapServers())
                .schemaRegistryUrl(env.registryUrl())
                .topics(new ImportTopics(topic, "bench.casualty-reports-unused", dlqTopic))
                .host("127.0.0.1").port(0).maxItems(Math.max(batch, IngestConfig.DEFAULT_MAX_ITEMS))
                .build();
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < jsonLines.size(); from += batch) {
            List<String> items = jsonLines.subList(from, Math.min(from + batch, jsonLines.size()));
            bodies.add(batch == 1 ? items.get(0) : "[" + String.join(",", items) + "]");
        }
        ExecutorService responseThreads = Executors.newFixedThreadPool(2, daemonThreads("bench-http-client"));
        try (IngestServer server = IngestServer.start(config)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(responseThreads).build();
            URI uri = URI.create(server.url() + IngestApi.STRIKES_PATH);
            Semaphore slots = new Semaphore(inFlight);
            AtomicLong accepted = new AtomicLong();
            AtomicReference<String> failure = new AtomicReference<>();
            List<CompletableFuture<?>> responses = new ArrayList<>(bodies.size());
            long start = System.nanoTime();
            for (String body : bodies) {
                slots.acquireUninterruptibly();
                HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    slots.release();
                    if (error != null) {
                        failure.compareAndSet(null, error.toString());
                    } else if (response.statusCode() != 202) {
                        failure.compareAndSet(null, "HTTP " + response.statusCode() + ": " + response.body());
                    } else {
                        accepted.addAndGet(body.startsWith("[") ? batchSize(response.body()) : 1);
                    }
                }));
            }
            CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null || accepted.get() != jsonLines.size()) {
                throw new IllegalStateException("POST " + uri + " accepted " + accepted.get() + " of " + jsonLines.size()
                        + " reports; first failure: " + failure.get());
            }
            LOG.info("HTTP: {} reports in requests of {} ({} in flight) in {} s", jsonLines.size(), batch, inFlight,
                    String.format(Locale.ROOT, "%.2f", seconds));
            return jsonLines.size() / seconds;
        } finally {
            responseThreads.shutdownNow();
        }
    }

    /** The {@code accepted} count of a 202 answer. */
    private static int batchSize(String acceptedBody) {
        try {
            return IngestJson.mapper().readTree(acceptedBody).path("accepted").asInt(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("not a 202 answer: " + acceptedBody, e);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Sends the reports through a fresh publisher into a fresh topic and waits for every acknowledgement. */
    private static Measured publishOnce(BenchEnvironment env, List<StrikeReport> reports, String topic) {
        try (ReportPublisher publisher = ReportPublisher.create(env.bootstrapServers(),
                SpecificRecordSerializer.of(env.serdes()), Map.of())) {
            long start = System.nanoTime();
            long startCpu = BenchEnvironment.processCpuNanos();
            ReportPublisher.Batch batch = publisher.batch();
            for (StrikeReport report : reports) {
                batch.send(topic, report.getId(), report);
            }
            long acknowledged = batch.flush();
            Measured measured = new Measured(reports.size() / ((System.nanoTime() - start) / 1e9),
                    BenchEnvironment.cpuMicrosPerRow(startCpu, reports.size()));
            if (acknowledged != reports.size()) {
                throw new IllegalStateException("Kafka acknowledged " + acknowledged + " of " + reports.size() + " reports");
            }
            LOG.info("Publisher: {} reports, {} rows/s", reports.size(), String.format(Locale.ROOT, "%.0f",
                    measured.perSecond()));
            return measured;
        }
    }

    /** ProducerPerformance into a fresh topic with our producer settings; records per second. */
    private static Measured producerPerformance(BenchEnvironment env, String topic, int records, int recordSize) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", env.bootstrapServers(), "--topic", topic,
                "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--command-property"));
        ReportPublisher.producerConfig(env.bootstrapServers()).forEach((key, value) -> {
            if (!key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) && !key.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                args.add(key + "=" + value);
            }
        });
        long startCpu = BenchEnvironment.processCpuNanos();
        KafkaTools.ProducerResult result = KafkaTools.producerPerformance(args);
        double cpuMicros = BenchEnvironment.cpuMicrosPerRow(startCpu, records);
        if (result.records() != records) {
            throw new IllegalStateException("ProducerPerformance sent " + result.records() + " of " + records + " records");
        }
        LOG.info("ProducerPerformance: {} records, {} records/s, {} ms avg latency", result.records(),
                result.recordsPerSecond(), result.avgLatencyMs());
        return new Measured(result.recordsPerSecond(), cpuMicros);
    }

    /** Average size of a report's value as the producer sends it: Confluent wire format (5-byte header + Avro). */
    private static int averageValueBytes(BenchEnvironment env, List<StrikeReport> reports) {
        Serializer<StrikeReport> serializer = env.serdes().strikeReport().serializer();
        long total = 0;
        for (StrikeReport report : reports) {
            total += serializer.serialize(importTopic(WARM_UP), report).length;
        }
        return (int) Math.round(total / (double) reports.size());
    }
}
