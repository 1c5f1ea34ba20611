package io.conflictmon.ingest.http;

import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;

/**
 * Throughput and latency of the HTTP ingest on one machine: an embedded broker, the embedded registry and the server
 * in this JVM, N client threads each POSTing batches of 100 strike reports (fresh ids) for a while, waiting for each
 * 202. Not a test; run with
 * {@code ./mvnw -q -o -pl ingest exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.conflictmon.ingest.http.IngestHttpBench}
 * or from the IDE. Arguments: thread counts (default {@code 1,4,16}) and seconds per round (default 10).
 */
public final class IngestHttpBench {
    static final int BATCH = 100;

    private IngestHttpBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] threadCounts = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4, 16};
        Duration round = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Path dataDir = Files.createTempDirectory("conflictmon-http-bench-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start();
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0)) {
            ImportTopics topics = new ImportTopics("bench-strikes", "bench-casualties", "bench-dlq");
            broker.createTopic(topics.strikeReports(), 6, Map.of("cleanup.policy", "compact"));
            broker.createTopic(topics.casualtyReports(), 3, Map.of("cleanup.policy", "compact"));
            broker.createTopic(topics.deadLetters(), 3);
            IngestConfig config = IngestConfig.builder().bootstrapServers(broker.bootstrapServers())
                    .schemaRegistryUrl(registry.url()).topics(topics).host("127.0.0.1").port(0).build();
            try (IngestServer server = IngestServer.start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create(server.url() + IngestApi.STRIKES_PATH);
                run(client, uri, 2, Duration.ofSeconds(3)); // warm-up: JIT, registry ids, producer metadata
                System.out.printf("%nHTTP ingest, batches of %d strike reports, %d cores, %s per round%n", BATCH,
                        Runtime.getRuntime().availableProcessors(), round);
                System.out.printf("%8s %10s %12s %10s %10s %10s %8s%n", "threads", "requests", "reports/s", "p50 ms",
                        "p99 ms", "max ms", "errors");
                for (int threads : threadCounts) {
                    Result r = run(client, uri, threads, round);
                    System.out.printf("%8d %10d %12.0f %10.1f %10.1f %10.1f %8d%n", threads, r.requests(),
                            r.requests() * BATCH / r.seconds(), r.percentileMs(50), r.percentileMs(99),
                            r.percentileMs(100), r.errors());
                }
            }
        } finally {
            Utils.delete(dataDir.toFile());
        }
    }

    record Result(long requests, long errors, double seconds, long[] sortedNanos) {
        double percentileMs(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100.0 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, index)] / 1e6;
        }
    }

    static Result run(HttpClient client, URI uri, int threads, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    long sequence = 0;
                    while (System.nanoTime() < end) {
                        HttpRequest request = HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch(thread, sequence++)))
                                .build();
                        long sent = System.nanoTime();
                        HttpResponse<Void> response = send(client, request);
                        latencies.add(System.nanoTime() - sent);
                        if (response == null || response.statusCode() != 202) {
                            errors.incrementAndGet();
                        }
                    }
                    return latencies;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(sorted.length - errors.get(), errors.get(), seconds, sorted);
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<Void> send(HttpClient client, HttpRequest request) throws InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return null;
        }
    }

    /** 100 reports with fresh ids, times spread over a day so they would form realistic waves downstream. */
    static String batch(int thread, long sequence) {
        StringBuilder json = new StringBuilder(BATCH * 330).append('[');
        Instant base = Instant.parse("2026-01-08T17:00:00Z");
        for (int i = 0; i < BATCH; i++) {
            Instant startTime = base.plusSeconds((sequence * BATCH + i) % 86_400);
            json.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"bench-").append(thread).append('-').append(sequence).append('-').append(i)
                    .append("\",\"source\":\"bench\",\"timeStart\":\"").append(startTime)
                    .append("\",\"timeEnd\":\"").append(startTime.plusSeconds(3_600))
                    .append("\",\"timePrecision\":\"MINUTE\",\"weaponModel\":\"Shahed-136/131\",")
                    .append("\"weaponClass\":\"ATTACK_DRONE\",\"launched\":").append(10 + i % 200)
                    .append(",\"destroyed\":").append(5 + i % 100)
                    .append(",\"launchArea\":\"Primorsko-Akhtarsk\",\"targetRegions\":[\"Kyiv oblast\",\"Odesa oblast\"]}");
        }
        return json.append(']').toString();
    }
}
