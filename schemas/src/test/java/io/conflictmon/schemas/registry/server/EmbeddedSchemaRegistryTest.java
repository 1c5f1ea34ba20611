package io.conflictmon.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.registry.CompatibilityLevel;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.RegisteredSchema;
import io.conflictmon.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded registry over real HTTP: raw requests for the exact Confluent shapes, and our client. */
class EmbeddedSchemaRegistryTest {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SUBJECTS = new AtomicInteger();

    private static EmbeddedSchemaRegistry registry;
    private static HttpSchemaRegistryClient client;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        client = registry.newClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        registry.close();
    }

    /** A subject no other test uses (they share one registry). */
    private static String freshSubject() {
        return "test-" + SUBJECTS.incrementAndGet() + "-value";
    }

    private static Schema record(String name, String... intFields) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(name).namespace("t").fields();
        for (String field : intFields) {
            fields = fields.requiredInt(field);
        }
        return fields.endRecord();
    }

    @Test
    void rootAnswersAnEmptyObject() throws Exception {
        Response response = call("GET", "/", null);
        assertThat(response.status).isEqualTo(200);
        assertThat(response.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(response.json).isEqualTo(JSON.createObjectNode());
        assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + registry.port());
    }

    @Test
    void registerIsIdempotentAndIdsAreGlobalAcrossSubjects() throws Exception {
        String subject = freshSubject();
        String schema = StrikeReport.getClassSchema().toString();

        Response first = call("POST", "/subjects/" + subject + "/versions", body(schema));
        assertThat(first.status).isEqualTo(200);
        assertThat(first.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(fieldNames(first.json)).containsExactly("id");
        int id = first.json.get("id").intValue();

        Response again = call("POST", "/subjects/" + subject + "/versions", body(schema));
        assertThat(again.json.get("id").intValue()).isEqualTo(id);
        assertThat(call("GET", "/subjects/" + subject + "/versions", null).json).isEqualTo(JSON.readTree("[1]"));

        String other = freshSubject();
        assertThat(call("POST", "/subjects/" + other + "/versions", body(schema)).json.get("id").intValue()).isEqualTo(id);
        // the same schema with other whitespace is the same schema
        String reformatted = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(schema));
        assertThat(call("POST", "/subjects/" + other + "/versions", body(reformatted)).json.get("id").intValue()).isEqualTo(id);
        assertThat(call("GET", "/schemas/ids/" + id + "/subjects", null).json.toString())
                .contains(subject).contains(other);
    }

    @Test
    void lookupLatestAndByIdHaveTheConfluentShapes() throws Exception {
        String subject = freshSubject();
        Schema v1 = record("Shape", "a");
        Schema v2 = SchemaBuilder.record("Shape").namespace("t").fields().requiredInt("a")
                .name("b").type().intType().intDefault(7).endRecord();
        int id1 = client.register(subject, v1);
        int id2 = client.register(subject, v2);
        assertThat(id2).isNotEqualTo(id1);

        Response lookup = call("POST", "/subjects/" + subject, body(v1.toString()));
        assertThat(lookup.status).isEqualTo(200);
        assertThat(fieldNames(lookup.json)).containsExactlyInAnyOrder("subject", "version", "id", "schema");
        assertThat(lookup.json.get("subject").asText()).isEqualTo(subject);
        assertThat(lookup.json.get("version").intValue()).isEqualTo(1);
        assertThat(lookup.json.get("id").intValue()).isEqualTo(id1);
        assertThat(new Schema.Parser().parse(lookup.json.get("schema").asText())).isEqualTo(v1);

        Response latest = call("GET", "/subjects/" + subject + "/versions/latest", null);
        assertThat(fieldNames(latest.json)).containsExactlyInAnyOrder("subject", "version", "id", "schema");
        assertThat(latest.json.get("version").intValue()).isEqualTo(2);
        assertThat(latest.json.get("id").intValue()).isEqualTo(id2);
        assertThat(call("GET", "/subjects/" + subject + "/versions/1", null).json.get("id").intValue()).isEqualTo(id1);
        assertThat(call("GET", "/subjects/" + subject + "/versions/-1", null).json.get("version").intValue()).isEqualTo(2);

        Response raw = call("GET", "/subjects/" + subject + "/versions/1/schema", null);
        assertThat(new Schema.Parser().parse(raw.body)).isEqualTo(v1);

        Response byId = call("GET", "/schemas/ids/" + id2, null);
        assertThat(fieldNames(byId.json)).containsExactly("schema");
        assertThat(new Schema.Parser().parse(byId.json.get("schema").asText())).isEqualTo(v2);
        assertThat(call("GET", "/schemas/ids/" + id2 + "?subject=" + subject, null).status).isEqualTo(200);
        // Confluent's deserializers add ?subject= (and fetchMaxId); without schema contexts the id alone decides
        assertThat(call("GET", "/schemas/ids/" + id2 + "?fetchMaxId=false&subject=elsewhere-value", null).status).isEqualTo(200);

        assertThat(call("GET", "/subjects", null).json.toString()).contains("\"" + subject + "\"");
        assertThat(client.getLatest(subject)).isEqualTo(new RegisteredSchema(subject, 2, id2, v2));
        assertThat(client.getVersion(subject, 1)).isEqualTo(new RegisteredSchema(subject, 1, id1, v1));
        assertThat(client.lookup(subject, v2).version()).isEqualTo(2);
        assertThat(client.getById(id1)).isEqualTo(v1);
        assertThat(client.versions(subject)).containsExactly(1, 2);
        assertThat(client.subjects()).contains(subject);
    }

    @Test
    void notFoundAndInvalidInputUseConfluentErrorCodes() throws Exception {
        String subject = freshSubject();
        assertError(call("GET", "/subjects/" + subject + "/versions", null), 404, 40401);
        assertError(call("GET", "/subjects/" + subject + "/versions/latest", null), 404, 40401);
        assertError(call("POST", "/subjects/" + subject, body(record("X", "a").toString())), 404, 40401);
        assertError(call("GET", "/schemas/ids/987654", null), 404, 40403);

        client.register(subject, record("X", "a"));
        assertError(call("POST", "/subjects/" + subject, body(record("Y", "a").toString())), 404, 40403);
        assertError(call("GET", "/subjects/" + subject + "/versions/99", null), 404, 40402);
        assertError(call("GET", "/subjects/" + subject + "/versions/abc", null), 422, 42202);
        assertError(call("GET", "/subjects/" + subject + "/versions/0", null), 422, 42202);

        assertError(call("POST", "/subjects/" + subject + "/versions", body("{\"type\": \"record\", \"name\": ")), 422, 42201);
        assertError(call("POST", "/subjects/" + subject + "/versions", body("{\"type\": \"nonsense\"}")), 422, 42201);
        assertError(call("POST", "/subjects/" + subject + "/versions", "{\"schema\": 5}"), 422, 42201);
        assertError(call("POST", "/subjects/" + subject + "/versions",
                "{\"schema\": \"{}\", \"schemaType\": \"PROTOBUF\"}"), 422, 42201);
        assertError(call("PUT", "/config/" + subject, "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
        assertError(call("POST", "/subjects/" + subject + "/versions", "not json"), 400, 400);

        Response wrongType = send("POST", "/subjects/" + subject + "/versions", body(record("X", "a").toString()), "text/plain");
        assertError(wrongType, 415, 415);
        Response plainJson = send("POST", "/subjects/" + subject + "/versions", body(record("X", "a").toString()), "application/json");
        assertThat(plainJson.status).isEqualTo(200);

        assertThatThrownBy(() -> client.getLatest("missing-" + subject))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.getMessage()).contains("missing-" + subject);
                });
        assertThatThrownBy(() -> client.getById(987654))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    @Test
    void backwardRefusesAFieldWithoutDefaultAndNoneAcceptsIt() throws Exception {
        String subject = freshSubject();
        client.register(subject, record("Evolving", "a"));
        Schema breaking = record("Evolving", "a", "b"); // b has no default: old data cannot be read

        Response refused = call("POST", "/subjects/" + subject + "/versions", body(breaking.toString()));
        assertError(refused, 409, 409);
        assertThat(refused.json.get("message").asText())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("version 1").contains("b");

        Response check = call("POST", "/compatibility/subjects/" + subject + "/versions/latest?verbose=true", body(breaking.toString()));
        assertThat(check.status).isEqualTo(200);
        assertThat(check.json.get("is_compatible").booleanValue()).isFalse();
        assertThat(check.json.get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        Response terse = call("POST", "/compatibility/subjects/" + subject + "/versions/1", body(breaking.toString()));
        assertThat(fieldNames(terse.json)).containsExactly("is_compatible");
        assertThat(client.testCompatibility(subject, breaking)).isFalse();
        assertThat(client.checkCompatibility(subject, breaking).messages()).isNotEmpty();
        assertThat(client.testCompatibility(subject, record("Evolving", "a"))).isTrue();
        assertThat(client.testCompatibility("no-such-" + subject, breaking)).isTrue();
        assertThatThrownBy(() -> client.register(subject, breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));

        Response put = call("PUT", "/config/" + subject, "{\"compatibility\": \"NONE\"}");
        assertThat(put.status).isEqualTo(200);
        assertThat(put.json).isEqualTo(JSON.readTree("{\"compatibility\":\"NONE\"}"));
        assertThat(call("GET", "/config/" + subject, null).json).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"NONE\"}"));
        assertThat(call("GET", "/config", null).json).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"));

        Response accepted = call("POST", "/subjects/" + subject + "/versions", body(breaking.toString()));
        assertThat(accepted.status).isEqualTo(200);
        assertThat(client.versions(subject)).containsExactly(1, 2);
    }

    @Test
    void perSubjectConfigFallsBackToGlobal() throws Exception {
        String subject = freshSubject();
        assertError(call("GET", "/config/" + subject, null), 404, 40408);
        assertThat(call("GET", "/config/" + subject + "?defaultToGlobal=true", null).json)
                .isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"BACKWARD\"}"));
        assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);

        client.setCompatibility(subject, CompatibilityLevel.FORWARD_TRANSITIVE);
        assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
        assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);

        Response removed = call("DELETE", "/config/" + subject, null);
        assertThat(removed.json).isEqualTo(JSON.readTree("{\"compatibility\":\"FORWARD_TRANSITIVE\"}"));
        assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void fullTransitiveChecksEveryVersionWhileFullChecksTheLatest() throws Exception {
        String subject = freshSubject();
        client.setCompatibility(subject, CompatibilityLevel.FULL_TRANSITIVE);
        Schema v1 = record("Full", "a");
        Schema v2 = SchemaBuilder.record("Full").namespace("t").fields().name("a").type().intType().intDefault(0).endRecord();
        Schema v3 = SchemaBuilder.record("Full").namespace("t").fields().endRecord(); // drops a: v1 readers need it
        client.register(subject, v1);
        client.register(subject, v2);

        Response refused = call("POST", "/subjects/" + subject + "/versions", body(v3.toString()));
        assertError(refused, 409, 409);
        assertThat(refused.json.get("message").asText()).contains("FORWARD: version 1 cannot read").doesNotContain("version 2");
        // against the latest version alone it is fine, in both directions
        assertThat(client.testCompatibility(subject, v3)).isTrue();
        Response all = call("POST", "/compatibility/subjects/" + subject + "/versions?verbose=true", body(v3.toString()));
        assertThat(all.json.get("is_compatible").booleanValue()).isFalse();

        client.setCompatibility(subject, CompatibilityLevel.FULL);
        assertThat(client.register(subject, v3)).isPositive();
        assertThat(client.versions(subject)).containsExactly(1, 2, 3);
    }

    @Test
    void softDeletedSubjectsDisappearAndKeepTheirIds() throws Exception {
        String subject = freshSubject();
        Schema schema = record("Deleted", "a");
        int id = client.register(subject, schema);

        Response deleted = call("DELETE", "/subjects/" + subject, null);
        assertThat(deleted.json).isEqualTo(JSON.readTree("[1]"));
        assertThat(client.subjects()).doesNotContain(subject);
        assertError(call("GET", "/subjects/" + subject + "/versions", null), 404, 40401);
        assertThat(call("GET", "/schemas/ids/" + id, null).status).isEqualTo(200);

        // a fresh client: the shared one caches the registration made before the delete, as Confluent's does
        try (HttpSchemaRegistryClient fresh = registry.newClient()) {
            assertThat(fresh.register(subject, schema)).isEqualTo(id);
            assertThat(fresh.versions(subject)).containsExactly(2);
        }
    }

    @Test
    void subjectsAreUrlEncoded() {
        String subject = "odd subject+name:ü-" + SUBJECTS.incrementAndGet();
        int id = client.register(subject, record("Odd", "a"));
        assertThat(client.getLatest(subject).subject()).isEqualTo(subject);
        assertThat(client.subjects()).contains(subject);
        assertThat(client.getLatest(subject).id()).isEqualTo(id);
    }

    @Test
    void unreachableRegistryIsReportedWithItsUrl() throws Exception {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String deadUrl = "http://127.0.0.1:" + deadPort;
        try (HttpSchemaRegistryClient dead = new HttpSchemaRegistryClient(deadUrl)) {
            assertThatThrownBy(() -> dead.getById(1))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.UNREACHABLE);
                        assertThat(e.getMessage()).contains("schema registry at " + deadUrl + " unreachable");
                    });
        }
        // with a second URL the client moves on to the live one
        try (HttpSchemaRegistryClient failover = new HttpSchemaRegistryClient(deadUrl + "," + registry.url())) {
            assertThat(failover.subjects()).isEqualTo(client.subjects());
        }
    }

    // --- raw HTTP ---

    private record Response(int status, String contentType, String body, JsonNode json) {
    }

    private static String body(String schema) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    }

    private static Response call(String method, String path, String body) throws Exception {
        return send(method, path, body, CONTENT_TYPE);
    }

    private static Response send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Accept", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body(), json);
    }

    private static void assertError(Response response, int status, int errorCode) {
        assertThat(response.status).as(response.body).isEqualTo(status);
        assertThat(response.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(fieldNames(response.json)).containsExactlyInAnyOrder("error_code", "message");
        assertThat(response.json.get("error_code").intValue()).as(response.body).isEqualTo(errorCode);
        assertThat(response.json.get("message").asText()).isNotBlank();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
