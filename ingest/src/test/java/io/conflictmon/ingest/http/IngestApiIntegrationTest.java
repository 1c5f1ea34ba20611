package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.publish.Fingerprints;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP ingest API against the suite's real broker and a real embedded schema registry: every status code, every
 * validation rule as a field path, partial mode, idempotent retries and dead letters, checked on the topics.
 */
class IngestApiIntegrationTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final int MAX_ITEMS = 50;
    static final long MAX_BODY = 64 * 1024;
    static final String TOKEN = "test-token-" + UUID.randomUUID();

    static EmbeddedSchemaRegistry registry;
    static HttpSchemaRegistryClient readerClient;
    static TopicSerdes serdes;
    static ImportTopics topics;
    static PrometheusMeterRegistry meters;
    static IngestServer server;
    static IngestServer authServer;
    static HttpTestClient http;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        readerClient = registry.newClient();
        serdes = new TopicSerdes(readerClient, false);
        topics = newTopics();
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = IngestServer.start(config(topics).build(), meters);
        http = new HttpTestClient(server.url());
        authServer = IngestServer.start(config(topics).bearerTokens(List.of("other-token", TOKEN)).build(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {authServer, server, readerClient, registry}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static ImportTopics newTopics() {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        return new ImportTopics(KAFKA.createUniqueTopic("http-strikes", 3, compacted),
                KAFKA.createUniqueTopic("http-casualties", 2, compacted), KAFKA.createUniqueTopic("http-dlq", 2));
    }

    static IngestConfig.Builder config(ImportTopics topics) {
        return config(KAFKA.bootstrapServers(), registry.url(), topics);
    }

    /** A test server's config: loopback, a free port, small limits, a 5 s send timeout. */
    static IngestConfig.Builder config(String bootstrapServers, String registryUrl, ImportTopics topics) {
        return IngestConfig.builder()
                .bootstrapServers(bootstrapServers)
                .schemaRegistryUrl(registryUrl)
                .topics(topics)
                .host("127.0.0.1")
                .port(0)
                .maxItems(MAX_ITEMS)
                .maxBodyBytes(MAX_BODY)
                .sendTimeout(Duration.ofSeconds(5));
    }

    // ---- reports ----

    static ObjectNode strike() {
        ObjectNode r = HttpTestClient.JSON.createObjectNode();
        r.put("id", "t-strike-" + UUID.randomUUID());
        r.put("source", "kpszsu");
        r.put("timeStart", "2026-01-08T19:30:00+02:00");
        r.put("timeEnd", "2026-01-09T09:00:00+02:00");
        r.put("timePrecision", "MINUTE");
        r.put("weaponModel", "Shahed-136/131");
        r.put("weaponClass", "ATTACK_DRONE");
        r.put("launched", 242);
        r.put("destroyed", 226);
        r.put("launchArea", "Primorsko-Akhtarsk");
        r.putArray("targetRegions").add("Kyiv oblast");
        return r;
    }

    static ObjectNode casualty() {
        ObjectNode r = HttpTestClient.JSON.createObjectNode();
        r.put("id", "t-casualty-" + UUID.randomUUID());
        r.put("source", "ohchr");
        r.put("periodStart", "2025-01-01");
        r.put("periodEnd", "2025-12-31");
        r.putNull("region");
        r.put("killed", 2514);
        r.put("injured", 12142);
        return r;
    }

    static ArrayNode array(JsonNode... reports) {
        ArrayNode array = HttpTestClient.JSON.createArrayNode();
        for (JsonNode r : reports) {
            array.add(r);
        }
        return array;
    }

    // ---- 202 ----

    @Test
    void acceptsOneStrikeReportAndPublishesItAsSent() {
        ObjectNode report = strike();
        HttpResponse<String> response = http.postJson("/v1/strikes", report.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = HttpTestClient.json(response);
        String id = report.get("id").textValue();
        assertThat(body.get("accepted").intValue()).isEqualTo(1);
        assertThat(body.get("ids")).containsExactly(HttpTestClient.JSON.valueToTree(id));
        assertThat(response.headers().firstValue(IngestApi.REQUEST_ID_HEADER)).isPresent();

        List<StrikeReport> published = strikesWithKey(id);
        assertThat(published).singleElement().satisfies(r -> {
            assertThat(r.getId()).isEqualTo(id);
            assertThat(r.getSource()).isEqualTo(report.get("source").textValue());
            assertThat(r.getTimeStart()).isEqualTo(OffsetDateTime.parse(report.get("timeStart").textValue()).toInstant());
            assertThat(r.getTimeEnd()).isEqualTo(OffsetDateTime.parse(report.get("timeEnd").textValue()).toInstant());
            assertThat(r.getTimePrecision()).isEqualTo(TimePrecision.valueOf(report.get("timePrecision").textValue()));
            assertThat(r.getWeaponClass()).isEqualTo(WeaponClass.valueOf(report.get("weaponClass").textValue()));
            assertThat(r.getWeaponModel()).isEqualTo(report.get("weaponModel").textValue());
            assertThat(r.getLaunched()).isEqualTo(report.get("launched").intValue());
            assertThat(r.getDestroyed()).isEqualTo(report.get("destroyed").intValue());
            assertThat(r.getLaunchArea()).isEqualTo(report.get("launchArea").textValue());
            assertThat(r.getTargetRegions()).containsExactly(report.get("targetRegions").get(0).textValue());
            assertThat(r.getReportedAt()).isBetween(Instant.now().minusSeconds(60), Instant.now());
        });
    }

    @Test
    void acceptsABatchOfCasualtyReportsAndKeysEachByItsId() {
        ObjectNode year = casualty();
        ObjectNode month = casualty();
        month.put("periodStart", "2025-03-01").put("periodEnd", "2025-03-31").put("killed", 164).put("injured", 910)
                .put("region", "Kharkiv oblast");
        ObjectNode derivedId = casualty();
        derivedId.remove("id");
        derivedId.put("periodStart", "2025-04-01").put("periodEnd", "2025-04-30");

        HttpResponse<String> response = http.postJson("/v1/casualties", array(year, month, derivedId).toString(),
                "Content-Type", "application/json; charset=UTF-8");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("accepted").intValue()).isEqualTo(3);
        List<String> ids = texts(body.get("ids"));
        assertThat(ids).hasSize(3).startsWith(year.get("id").textValue(), month.get("id").textValue());
        assertThat(ids.get(2)).isEqualTo("ohchr-2025-04"); // ReportIds: source slug and the month
        assertThat(body.has("rejected")).isFalse();

        Map<String, CasualtyReport> byKey = TopicContents.read(KAFKA.bootstrapServers(), topics.casualtyReports(),
                        serdes.casualtyReport().deserializer()).stream()
                .filter(e -> ids.contains(e.key()))
                .collect(Collectors.toMap(TopicContents.Entry::key, TopicContents.Entry::value));
        assertThat(byKey).containsOnlyKeys(ids);
        CasualtyReport monthly = byKey.get(month.get("id").textValue());
        assertThat(monthly.getPeriodStart()).isEqualTo(LocalDate.parse(month.get("periodStart").textValue()));
        assertThat(monthly.getKilled()).isEqualTo(month.get("killed").intValue());
        assertThat(monthly.getRegion()).isEqualTo(month.get("region").textValue());
        assertThat(byKey.get(year.get("id").textValue()).getRegion()).isNull();
    }

    @Test
    void aRetriedRequestGetsTheSameIdsAndTheTopicTheSameContent() {
        ObjectNode withId = strike();
        ObjectNode withoutId = strike();
        withoutId.remove("id");
        withoutId.put("launchArea", "Kursk " + UUID.randomUUID()); // a fresh derived id for this test run
        String body = array(withId, withoutId).toString();

        HttpResponse<String> first = http.postJson("/v1/strikes", body);
        HttpResponse<String> retry = http.postJson("/v1/strikes", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        List<String> ids = texts(HttpTestClient.json(first).get("ids"));
        assertThat(texts(HttpTestClient.json(retry).get("ids"))).isEqualTo(ids);
        assertThat(ids.get(0)).isEqualTo(withId.get("id").textValue());
        assertThat(ids.get(1)).startsWith("kpszsu-");

        for (String id : ids) {
            List<StrikeReport> versions = strikesWithKey(id);
            assertThat(versions).as("records of %s", id).hasSize(2);
            assertThat(Fingerprints.of(versions.get(1))).as("same content, only reportedAt differs")
                    .isEqualTo(Fingerprints.of(versions.get(0)));
        }
    }

    // ---- 400: every rule, with its path ----

    static Stream<Arguments> invalidReports() {
        String longText = "x".repeat(501);
        List<Object> regions = new ArrayList<>(IntStream.range(0, 101).mapToObj(i -> "region " + i).toList());
        return Stream.of(
                // strikes: mapping (types, enums, unknown fields)
                strikeCase("launched", "launched", 3.5),
                strikeCase("launched", "launched", "12"),
                strikeCase("launched", "launched", 99_999_999_999L),
                strikeCase("timeStart", "timeStart", "yesterday"),
                strikeCase("timePrecision", "timePrecision", "HOUR"),
                strikeCase("weaponClass", "weaponClass", "LASER"),
                strikeCase("targetRegions", "targetRegions", "Kyiv oblast"),
                strikeCase("lauched", "lauched", 5),
                strikeCase("source", "source", 17),
                // strikes: ReportValidator
                strikeCase("id", "id", " spaced id"),
                strikeCase("id", "id", "x".repeat(129)),
                strikeCase("source", "source", null),
                strikeCase("source", "source", "   "),
                strikeCase("source", "source", "s".repeat(101)),
                strikeCase("timeStart", "timeStart", null),
                strikeCase("timeStart", "timeStart", "2013-12-31T12:00:00Z"),
                strikeCase("timeEnd", "timeEnd", "2999-01-01T00:00:00Z"),
                strikeCase("timeEnd", "timeEnd", "2026-01-08T10:00:00Z"),
                strikeCase("timePrecision", "timePrecision", "UNKNOWN"),
                strikeCase("weaponModel", "weaponModel", null),
                strikeCase("weaponModel", "weaponModel", "m".repeat(201)),
                strikeCase("launched", "launched", null),
                strikeCase("launched", "launched", -1),
                strikeCase("launched", "launched", 5_001),
                strikeCase("destroyed", "destroyed", -3),
                strikeCase("destroyed", "destroyed", 243),
                strikeCase("launchArea", "launchArea", longText),
                strikeCase("launchArea", "launchArea", "line\nbreak"),
                strikeCase("targetRegions", "targetRegions", regions),
                strikeCase("targetRegions[1]", "targetRegions", List.of("Kyiv oblast", " ")),
                strikeCase("sourceRef", "sourceRef", "r".repeat(2_001)),
                // casualties
                casualtyCase("periodStart", "periodStart", null),
                casualtyCase("periodStart", "periodStart", "2025-13-01"),
                casualtyCase("periodStart", "periodStart", "2013-01-01"),
                casualtyCase("periodEnd", "periodEnd", "2024-12-31"),
                casualtyCase("periodEnd", "periodEnd", "2026-02-15"),
                casualtyCase("killed", "killed", null),
                casualtyCase("killed", "killed", -1),
                casualtyCase("injured", "injured", 1_000_001),
                casualtyCase("childrenKilled", "childrenKilled", 2_515),
                casualtyCase("childrenInjured", "childrenInjured", -2),
                casualtyCase("strikeReportId", "strikeReportId", "not an id"),
                casualtyCase("waveId", "waveId", "w".repeat(65)),
                casualtyCase("region", "region", "tab\there"),
                casualtyCase("source", "source", null),
                casualtyCase("extra", "extra", true));
    }

    static Arguments strikeCase(String expectedPath, String field, Object value) {
        return Arguments.of("/v1/strikes", expectedPath, edited(strike(), field, value), strike(), field + "=" + value);
    }

    static Arguments casualtyCase(String expectedPath, String field, Object value) {
        return Arguments.of("/v1/casualties", expectedPath, edited(casualty(), field, value), casualty(), field + "=" + value);
    }

    static ObjectNode edited(ObjectNode report, String field, Object value) {
        if (value == null) {
            report.remove(field);
        } else {
            report.set(field, HttpTestClient.JSON.valueToTree(value));
        }
        return report;
    }

    @ParameterizedTest(name = "{0} {4} -> {1}")
    @MethodSource("invalidReports")
    void eachRuleAnswers400WithTheFieldPath(String path, String expectedPath, ObjectNode invalid, ObjectNode valid,
            String change) {
        HttpResponse<String> single = http.postJson(path, invalid.toString());
        assertThat(single.statusCode()).as(single.body()).isEqualTo(400);
        assertThat(single.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = HttpTestClient.json(single);
        assertThat(error.get("error").textValue()).isEqualTo("validation");
        assertThat(error.get("message").textValue()).isNotBlank();
        assertThat(paths(error)).contains(expectedPath);
        assertThat(error.get("fields")).allSatisfy(f -> assertThat(f.get("message").textValue()).isNotBlank());

        // in a batch, the path starts with the index, and the valid reports are not published either
        ObjectNode alsoValid = valid.deepCopy().put("id", "t-other-" + UUID.randomUUID());
        HttpResponse<String> batch = http.postJson(path, array(valid, alsoValid, invalid).toString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(400);
        assertThat(paths(HttpTestClient.json(batch))).contains("[2]." + expectedPath).allMatch(p -> p.startsWith("[2]"));
    }

    @Test
    void anAllOrNothingBatchWithOneBadReportPublishesNothing() {
        ObjectNode good = strike();
        ObjectNode bad = edited(strike(), "launched", -5);
        HttpResponse<String> response = http.postJson("/v1/strikes", array(good, bad).toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(HttpTestClient.json(response).get("message").textValue()).contains("1 of 2", "partial=true");
        assertThat(strikesWithKey(good.get("id").textValue())).isEmpty();
    }

    @Test
    void aBatchMustNotHoldTheSameIdTwice() {
        ObjectNode report = strike();
        ObjectNode corrected = report.deepCopy().put("launched", 250);
        HttpResponse<String> response = http.postJson("/v1/strikes", array(report, corrected).toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(paths(HttpTestClient.json(response))).containsExactly("[1].id");
    }

    @Test
    void itemsThatAreNotObjectsAreNamedByTheirIndex() {
        HttpResponse<String> response = http.postJson("/v1/strikes", "[" + strike() + ", 17, null]");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(paths(HttpTestClient.json(response))).containsExactly("[1]", "[2]");
    }

    @Test
    void bodiesThatAreNotReportsAnswer400NotA500() {
        Map<String, String> expected = Map.of(
                "", "empty-body",
                "[]", "empty-body",
                "{\"launched\": ", "malformed-json",
                "{\"source\": \"kpszsu\"}}", "malformed-json",
                "\"just a string\"", "wrong-type",
                "[".repeat(5_000) + "]".repeat(5_000), "json-limits",
                "{\"source\": \"" + "s".repeat(JsonBodyReader.MAX_STRING_LENGTH + 10) + "\"}", "json-limits",
                "\u00ff\u00fe{", "malformed-json");
        expected.forEach((body, code) -> {
            HttpResponse<String> response = http.postJson("/v1/casualties", body);
            assertThat(response.statusCode()).as("%.40s -> %s", body, response.body()).isEqualTo(400);
            JsonNode error = HttpTestClient.json(response);
            assertThat(error.get("error").textValue()).isEqualTo(code);
            assertThat(error.get("fields").isArray()).isTrue();
        });
    }

    @Test
    void oddInputNeverCausesA500() {
        byte[] invalidUtf8 = {'{', '"', 's', 'o', 'u', 'r', 'c', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        List<byte[]> bodies = List.of(invalidUtf8,
                bytes("{\"source\": \"\\ud800 lone surrogate\", \"launched\": 1e400}"),
                bytes("{\"targetRegions\": [[[[[[[[\"deep\"]]]]]]]]}"),
                bytes("{\"launched\": -0.0, \"destroyed\": 1E+2}"),
                bytes("{\"id\": null, \"source\": null, \"targetRegions\": null}"),
                bytes("{\"source\": \"nul\\u0000char\"}"),
                bytes("[{}, [], \"\", 0, true]"),
                bytes("{\"" + "k".repeat(JsonBodyReader.MAX_NAME_LENGTH + 1) + "\": 1}"),
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
        for (byte[] body : bodies) {
            for (String path : List.of("/v1/strikes", "/v1/casualties?partial=true")) {
                HttpResponse<String> response = http.post(path, HttpRequest.BodyPublishers.ofByteArray(body),
                        "Content-Type", "application/json");
                assertThat(response.statusCode()).as("%s %s -> %s", path, new String(body, StandardCharsets.UTF_8),
                        response.body()).isEqualTo(400);
                assertThat(HttpTestClient.json(response).get("error").textValue()).isNotBlank();
            }
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- partial mode and dead letters ----

    @Test
    void partialModeAcceptsTheValidReportsAndListsTheOthers() {
        ObjectNode good1 = strike();
        ObjectNode bad = edited(strike(), "destroyed", 1_000);
        ObjectNode good2 = strike();
        HttpResponse<String> response = http.postJson("/v1/strikes?partial=true", array(good1, bad, good2).toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.get("accepted").intValue()).isEqualTo(2);
        assertThat(texts(body.get("ids"))).containsExactly(good1.get("id").textValue(), good2.get("id").textValue());
        assertThat(body.get("rejected")).singleElement().satisfies(rejected -> {
            assertThat(rejected.get("index").intValue()).isEqualTo(1);
            assertThat(rejected.get("id").textValue()).isEqualTo(bad.get("id").textValue());
            assertThat(rejected.get("error").textValue()).isEqualTo("validation");
            assertThat(paths(rejected)).containsExactly("[1].destroyed");
        });
        assertThat(strikesWithKey(good1.get("id").textValue())).hasSize(1);
        assertThat(strikesWithKey(good2.get("id").textValue())).hasSize(1);
        assertThat(strikesWithKey(bad.get("id").textValue())).isEmpty();

        String requestId = response.headers().firstValue(IngestApi.REQUEST_ID_HEADER).orElseThrow();
        RejectedRecord letter = awaitDeadLetters(requestId, 1).get(0);
        assertThat(letter.getSourceId()).isEqualTo(requestId + "/1");
        assertThat(letter.getFieldErrors()).extracting(e -> e.getPath()).containsExactly("destroyed");
    }

    @Test
    void partialModeWithoutAnyValidReportIsStillA400() {
        HttpResponse<String> response = http.postJson("/v1/strikes?partial=true",
                array(edited(strike(), "launched", -1), edited(strike(), "source", null)).toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(paths(HttpTestClient.json(response))).containsExactly("[0].launched", "[1].source");
    }

    @Test
    void refusedReportsAreDeadLetteredWithTheirExactBytes() {
        String bad1 = edited(casualty(), "killed", -1).toString().replace(",", ",\n  ");
        String good = casualty().toString();
        String bad2 = "{\"source\": \"ohchr\", \"periodStart\": \"2025-02-01\"}";
        String body = "[" + good + ",  " + bad1 + ",\n" + bad2 + "]";
        HttpResponse<String> response = http.postJson("/v1/casualties", body);

        assertThat(response.statusCode()).isEqualTo(400);
        String requestId = response.headers().firstValue(IngestApi.REQUEST_ID_HEADER).orElseThrow();
        List<RejectedRecord> letters = awaitDeadLetters(requestId, 2);
        assertThat(letters).extracting(RejectedRecord::getSourceId).containsExactlyInAnyOrder(requestId + "/1", requestId + "/2");
        Map<String, RejectedRecord> bySourceId = letters.stream()
                .collect(Collectors.toMap(RejectedRecord::getSourceId, l -> l));
        RejectedRecord first = bySourceId.get(requestId + "/1");
        assertThat(first.getSource()).isEqualTo("http");
        assertThat(first.getReasonCode()).isEqualTo("validation");
        assertThat(utf8(first.getPayload())).isEqualTo(bad1);
        assertThat(first.getFieldErrors()).extracting(e -> e.getPath()).containsExactly("killed");
        RejectedRecord second = bySourceId.get(requestId + "/2");
        assertThat(utf8(second.getPayload())).isEqualTo(bad2);
        assertThat(second.getFieldErrors()).extracting(e -> e.getPath()).contains("periodEnd", "killed", "injured");
        assertThat(second.getReason()).contains("periodEnd");
    }

    @Test
    void aBodyThatIsNotJsonIsDeadLetteredWhole() {
        String body = "{\"source\": \"kpszsu\", launched: 12}";
        HttpResponse<String> response = http.postJson("/v1/strikes", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(HttpTestClient.json(response).get("error").textValue()).isEqualTo("malformed-json");
        String requestId = response.headers().firstValue(IngestApi.REQUEST_ID_HEADER).orElseThrow();
        RejectedRecord letter = awaitDeadLetters(requestId, 1).get(0);
        assertThat(letter.getSourceId()).isEqualTo(requestId);
        assertThat(letter.getReasonCode()).isEqualTo("malformed-json");
        assertThat(utf8(letter.getPayload())).isEqualTo(body);
        assertThat(letter.getFieldErrors()).isEmpty();
    }

    // ---- 401, 413, 415, 404/405 ----

    @Test
    void withTokensConfiguredOnlyABearerTokenGetsIn() {
        HttpTestClient auth = new HttpTestClient(authServer.url());
        String report = strike().toString();
        for (String[] headers : List.of(new String[0], new String[] {"Authorization", "Bearer wrong-token"},
                new String[] {"Authorization", "Basic " + TOKEN}, new String[] {"Authorization", TOKEN})) {
            HttpResponse<String> refused = auth.postJson("/v1/strikes", report, headers);
            assertThat(refused.statusCode()).as(String.join(" ", headers)).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(refused.body()).doesNotContain(TOKEN).contains("\"error\":\"unauthorized\"");
        }
        HttpResponse<String> accepted = auth.postJson("/v1/strikes", report, "Authorization", "Bearer " + TOKEN);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        // the operations routes stay open for probes and Prometheus
        assertThat(auth.get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesAboveTheLimitAnswer413WithOrWithoutContentLength() {
        String big = "{\"source\": \"" + "s".repeat((int) MAX_BODY) + "\"}";
        HttpResponse<String> declared = http.postJson("/v1/strikes", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(HttpTestClient.json(declared).get("error").textValue()).isEqualTo("body-too-large");

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = http.post("/v1/strikes",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)),
                "Content-Type", "application/json");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(HttpTestClient.json(chunked).get("error").textValue()).isEqualTo("body-too-large");
    }

    @Test
    void arraysAboveTheItemLimitAnswer413AndPublishNothing() {
        List<ObjectNode> reports = IntStream.range(0, MAX_ITEMS + 1).mapToObj(i -> casualty()).toList();
        String body = array(reports.toArray(JsonNode[]::new)).toString();
        assertThat(body.length()).isLessThan((int) MAX_BODY);

        HttpResponse<String> response = http.postJson("/v1/casualties", body);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(HttpTestClient.json(response).get("error").textValue()).isEqualTo("too-many-items");

        HttpResponse<String> atTheLimit = http.postJson("/v1/casualties",
                array(reports.subList(0, MAX_ITEMS).toArray(JsonNode[]::new)).toString());
        assertThat(atTheLimit.statusCode()).as(atTheLimit.body()).isEqualTo(202);
        assertThat(HttpTestClient.json(atTheLimit).get("accepted").intValue()).isEqualTo(MAX_ITEMS);
    }

    @Test
    void onlyJsonIsAccepted() {
        String report = strike().toString();
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1")) {
            HttpResponse<String> response = http.post("/v1/strikes", HttpRequest.BodyPublishers.ofString(report),
                    "Content-Type", type);
            assertThat(response.statusCode()).as(type).isEqualTo(415);
            assertThat(HttpTestClient.json(response).get("error").textValue()).isEqualTo("unsupported-media-type");
        }
        HttpResponse<String> none = http.post("/v1/strikes", HttpRequest.BodyPublishers.ofString(report));
        assertThat(none.statusCode()).isEqualTo(415);
        HttpResponse<String> withCharset = http.post("/v1/strikes", HttpRequest.BodyPublishers.ofString(report),
                "Content-Type", "Application/JSON;charset=\"utf-8\"");
        assertThat(withCharset.statusCode()).as(withCharset.body()).isEqualTo(202);
    }

    @Test
    void unknownRoutesAndMethodsAnswerJsonErrors() {
        HttpResponse<String> notFound = http.get("/v1/nothing-here");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(HttpTestClient.json(notFound).get("error").textValue()).isEqualTo("not-found");
        HttpResponse<String> wrongMethod = http.get("/v1/strikes");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(HttpTestClient.json(wrongMethod).has("error")).isTrue();
    }

    // ---- 503 when the registry is down ----

    @Test
    void aRegistryThatIsDownAnswers503AndPublishesNothing() {
        ImportTopics ownTopics = newTopics();
        EmbeddedSchemaRegistry doomed = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        try (IngestServer ownServer = IngestServer.start(config(ownTopics).schemaRegistryUrl(doomed.url()).build(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            doomed.close();
            HttpResponse<String> response = new HttpTestClient(ownServer.url())
                    .postJson("/v1/strikes", array(strike(), strike()).toString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
            JsonNode error = HttpTestClient.json(response);
            assertThat(error.get("error").textValue()).isEqualTo("unavailable");
            assertThat(error.get("message").textValue()).contains("schema registry");
            assertThat(TopicContents.endOffsetSum(KAFKA.bootstrapServers(), ownTopics.strikeReports())).isZero();
        }
    }

    // ---- operations ----

    @Test
    void metricsCountAcceptedAndRejectedReportsInPrometheusFormat() {
        double acceptedBefore = metric("conflictmon_ingest_reports_accepted_total", "type=\"casualty\"");
        double rejectedBefore = metric("conflictmon_ingest_reports_rejected_total", "reason=\"validation\",type=\"casualty\"");
        int good = 3;
        HttpResponse<String> accepted = http.postJson("/v1/casualties",
                array(IntStream.range(0, good).mapToObj(i -> casualty()).toArray(JsonNode[]::new)).toString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        HttpResponse<String> refused = http.postJson("/v1/casualties",
                array(casualty(), edited(casualty(), "killed", -1), edited(casualty(), "injured", -1)).toString());
        assertThat(refused.statusCode()).isEqualTo(400);

        assertThat(metric("conflictmon_ingest_reports_accepted_total", "type=\"casualty\"")).isEqualTo(acceptedBefore + good);
        assertThat(metric("conflictmon_ingest_reports_rejected_total", "reason=\"validation\",type=\"casualty\""))
                .isEqualTo(rejectedBefore + 2);
        HttpResponse<String> scrape = http.get("/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(scrape.body()).contains("conflictmon_ingest_publish_seconds_bucket{", "conflictmon_ingest_requests_in_flight",
                "kafka_producer_", "jvm_memory_used_bytes");
    }

    @Test
    void healthReportsLiveAndReadyWhenTheTopicsAreThere() {
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = http.get("/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(HttpTestClient.json(ready).get("status").textValue()).isEqualTo("UP");
    }

    // ---- helpers ----

    static List<StrikeReport> strikesWithKey(String id) {
        return TopicContents.read(KAFKA.bootstrapServers(), topics.strikeReports(), serdes.strikeReport().deserializer())
                .stream().filter(e -> id.equals(e.key())).map(TopicContents.Entry::value).toList();
    }

    /** Dead letters are written after the answer; waits until the request's are all there. */
    static List<RejectedRecord> awaitDeadLetters(String requestId, int expected) {
        List<RejectedRecord> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            found.clear();
            TopicContents.read(KAFKA.bootstrapServers(), topics.deadLetters(), serdes.rejectedRecord().deserializer())
                    .stream().filter(e -> e.key().equals(requestId) || e.key().startsWith(requestId + "/"))
                    .forEach(e -> {
                        assertThat(e.key()).isEqualTo(e.value().getSourceId());
                        found.add(e.value());
                    });
            assertThat(found).hasSize(expected);
        });
        return found;
    }

    static List<String> paths(JsonNode error) {
        List<String> paths = new ArrayList<>();
        error.get("fields").forEach(f -> paths.add(f.get("path").textValue()));
        return paths;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.textValue()));
        return texts;
    }

    static String utf8(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static double metric(String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels) + "[^}]*\\} (\\S+)$")
                .matcher(http.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }
}
