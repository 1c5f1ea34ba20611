package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.publish.Fingerprints;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.ingest.testutil.TopicContents;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of its own, stopped while the API runs: a request then answers 503 with Retry-After within the send
 * timeout, and after the broker is back on the same data dir (same port) the retried request is accepted; the topic
 * holds each report id with one content only.
 */
class IngestBrokerOutageTest {
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;

    @Test
    void answers503WhileKafkaIsDownAndAcceptsTheRetryOnceItIsBack() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start();
        ImportTopics topics = new ImportTopics("outage-strikes", "outage-casualties", "outage-dlq");
        broker.createTopic(topics.strikeReports(), 3, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.casualtyReports(), 1, Map.of("cleanup.policy", "compact"));
        broker.createTopic(topics.deadLetters(), 1);
        IngestConfig config = IngestConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topics(topics)
                .host("127.0.0.1")
                .port(0)
                .sendTimeout(SEND_TIMEOUT)
                .retryAfter(Duration.ofSeconds(2))
                .schemaRegistryUrl("http://unused")
                .build();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
             HttpSchemaRegistryClient readerClient = registry.newClient();
             IngestServer server = IngestServer.start(config.toBuilder().schemaRegistryUrl(registry.url()).build(),
                     new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpTestClient http = new HttpTestClient(server.url());
            ObjectNode before = IngestApiIntegrationTest.strike();
            ObjectNode during = IngestApiIntegrationTest.strike();
            String beforeId = before.get("id").textValue();
            String duringId = during.get("id").textValue();

            assertThat(http.postJson("/v1/strikes", before.toString()).statusCode()).isEqualTo(202);

            broker.close();
            long start = System.nanoTime();
            HttpResponse<String> down = http.postJson("/v1/strikes", during.toString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).contains("2");
            assertThat(HttpTestClient.json(down).get("error").textValue()).isEqualTo("unavailable");
            assertThat(took).as("answered within the send timeout (plus the answer grace)")
                    .isLessThan(SEND_TIMEOUT.plusSeconds(2));
            assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);

            broker.start();
            assertThat(broker.bootstrapServers()).isEqualTo(config.bootstrapServers());
            AtomicInteger attempts = new AtomicInteger();
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                attempts.incrementAndGet();
                HttpResponse<String> retry = http.postJson("/v1/strikes", during.toString());
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
                assertThat(IngestApiIntegrationTest.texts(HttpTestClient.json(retry).get("ids"))).containsExactly(duringId);
            });
            HttpResponse<String> resent = http.postJson("/v1/strikes", before.toString());
            assertThat(resent.statusCode()).as(resent.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(http.get("/health/ready").statusCode()).isEqualTo(200));

            TopicSerdes serdes = new TopicSerdes(readerClient, false);
            Map<String, List<StrikeReport>> byKey = TopicContents.read(broker.bootstrapServers(), topics.strikeReports(),
                            serdes.strikeReport().deserializer()).stream()
                    .collect(Collectors.groupingBy(TopicContents.Entry::key,
                            Collectors.mapping(TopicContents.Entry::value, Collectors.toList())));
            assertThat(byKey).containsOnlyKeys(beforeId, duringId);
            assertThat(byKey.get(beforeId)).as("the first send and the explicit re-send").hasSize(2);
            // the 503 request may have landed late, and each retry that was answered 503 too: never more than the tries
            assertThat(byKey.get(duringId)).hasSizeBetween(1, attempts.get() + 1);
            byKey.forEach((id, versions) -> assertThat(versions.stream().map(Fingerprints::of).collect(Collectors.toSet()))
                    .as("one content per id: %s", id).hasSize(1));
            assertThat(Set.copyOf(byKey.get(duringId).stream().map(StrikeReport::getLaunched).toList()))
                    .containsExactly(during.get("launched").intValue());
        } finally {
            broker.close();
        }
    }
}
