package io.conflictmon.deploy.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.deploy.EmbeddedStack;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.ingest.importer.ImportFormat;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.importer.Importer;
import io.conflictmon.ingest.importer.ReportKind;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.testkit.KafkaClusterFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a 3-broker cluster (separate controller), every topic with replication 3 and
 * {@code min.insync.replicas=2}: the full real data and 100,000 synthetic reports are imported while the leader of a
 * strike-reports partition is stopped mid-import (and started again afterwards). Every strike total the streams
 * application holds (each Kyiv day, month and year) equals the sum computed here from the inputs, the waves add up to
 * the reports with a time window, and the strike-reports topic holds each report id exactly once: 0 lost, 0 counted
 * twice, and no duplicate written by a retried send.
 */
@Tag("fault")
class LeaderFailoverTest {
    private static final int SYNTHETIC = 100_000;
    private static final long STOP_AT_ROW = 30_000;
    private static final String APPLICATION_ID = "failover-" + System.nanoTime();

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void stoppingTheLeaderDuringTheImportLosesAndDuplicatesNothing() throws Exception {
        ExpectedStrikeTotals expected = new ExpectedStrikeTotals();
        Path attackLog = ExpectedStrikeTotals.sharedData().resolve("missile_attacks_daily.csv");
        expected.addAttackLog(attackLog);
        long realReports = expected.reports();
        Path synthetic = tempDir.resolve("synthetic-strikes.jsonl");
        SyntheticReports.writeJsonLines(SYNTHETIC, synthetic, expected);

        try (KafkaClusterFixture cluster = KafkaClusterFixture.start(3);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
             HttpSchemaRegistryClient registryClient = registry.newClient()) {
            String bootstrap = cluster.bootstrapServers();
            try (Admin admin = cluster.createAdmin()) {
                admin.createTopics(EmbeddedStack.topics((short) 3)).all().get(60, TimeUnit.SECONDS);
            }
            TopicSerdes serdes = new TopicSerdes(registryClient, true);
            try (StreamsService streams = new StreamsService(
                    StreamsSettings.of(APPLICATION_ID, bootstrap).withReplicationFactor(3)
                            .withStateDir(tempDir.resolve("state").toString())
                            .withOverrides(Map.of(
                                    // After a leader change the transactional producer can retry a batch that the new
                                    // leader refuses with OUT_OF_ORDER_SEQUENCE_NUMBER over and over, until the
                                    // delivery timeout (120 s by default) ends it and Streams aborts and redoes the
                                    // transaction. 30 s bounds that stall (seen on a loaded 2-core machine).
                                    StreamsConfig.producerPrefix(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), 30_000,
                                    StreamsConfig.producerPrefix(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), 10_000)),
                    TopologySettings.defaults(serdes, new SimpleMeterRegistry()));
                 ReportPublisher publisher = ReportPublisher.create(bootstrap, SpecificRecordSerializer.of(serdes), Map.of())) {
                streams.start();
                Importer importer = new Importer(publisher,
                        Importer.kafkaIndexLoader(bootstrap, serdes, ImportTopics.DEFAULT, Duration.ofSeconds(60)),
                        WeaponClassifier.bundled(), Clock.systemUTC(), ImportTopics.DEFAULT);

                long importStart = System.nanoTime();
                ImportSummary real = importer.importFile(attackLog, ImportProgressListener.NONE);
                for (String ohchr : new String[] {"ohchr_civilian_casualties_monthly.csv", "ohchr_civilian_casualties_annual.csv"}) {
                    importer.importFile(ExpectedStrikeTotals.sharedData().resolve(ohchr), ImportProgressListener.NONE);
                }

                int leader = cluster.leaderOf(Topics.STRIKE_REPORTS, 0);
                long allAcknowledged = publisher.acknowledged() + SYNTHETIC; // the synthetic reports are all new
                AtomicReference<CompletableFuture<String>> fault = new AtomicReference<>();
                ImportSummary generated = importer.importFile(synthetic, ImportFormat.JSONL, ReportKind.STRIKE,
                        new ImportProgressListener() {
                            @Override
                            public void progressed(long rowsRead, long bytesRead) {
                                if (rowsRead == STOP_AT_ROW) {
                                    fault.set(CompletableFuture.supplyAsync(() -> stopLeader(cluster, publisher, leader, allAcknowledged)));
                                }
                            }
                        });
                long importMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - importStart);
                assertThat(fault.get()).as("the leader was stopped during the import").isNotNull();
                String faultFigures = fault.get().get(2, TimeUnit.MINUTES);
                assertThat(cluster.runningBrokerIds()).doesNotContain(leader);

                cluster.startBroker(leader);
                StreamsProgress.awaitCaughtUp(bootstrap, APPLICATION_ID, streams.topology(), Duration.ofMinutes(8));
                long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - importStart);

                assertThat(real.published()).as("every attack-log row with a count, once").isEqualTo(realReports);
                assertThat(generated.published()).isEqualTo(SYNTHETIC);
                assertThat(generated.rejected()).isZero();

                assertThat(strikeTotals(streams)).as("strike totals per Kyiv day, month and year")
                        .isEqualTo(expected.asText());
                long[] waveSums = waveSums(streams);
                assertThat(ExpectedStrikeTotals.text(waveSums[0], waveSums[1])).as("drones and missiles over all waves")
                        .isEqualTo(ExpectedStrikeTotals.text(expected.windowDrones(), expected.windowMissiles()));

                Map<String, Integer> perId = TopicKeys.countByKey(bootstrap, Topics.STRIKE_REPORTS, Duration.ofMinutes(1));
                assertThat(perId).as("distinct report ids on the topic").hasSize((int) expected.reports());
                assertThat(perId.values().stream().filter(n -> n > 1).count())
                        .as("ids written more than once (an idempotent producer writes none)").isZero();

                System.out.printf("leader failover: %s; imported %d + %d reports in %d ms, all aggregated in %d ms; "
                                + "streams producer retries %s; store periods %d%n", faultFigures, real.published(),
                        generated.published(), importMillis, totalMillis, FaultFigures.metricSum(streams.kafkaStreams(), "record-retry-total"),
                        expected.asText().size());
            }
        }
    }

    /**
     * Stops the broker and reports how long the stop, the new election and the resumed acknowledgements took: 1,000 more
     * after the election, or all of the import's if fewer are still outstanding (the parser threads may have read and
     * sent the whole file while the broker stopped).
     */
    private static String stopLeader(KafkaClusterFixture cluster, ReportPublisher publisher, int leader,
                                     long allAcknowledged) {
        long start = System.nanoTime();
        long acknowledgedBefore = publisher.acknowledged();
        cluster.stopBroker(leader);
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            int now = cluster.leaderOf(Topics.STRIKE_REPORTS, 0);
            return now >= 0 && now != leader;
        });
        long elected = System.nanoTime();
        long acknowledgedAtStop = publisher.acknowledged();
        long resumedAt = Math.min(acknowledgedAtStop + 1_000, allAcknowledged);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> publisher.acknowledged() >= resumedAt);
        long resumed = System.nanoTime();
        return String.format("broker %d (leader of %s-0) stopped in %d ms, new leader seen after %d ms; acknowledged: "
                        + "%,d before the stop, %,d of %,d when the new leader was seen, %,d after %d ms", leader,
                Topics.STRIKE_REPORTS, TimeUnit.NANOSECONDS.toMillis(stopped - start),
                TimeUnit.NANOSECONDS.toMillis(elected - start), acknowledgedBefore, acknowledgedAtStop, allAcknowledged,
                resumedAt, TimeUnit.NANOSECONDS.toMillis(resumed - start));
    }

    private static Map<String, String> strikeTotals(StreamsService streams) {
        Map<String, String> totals = new TreeMap<>();
        try (KeyValueIterator<String, StrikeTotals> it = streams.strikeTotals().all()) {
            it.forEachRemaining(kv -> totals.put(kv.key, ExpectedStrikeTotals.text(kv.value.getDrones(), kv.value.getMissiles())));
        }
        return totals;
    }

    private static long[] waveSums(StreamsService streams) {
        long[] sums = new long[2];
        try (KeyValueIterator<Long, WaveSummary> it = streams.waves().all()) {
            it.forEachRemaining(kv -> {
                sums[0] += kv.value.getDrones();
                sums[1] += kv.value.getMissiles();
            });
        }
        return sums;
    }
}
