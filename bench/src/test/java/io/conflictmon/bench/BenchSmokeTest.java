package io.conflictmon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end benchmarks run through on a tiny input (no timing is asserted: benchmarks are not tests). Each
 * bench checks its own counts (every report published, every record committed, each tool's record count) and fails
 * otherwise, so a pass here means the measuring code measures the whole work.
 */
class BenchSmokeTest {
    private static final int REPORTS = 100;
    private static BenchEnvironment env;

    @BeforeAll
    static void startStack() {
        env = BenchEnvironment.start();
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void ingestBenchMeasuresEveryPathOnAllReports() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        IngestBench.Result result = IngestBench.run(env, REPORTS, 1, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(result.rounds()).singleElement().satisfies(round -> {
            assertThat(round.importerRowsPerSecond()).isPositive();
            assertThat(round.parseRowsPerSecond()).isPositive();
            assertThat(round.publisherRowsPerSecond()).isPositive();
            assertThat(round.httpBatchRowsPerSecond()).isPositive();
            assertThat(round.httpSingleRowsPerSecond()).isPositive();
            assertThat(round.producerPerformanceRecordsPerSecond()).isPositive();
            assertThat(round.cpu().importer()).isPositive();
            assertThat(round.cpu().parse()).isPositive();
            assertThat(round.cpu().publisher()).isPositive();
            assertThat(round.cpu().producerPerformance()).isPositive();
        });
        assertThat(result.averageValueBytes()).isBetween(100, 400);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ProducerPerformance rec/s").contains("median")
                .contains("importer CPU us/row");
    }

    @Test
    void streamsBenchRunsTheTopologyAndConsumerPerformanceOverAllRecords() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        StreamsBench.Result result = StreamsBench.run(env, REPORTS, 1, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(result.rounds()).singleElement().satisfies(round -> {
            assertThat(round.streamsSeconds()).isGreaterThan(round.startupSeconds()).isPositive();
            assertThat(round.consumerPerformanceRecordsPerSecond()).isPositive();
        });
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ConsumerPerformance rec/s").contains("median");
    }

    /** On a stack of its own: QueryBench counts the waves of exactly its reports, which the other benches' topics would spoil. */
    @Test
    void queryBenchAnswersEveryRequestAndSeesEveryPostedReport() throws Exception {
        QueryBench.Settings settings = new QueryBench.Settings(REPORTS, Duration.ofMillis(500), 40, 20, 8, 5);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        QueryBench.Result result;
        try (BenchEnvironment own = BenchEnvironment.start()) {
            result = QueryBench.run(own, settings, new PrintStream(printed, true, StandardCharsets.UTF_8));
        }

        assertThat(result.waves()).isPositive();
        assertThat(result.queries()).hasSize(6).allSatisfy(latency -> {
            assertThat(latency.requests()).as(latency.name()).isEqualTo(settings.requests(latency.rate()));
            assertThat(latency.errors()).as(latency.name()).isZero();
            // timed inside the asked instance too: within what the load generator saw, and on a JVM that did work
            assertThat(latency.serverP99()).as(latency.name()).isPositive().isLessThanOrEqualTo(latency.max());
            assertThat(latency.cpuMicros()).as(latency.name()).isPositive().isGreaterThan(latency.loadCpuMicros());
            assertThat(latency.loadCpuMicros()).as(latency.name()).isPositive();
        });
        QueryBench.EndToEnd endToEnd = result.endToEnd();
        int offered = settings.requests(settings.postsPerSecond()) * settings.reportsPerPost();
        assertThat(endToEnd.reportsPosted()).isEqualTo(offered);
        assertThat(endToEnd.reportsAccepted()).isEqualTo(offered);
        assertThat(endToEnd.post().errors()).isZero();
        assertThat(endToEnd.missing()).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("GET /v1/waves/{id} forwarded")
                .contains("202 to queryable").contains("202 to wave event");
    }
}
