package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.testutil.FuzzInputs;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.conflictmon.ingest.testutil.TopicContents;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input battery of issue 8 against a real {@link IngestServer} (default body limit, 1 MiB) on the suite's real
 * broker and a real registry over HTTP. Each named case sends one malformed request and checks: the exact 4xx status
 * and error code (never a 5xx), that nothing reached the report topics (their end offsets did not move), and the
 * dead-letter records it left: exactly the expected number, each with the expected reason code, or none for the
 * requests refused before their body is read (413, 415) or with nothing in it. A fuzzed run over HTTP follows.
 *
 * <p>Duplicate ids with different content: DESIGN.md makes the report id the idempotency key and a report with a known
 * id and new figures a correction that replaces the old one, so a second request with the same id and other figures
 * is accepted (202) and both versions sit on the compacted topic under that key, the later one winning; only inside one
 * request is a repeated id refused (IngestApiIntegrationTest#aBatchMustNotHoldTheSameIdTwice).
 */
class BadInputBatteryTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final int MAX_ITEMS = IngestApiIntegrationTest.MAX_ITEMS;

    static EmbeddedSchemaRegistry registry;
    static HttpSchemaRegistryClient readerClient;
    static TopicSerdes serdes;
    static ImportTopics topics;
    static IngestServer server;
    static HttpTestClient http;
    /** Request ids of the cases that must leave no dead letter, checked once at the end. */
    static final List<String> withoutDeadLetters = new ArrayList<>();
    /** Reads the dead-letter topic as it grows (one consumer for the whole battery: each case only polls). */
    static KafkaConsumer<String, byte[]> deadLetterReader;
    static final Map<String, List<RejectedRecord>> deadLetters = new HashMap<>();
    static Admin admin;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        readerClient = registry.newClient();
        serdes = new TopicSerdes(readerClient, false);
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        topics = new ImportTopics(KAFKA.createUniqueTopic("bad-strikes", 2, compacted),
                KAFKA.createUniqueTopic("bad-casualties", 2, compacted), KAFKA.createUniqueTopic("bad-dlq", 2));
        server = IngestServer.start(IngestApiIntegrationTest.config(KAFKA.bootstrapServers(), registry.url(), topics)
                .maxBodyBytes(IngestConfig.DEFAULT_MAX_BODY_BYTES).build(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        http = new HttpTestClient(server.url());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
        deadLetterReader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = deadLetterReader.partitionsFor(topics.deadLetters(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        deadLetterReader.assign(partitions);
        deadLetterReader.seekToBeginning(partitions);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (!withoutDeadLetters.isEmpty()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> deadLetterReader.endOffsets(
                        deadLetterReader.assignment()).entrySet().stream()
                        .allMatch(end -> deadLetterReader.position(end.getKey()) >= end.getValue() && pollDeadLetters()));
                assertThat(deadLetters.keySet()).as("dead letters of requests refused before reading")
                        .doesNotContainAnyElementsOf(withoutDeadLetters);
            }
        } finally {
            for (AutoCloseable closeable : new AutoCloseable[] {deadLetterReader, admin, server, readerClient, registry}) {
                if (closeable != null) {
                    closeable.close();
                }
            }
        }
    }

    /** One malformed request and what it must get. {@code deadLetters} records with {@code reasonCode} follow. */
    record Case(String name, String path, String contentType, Supplier<HttpRequest.BodyPublisher> body, int status,
            String error, int deadLetters, String reasonCode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case json(String name, String path, String body, int status, String error, int deadLetters) {
        return bytes(name, path, body.getBytes(StandardCharsets.UTF_8), status, error, deadLetters);
    }

    static Case bytes(String name, String path, byte[] body, int status, String error, int deadLetters) {
        return new Case(name, path, "application/json", () -> HttpRequest.BodyPublishers.ofByteArray(body), status,
                error, deadLetters, error);
    }

    static Case invalid(String name, String path, ObjectNode report) {
        return json(name, path, report.toString(), 400, ApiError.VALIDATION, 1);
    }

    static ObjectNode strike(Object... fieldsAndValues) {
        return edit(IngestApiIntegrationTest.strike(), fieldsAndValues);
    }

    static ObjectNode casualty(Object... fieldsAndValues) {
        return edit(IngestApiIntegrationTest.casualty(), fieldsAndValues);
    }

    static ObjectNode edit(ObjectNode report, Object... fieldsAndValues) {
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            IngestApiIntegrationTest.edited(report, (String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return report;
    }

    static Stream<Case> battery() {
        String strikes = IngestApi.STRIKES_PATH;
        String casualties = IngestApi.CASUALTIES_PATH;
        byte[] fiftyMegabytes = new byte[50 * 1024 * 1024];
        Arrays.fill(fiftyMegabytes, (byte) ' ');
        fiftyMegabytes[0] = '[';
        fiftyMegabytes[fiftyMegabytes.length - 1] = ']';
        byte[] invalidUtf8 = ("{\"source\": \"kps" + "\u0000" + "\"}").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 3] = (byte) 0xC3; // a lead byte followed by '"': not UTF-8
        String lastAllowed = "\"" + "x".repeat(JsonBodyReader.MAX_STRING_LENGTH + 1) + "\"";
        return Stream.of(
                // syntax
                json("broken JSON", strikes, "{\"source\": \"kpszsu\", \"launched\": ", 400, ApiError.MALFORMED_JSON, 1),
                json("single quotes", strikes, "{'source': 'kpszsu'}", 400, ApiError.MALFORMED_JSON, 1),
                json("two documents", casualties, casualty() + " " + casualty(), 400, ApiError.MALFORMED_JSON, 1),
                json("duplicate key", strikes, strike().toString().replace("\"launched\":242",
                        "\"launched\":242,\"launched\":5"), 400, ApiError.MALFORMED_JSON, 1),
                bytes("invalid UTF-8", strikes, invalidUtf8, 400, ApiError.MALFORMED_JSON, 1),
                json("a string, not a report", strikes, "\"kpszsu\"", 400, ApiError.WRONG_TYPE, 1),
                json("null", casualties, "null", 400, ApiError.WRONG_TYPE, 1),
                json("empty body", strikes, "", 400, ApiError.EMPTY_BODY, 0),
                json("empty array", strikes, "[]", 400, ApiError.EMPTY_BODY, 0),
                // limits
                json("deep nesting", strikes, "{\"targetRegions\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                        400, ApiError.JSON_LIMITS, 1),
                json("giant string", strikes, strike().put("source", "#").toString().replace("\"#\"", lastAllowed),
                        400, ApiError.JSON_LIMITS, 1),
                json("giant number", strikes, strike().toString().replace("\"launched\":242", "\"launched\":" + "9".repeat(1_000)), 400,
                        ApiError.JSON_LIMITS, 1),
                json("too many items", strikes, IntStream.range(0, MAX_ITEMS + 1).mapToObj(i -> strike().toString())
                        .collect(Collectors.joining(",", "[", "]")), 413, ApiError.TOO_MANY_ITEMS, 0),
                new Case("50 MB body, Content-Length", strikes, "application/json",
                        () -> HttpRequest.BodyPublishers.ofByteArray(fiftyMegabytes), 413, ApiError.BODY_TOO_LARGE, 0,
                        null),
                new Case("50 MB body, chunked", strikes, "application/json",
                        () -> HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(fiftyMegabytes)),
                        413, ApiError.BODY_TOO_LARGE, 0, null),
                new Case("form body", strikes, "application/x-www-form-urlencoded",
                        () -> HttpRequest.BodyPublishers.ofString("source=kpszsu&launched=5"), 415,
                        ApiError.UNSUPPORTED_MEDIA_TYPE, 0, null),
                // types and missing fields
                invalid("launched as a string", strikes, strike("launched", "12")),
                invalid("launched as a float", strikes, strike("launched", 12.5)),
                invalid("launched beyond int", strikes, strike("launched", 99_999_999_999L)),
                invalid("time as a number", strikes, strike("timeStart", 1_767_893_400)),
                invalid("time as a number in a string", strikes, strike("timeEnd", "1767942000")),
                invalid("date as an array", casualties, casualty("periodStart", List.of(2025, 1, 1))),
                invalid("targetRegions as an object", strikes, strike("targetRegions", Map.of("a", "b"))),
                invalid("unknown enum", strikes, strike("weaponClass", "HYPERSONIC_TEAPOT")),
                invalid("empty object", casualties, HttpTestClient.JSON.createObjectNode()),
                invalid("no launched", strikes, strike("launched", null)),
                invalid("no period", casualties, casualty("periodStart", null, "periodEnd", null)),
                // values
                invalid("negative launched", strikes, strike("launched", -5, "destroyed", null)),
                invalid("absurd launched", strikes, strike("launched", 1_000_000)),
                invalid("negative killed", casualties, casualty("killed", -1)),
                invalid("absurd injured", casualties, casualty("injured", 2_000_000_000)),
                invalid("more children killed than killed", casualties, casualty("childrenKilled", 2_515)),
                invalid("end before start", strikes, strike("timeEnd", "2026-01-08T19:29:00+02:00")),
                invalid("period end before start", casualties, casualty("periodEnd", "2024-12-31")),
                invalid("far-future strike", strikes, strike("timeStart", "2999-01-01T00:00:00Z",
                        "timeEnd", "2999-01-02T00:00:00Z")),
                invalid("far-future casualty year", casualties, casualty("periodStart", "2999-01-01",
                        "periodEnd", "2999-12-31")),
                invalid("before the conflict data", strikes, strike("timeStart", "1999-01-01T00:00:00Z")),
                invalid("long text under the JSON limit", strikes, strike("weaponModel", "m".repeat(10_000))),
                invalid("NUL in a text", strikes, strike("launchArea", "Kursk\u0000")),
                json("lone surrogate in a text", strikes, strike("source", "#").toString().replace("\"#\"",
                        "\"kpszsu\\ud800\""), 400, ApiError.VALIDATION, 1),
                invalid("id with spaces", strikes, strike("id", "drop table reports")),
                json("items that are not reports", strikes, "[1, \"two\", null]", 400, ApiError.VALIDATION, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("battery")
    void eachBadRequestIsA4xxAndChangesNoReportTopic(Case bad) throws Exception {
        long reportsBefore = reportEndOffsets();

        HttpResponse<String> response = http.post(bad.path(), bad.body().get(), "Content-Type", bad.contentType());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.status());
        JsonNode error = HttpTestClient.json(response);
        assertThat(error.get("error").textValue()).isEqualTo(bad.error());
        assertThat(error.get("message").textValue()).isNotBlank();
        assertThat(error.get("fields").isArray()).isTrue();
        if (bad.error().equals(ApiError.VALIDATION)) {
            assertThat(error.get("fields")).isNotEmpty().allSatisfy(f -> {
                assertThat(f.get("path").textValue()).isNotBlank();
                assertThat(f.get("message").textValue()).isNotBlank();
            });
        }
        assertThat(reportEndOffsets()).as("records on the report topics").isEqualTo(reportsBefore);

        String requestId = response.headers().firstValue(IngestApi.REQUEST_ID_HEADER).orElseThrow();
        if (bad.deadLetters() == 0) {
            withoutDeadLetters.add(requestId);
            return;
        }
        List<RejectedRecord> letters = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> pollDeadLetters() ? deadLetters.getOrDefault(requestId, List.of()) : List.of(),
                        l -> l.size() >= bad.deadLetters());
        assertThat(letters).hasSize(bad.deadLetters()).allSatisfy(letter -> {
            assertThat(letter.getSource()).isEqualTo(IngestApi.DEAD_LETTER_SOURCE);
            assertThat(letter.getReasonCode()).isEqualTo(bad.reasonCode());
            assertThat(letter.getReason()).isNotBlank();
            assertThat(letter.getPayload().remaining()).isPositive();
        });
    }

    @Test
    void aSecondReportWithTheSameIdAndOtherFiguresIsACorrection() {
        ObjectNode first = strike();
        String id = first.get("id").textValue();
        ObjectNode corrected = first.deepCopy().put("launched", 250).put("destroyed", 230);

        HttpResponse<String> original = http.postJson(IngestApi.STRIKES_PATH, first.toString());
        HttpResponse<String> correction = http.postJson(IngestApi.STRIKES_PATH, corrected.toString());

        assertThat(original.statusCode()).as(original.body()).isEqualTo(202);
        assertThat(correction.statusCode()).as(correction.body()).isEqualTo(202);
        List<StrikeReport> versions = TopicContents.read(KAFKA.bootstrapServers(), topics.strikeReports(),
                        serdes.strikeReport().deserializer()).stream()
                .filter(e -> e.key().equals(id)).map(TopicContents.Entry::value).toList();
        assertThat(versions).extracting(StrikeReport::getLaunched).containsExactly(242, 250); // the later one wins
    }

    @Test
    void fuzzedBodiesNeverGetA5xx() {
        List<String> bodies = FuzzInputs.jsonDocument().sampleStream().limit(200).toList();
        for (String body : bodies) {
            String path = body.contains("periodStart") ? IngestApi.CASUALTIES_PATH : IngestApi.STRIKES_PATH;
            HttpResponse<String> response = http.postJson(path + "?partial=true", body);
            assertThat(response.statusCode()).as("%.300s -> %s", body, response.body()).isIn(202, 400, 413);
            assertThat(HttpTestClient.json(response).isObject()).isTrue();
        }
    }

    /**
     * Adds what the dead-letter topic got since the last poll to {@link #deadLetters}, by request id (a letter's source
     * id is the request id, or it, a slash and the item's index); always true, for use in conditions.
     */
    static boolean pollDeadLetters() {
        for (ConsumerRecord<String, byte[]> record : deadLetterReader.poll(Duration.ofMillis(100))) {
            RejectedRecord letter = serdes.rejectedRecord().deserializer().deserialize(record.topic(), record.value());
            assertThat(record.key()).isEqualTo(letter.getSourceId());
            deadLetters.computeIfAbsent(record.key().split("/", 2)[0], k -> new ArrayList<>()).add(letter);
        }
        return true;
    }

    /** The sum of the end offsets of both report topics: how many records they ever got. */
    static long reportEndOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : List.of(topics.strikeReports(), topics.casualtyReports())) {
            for (int partition = 0; partition < 2; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

}
