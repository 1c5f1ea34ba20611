package io.conflictmon.deploy.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.schemas.registry.server.KafkaSchemaStore;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry goes down (its HTTP server stops; its schemas stay in their Kafka topic) and comes back on the
 * same port. Meanwhile: an ingest service that has not yet used the strike schema answers a batch with 503 and writes
 * none of it (serialization comes before any send); one that has it cached keeps accepting; a streams instance that
 * starts during the outage cannot read the reports' schema, fails its thread and retries instead of dead-lettering
 * good records, and once the registry is back it counts every accepted report exactly once.
 */
@Tag("fault")
class RegistryOutageTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void ingestAnswers503WithoutHalfPublishingAndStreamsResumesWhenTheRegistryIsBack() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<String> topics = new ArrayList<>();
        for (String prefix : List.of("outage-strikes", "outage-casualties", "outage-dlq", "outage-waves",
                "outage-strike-totals", "outage-casualty-totals", "outage-alerts")) {
            topics.add(KAFKA.createUniqueTopic(prefix, prefix.equals("outage-strikes") ? 3 : 1));
        }
        String schemasTopic = KafkaBrokerExtension.uniqueTopic("outage-schemas");
        ImportTopics ingestTopics = new ImportTopics(topics.get(0), topics.get(1), topics.get(2));
        String applicationId = KafkaBrokerExtension.uniqueTopic("outage-app");

        EmbeddedSchemaRegistry registry = registry(0, schemasTopic);
        int registryPort = registry.port();
        IngestConfig ingestConfig = IngestConfig.builder().bootstrapServers(bootstrap).schemaRegistryUrl(registry.url())
                .topics(ingestTopics).host("127.0.0.1").port(0).sendTimeout(Duration.ofSeconds(2))
                .retryAfter(Duration.ofSeconds(1)).build();
        try (IngestServer warm = IngestServer.start(ingestConfig);
             IngestServer cold = IngestServer.start(ingestConfig);
             HttpSchemaRegistryClient streamsRegistry = new HttpSchemaRegistryClient(registry.url())) {
            long expectedDrones = 0;
            assertThat(post(warm, batch("before", 10)).statusCode()).isEqualTo(202);
            expectedDrones += launchedOf(batch("before", 10));

            registry.close();
            long downAt = System.nanoTime();
            HttpResponse<String> refused = post(cold, batch("during", 20));
            long refusedMillis = FaultFigures.millisSince(downAt);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(HttpCalls.json(refused).get("error").asText()).isEqualTo("unavailable");
            // the schema is cached where it was used before: that service goes on accepting
            assertThat(post(warm, batch("cached", 5)).statusCode()).isEqualTo(202);
            expectedDrones += launchedOf(batch("cached", 5));

            TopologySettings topology = TopologySettings.defaults(new TopicSerdes(streamsRegistry, true),
                    new SimpleMeterRegistry()).withTopics(topics.get(0), topics.get(1), topics.get(2), topics.get(3),
                    topics.get(4), topics.get(5), topics.get(6));
            try (StreamsService streams = new StreamsService(StreamsSettings.of(applicationId, bootstrap)
                    .withStateDir(stateDir.toString())
                    // A failed thread does not leave the group: its replacement gets the tasks once the dead member's
                    // session expired (45 s by default, measured here). 6 s, the broker's minimum, keeps the test short.
                    .withOverrides(Map.of(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
                            StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500)),
                    topology)) {
                streams.start();
                // it reads the reports, cannot resolve their schema id, and fails the task instead of dead-lettering
                await().atMost(Duration.ofSeconds(60)).until(() -> failedThreads(streams.kafkaStreams()) >= 1);
                assertThat(streams.state()).isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING);

                registry = registry(registryPort, schemasTopic);
                long upAt = System.nanoTime();
                StreamsProgress.awaitCaughtUp(bootstrap, applicationId, streams.topology(), Duration.ofMinutes(2));
                long resumedMillis = FaultFigures.millisSince(upAt);

                // the refused batch is retried once the registry is back
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> post(cold, batch("during", 20)).statusCode() == 202);
                expectedDrones += launchedOf(batch("during", 20));
                StreamsProgress.awaitCaughtUp(bootstrap, applicationId, streams.topology(), Duration.ofMinutes(1));

                StrikeTotals year = streams.strikeTotals().get("2025");
                assertThat(year).isNotNull();
                assertThat(year.getReportCount()).isEqualTo(35);
                assertThat(year.getDrones()).isEqualTo(expectedDrones);
                Map<String, Integer> stored = TopicKeys.countByKey(bootstrap, topics.get(0), Duration.ofSeconds(30));
                assertThat(stored).hasSize(35);
                assertThat(TopicKeys.countByKey(bootstrap, topics.get(2), Duration.ofSeconds(30)))
                        .as("no good report dead-lettered for the outage").isEmpty();
                System.out.printf("registry outage: 503 after %d ms; streams failed %.0f thread(s) during the outage and "
                        + "caught up %d ms after the registry was back%n", refusedMillis,
                        failedThreads(streams.kafkaStreams()), resumedMillis);
            }
        } finally {
            registry.close();
        }
    }

    private static EmbeddedSchemaRegistry registry(int port, String schemasTopic) {
        return EmbeddedSchemaRegistry.on("127.0.0.1", port,
                new KafkaSchemaStore(KAFKA.bootstrapServers(), schemasTopic, Map.of(), Duration.ofSeconds(30)));
    }

    /** {@code count} drone reports of 2025, one a night, ids {@code outage-<name>-<k>}. */
    private static ArrayNode batch(String name, int count) {
        ArrayNode reports = HttpCalls.JSON.createArrayNode();
        for (int k = 0; k < count; k++) {
            LocalDate night = LocalDate.of(2025, 3, 1).plusDays(k + 40L * name.length());
            ObjectNode r = reports.addObject();
            r.put("id", "outage-" + name + "-" + k);
            r.put("source", "kpszsu");
            r.put("timeStart", night + "T01:00:00+02:00");
            r.put("timeEnd", night + "T05:00:00+02:00");
            r.put("timePrecision", "MINUTE");
            r.put("weaponModel", "Shahed-136/131");
            r.put("launched", 10 + k);
            r.put("destroyed", 5 + k);
        }
        return reports;
    }

    private static long launchedOf(ArrayNode batch) {
        long sum = 0;
        for (var report : batch) {
            sum += report.get("launched").asLong();
        }
        return sum;
    }

    private static HttpResponse<String> post(IngestServer server, ArrayNode batch) {
        return HttpCalls.postJson(server.url() + "/v1/strikes", batch.toString());
    }

    private static double failedThreads(KafkaStreams streams) {
        return FaultFigures.metricSum(streams, "failed-stream-threads");
    }
}
