package io.conflictmon.schemas.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.schemas.registry.CompatibilityChecker;
import io.conflictmon.schemas.registry.CompatibilityLevel;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.RegisteredSchema;
import io.conflictmon.schemas.registry.SchemaRegistryException;
import io.conflictmon.security.HttpSecurity;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the Confluent REST API subset the project needs, on Javalin, so Confluent's
 * serdes and our {@link HttpSchemaRegistryClient} can use it. Routes: {@code GET /}, {@code GET /subjects},
 * {@code GET|POST /subjects/{s}/versions}, {@code POST /subjects/{s}} (lookup), {@code GET
 * /subjects/{s}/versions/{v|latest}[/schema]}, {@code DELETE /subjects/{s}} (soft), {@code GET
 * /schemas/ids/{id}[?subject=]}, {@code GET /schemas/ids/{id}/subjects}, {@code GET /schemas/types}, {@code
 * POST /compatibility/subjects/{s}/versions[/{v|latest}]}, {@code GET|PUT /config}, {@code GET|PUT|DELETE
 * /config/{s}}. Error bodies are {@code {"error_code":N,"message":"..."}} with Confluent's codes.
 */
public class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = HttpSchemaRegistryClient.CONTENT_TYPE;
    private static final Set<String> ACCEPTED_REQUEST_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json",
            "application/json", "application/octet-stream");

    private final SchemaRegistryService service;
    private final Javalin app;
    private final String url;

    private EmbeddedSchemaRegistry(String host, int port, SchemaStore store) {
        Objects.requireNonNull(host, "host");
        this.service = new SchemaRegistryService(store);
        try {
            this.app = Javalin.create(config -> {
                config.showJavalinBanner = false;
                config.startupWatcherEnabled = false;
                HttpSecurity.configure(config);
            });
            HttpSecurity.install(app); // security headers, as on the API server
            routes(app);
            app.start(host, port);
        } catch (RuntimeException e) {
            service.close();
            throw new IllegalStateException("cannot start the schema registry on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        String urlHost = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
        this.url = "http://" + urlHost + ":" + app.port();
        log.info("Schema registry listening at {} (store: {})", url, store.description());
    }

    /** A registry whose state lives in this process only. Port 0 picks a free port. */
    public static EmbeddedSchemaRegistry inMemory(String host, int port) {
        return new EmbeddedSchemaRegistry(host, port, new InMemorySchemaStore());
    }

    /** A registry stored on the compacted {@code _schemas} topic of that cluster; it survives restarts. */
    public static EmbeddedSchemaRegistry onKafka(String host, int port, String bootstrapServers) {
        return onKafka(host, port, bootstrapServers, Map.of());
    }

    /** As {@link #onKafka(String, int, String)}, with extra Kafka client properties (TLS, SASL, ...). */
    public static EmbeddedSchemaRegistry onKafka(String host, int port, String bootstrapServers, Map<String, ?> kafkaClientProperties) {
        return on(host, port, new KafkaSchemaStore(bootstrapServers, io.conflictmon.schemas.Topics.SCHEMAS,
                kafkaClientProperties, Duration.ofSeconds(30)));
    }

    /** A registry on any store; the registry closes it. */
    public static EmbeddedSchemaRegistry on(String host, int port, SchemaStore store) {
        try {
            return new EmbeddedSchemaRegistry(host, port, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT} (or the bound host when it is a specific one). */
    public String url() {
        return url;
    }

    public int port() {
        return app.port();
    }

    /** The registry logic behind the HTTP routes, for in-process callers. */
    public SchemaRegistryService service() {
        return service;
    }

    /** A new HTTP client for this registry; the caller closes it. */
    public HttpSchemaRegistryClient newClient() {
        return new HttpSchemaRegistryClient(url);
    }

    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            service.close();
        }
    }

    private void routes(Javalin app) {
        app.before(this::checkContentType);
        app.exception(SchemaRegistryException.class, (e, ctx) -> error(ctx, e.httpStatus(), e.errorCode(), e.registryMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getStatus(), e.getMessage()));
        app.exception(JsonProcessingException.class, (e, ctx) ->
                error(ctx, 400, 400, "Request body is not valid JSON: " + e.getOriginalMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("Schema registry failed on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, 500, "Internal error: " + e);
        });

        app.get("/", ctx -> json(ctx, 200, JSON.createObjectNode()));
        app.get("/subjects", ctx -> json(ctx, 200, array(service.subjects())));
        app.get("/schemas/types", ctx -> json(ctx, 200, array(List.of("AVRO"))));
        app.get("/schemas/ids/{id}", ctx -> {
            // ?subject= only picks a schema context in Confluent; without contexts the id alone decides, as there
            Schema schema = service.schemaById(schemaId(ctx));
            json(ctx, 200, JSON.createObjectNode().put("schema", schema.toString()));
        });
        app.get("/schemas/ids/{id}/subjects", ctx -> json(ctx, 200, array(service.subjectsOf(schemaId(ctx)))));

        app.get("/subjects/{subject}/versions", ctx -> json(ctx, 200, array(service.versions(subject(ctx)))));
        app.post("/subjects/{subject}/versions", ctx -> {
            int id = service.register(subject(ctx), schemaFromBody(ctx));
            json(ctx, 200, JSON.createObjectNode().put("id", id));
        });
        app.post("/subjects/{subject}", ctx -> json(ctx, 200, registered(service.lookup(subject(ctx), schemaFromBody(ctx)))));
        app.delete("/subjects/{subject}", ctx -> {
            if (Boolean.parseBoolean(ctx.queryParam("permanent"))) {
                throw new SchemaRegistryException(501, 501, "Permanent deletion is not supported by the embedded registry");
            }
            json(ctx, 200, array(service.deleteSubject(subject(ctx))));
        });
        app.get("/subjects/{subject}/versions/{version}", ctx ->
                json(ctx, 200, registered(service.version(subject(ctx), ctx.pathParam("version")))));
        app.get("/subjects/{subject}/versions/{version}/schema", ctx -> {
            RegisteredSchema found = service.version(subject(ctx), ctx.pathParam("version"));
            ctx.status(200).contentType(CONTENT_TYPE).result(found.schema().toString().getBytes(StandardCharsets.UTF_8));
        });

        app.post("/compatibility/subjects/{subject}/versions", ctx -> compatibility(ctx, null));
        app.post("/compatibility/subjects/{subject}/versions/{version}", ctx -> compatibility(ctx, ctx.pathParam("version")));

        app.get("/config", ctx -> json(ctx, 200, level(service.compatibility(null))));
        app.put("/config", ctx -> {
            CompatibilityLevel level = levelFromBody(ctx);
            service.setCompatibility(null, level);
            json(ctx, 200, JSON.createObjectNode().put("compatibility", level.name()));
        });
        app.get("/config/{subject}", ctx -> {
            String subject = subject(ctx);
            CompatibilityLevel own = service.subjectCompatibility(subject).orElse(null);
            if (own == null && !Boolean.parseBoolean(ctx.queryParam("defaultToGlobal"))) {
                throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '" + subject + "' does not have subject-level compatibility configured");
            }
            json(ctx, 200, level(own != null ? own : service.compatibility(null)));
        });
        app.put("/config/{subject}", ctx -> {
            CompatibilityLevel level = levelFromBody(ctx);
            service.setCompatibility(subject(ctx), level);
            json(ctx, 200, JSON.createObjectNode().put("compatibility", level.name()));
        });
        app.delete("/config/{subject}", ctx ->
                json(ctx, 200, JSON.createObjectNode().put("compatibility", service.deleteSubjectCompatibility(subject(ctx)).name())));
    }

    private void compatibility(Context ctx, String version) throws JsonProcessingException {
        CompatibilityChecker.Result result = service.testCompatibility(subject(ctx), version, schemaFromBody(ctx));
        ObjectNode body = JSON.createObjectNode().put("is_compatible", result.compatible());
        if (Boolean.parseBoolean(ctx.queryParam("verbose"))) {
            body.set("messages", array(result.messages()));
        }
        json(ctx, 200, body);
    }

    private void checkContentType(Context ctx) {
        String method = ctx.method().name();
        if (!method.equals("POST") && !method.equals("PUT")) {
            return;
        }
        String type = ctx.header("Content-Type");
        if (type == null) {
            return;
        }
        String bare = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_REQUEST_TYPES.contains(bare)) {
            throw new SchemaRegistryException(415, 415, "Unsupported Content-Type '" + type + "'; send " + CONTENT_TYPE);
        }
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private static int schemaId(Context ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema not found: '" + ctx.pathParam("id") + "' is not a schema id");
        }
    }

    private static Schema schemaFromBody(Context ctx) throws JsonProcessingException {
        JsonNode body = JSON.readTree(ctx.body());
        if (body == null || !body.isObject()) {
            throw SchemaRegistryException.invalidSchema("request body must be a JSON object with a \"schema\" string", null);
        }
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw SchemaRegistryException.invalidSchema("schemaType " + type.asText() + " is not supported, only AVRO", null);
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw SchemaRegistryException.invalidSchema("schema references are not supported", null);
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw SchemaRegistryException.invalidSchema("request body lacks the \"schema\" string", null);
        }
        return SchemaRegistryService.parse(schema.textValue());
    }

    private static CompatibilityLevel levelFromBody(Context ctx) throws JsonProcessingException {
        JsonNode body = JSON.readTree(ctx.body());
        JsonNode level = body == null ? null : body.get("compatibility");
        if (level == null) {
            level = body == null ? null : body.get("compatibilityLevel");
        }
        try {
            return CompatibilityLevel.parse(level == null ? null : level.asText());
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level: " + e.getMessage());
        }
    }

    private static ObjectNode registered(RegisteredSchema found) {
        return JSON.createObjectNode().put("subject", found.subject()).put("version", found.version())
                .put("id", found.id()).put("schema", found.schema().toString());
    }

    private static ObjectNode level(CompatibilityLevel level) {
        return JSON.createObjectNode().put("compatibilityLevel", level.name());
    }

    private static ArrayNode array(List<?> items) {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(item -> {
            if (item instanceof Integer i) {
                array.add(i);
            } else {
                array.add(String.valueOf(item));
            }
        });
        return array;
    }

    private static void json(Context ctx, int status, JsonNode body) throws JsonProcessingException {
        ctx.status(status).contentType(CONTENT_TYPE).result(JSON.writeValueAsBytes(body));
    }

    private static void error(Context ctx, int status, int errorCode, String message) {
        ObjectNode body = JSON.createObjectNode().put("error_code", errorCode).put("message", message);
        ctx.status(status).contentType(CONTENT_TYPE).result(body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
