package io.conflictmon.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Confluent Schema Registry REST API (Confluent, Karapace, Apicurio ccompat, Redpanda, the
 * embedded registry) on the JDK's pooled {@link HttpClient}. Confluent's own client is not on Maven Central,
 * hence this small one. Caches schema-to-id per subject and id-to-schema both ways, so steady-state
 * serialization makes no HTTP call. Several comma-separated URLs are tried in turn when one is unreachable.
 * Thread-safe.
 */
public class HttpSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** {@code user:password} for HTTP basic auth (Confluent's name; the {@code schema.registry.} prefixed form works too). */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "http.read.timeout.ms";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final AtomicInteger current = new AtomicInteger();
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String authorization;

    private final Map<String, Map<String, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, RegisteredSchema>> versionsBySubject = new ConcurrentHashMap<>();

    /** @param urls one registry URL or several, comma-separated */
    public HttpSchemaRegistryClient(String urls) {
        this(urls, Map.of());
    }

    /** @param config Confluent-style client settings: basic auth ({@value #BASIC_AUTH_USER_INFO}), timeouts */
    public HttpSchemaRegistryClient(String urls, Map<String, ?> config) {
        this(parseUrls(urls), millis(config, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT),
                millis(config, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT), userInfo(urls, config));
    }

    /** @param basicAuthUserInfo {@code user:password}, or null for no authentication */
    public HttpSchemaRegistryClient(List<URI> baseUrls, Duration connectTimeout, Duration requestTimeout, String basicAuthUserInfo) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no schema registry URL given");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** The registry URLs this client talks to. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    @Override
    public int register(String subject, Schema schema) {
        String text = schema.toString();
        Map<String, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(text);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text));
        int id = requiredInt(answer, "id");
        remember(subject, text, id, schema);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        String text = schema.toString();
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(text));
        RegisteredSchema found = registered(subject, answer);
        remember(subject, text, found.id(), schema);
        return found;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(requiredText(answer, "schema"));
        schemasById.putIfAbsent(id, schema);
        return schemasById.get(id);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        RegisteredSchema latest = registered(subject, send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
        versionsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(latest.version(), latest);
        return latest;
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        Map<Integer, RegisteredSchema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        RegisteredSchema cached = versions.get(version);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema found = registered(subject, send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
        versions.put(found.version(), found);
        return found;
    }

    @Override
    public List<String> subjects() {
        List<String> out = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> out.add(node.asText()));
        return out;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> out = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> out.add(node.asInt()));
        return out;
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        return checkCompatibility(subject, schema).compatible();
    }

    /**
     * Like {@link #testCompatibility} with the registry's reasons ({@code ?verbose=true}); compatible with no
     * messages when the subject has no versions yet.
     */
    public CompatibilityChecker.Result checkCompatibility(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    schemaBody(schema.toString()));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return new CompatibilityChecker.Result(true, List.of());
            }
            throw e;
        }
        JsonNode compatible = answer.get("is_compatible");
        if (compatible == null || !compatible.isBoolean()) {
            throw unexpected("is_compatible", answer);
        }
        List<String> messages = new ArrayList<>();
        JsonNode list = answer.get("messages");
        if (list != null) {
            list.forEach(node -> messages.add(node.asText()));
        }
        return new CompatibilityChecker.Result(compatible.booleanValue(), messages);
    }

    @Override
    public CompatibilityLevel getCompatibility(String subjectOrNullForGlobal) {
        if (subjectOrNullForGlobal != null) {
            try {
                return level(send("GET", "/config/" + encode(subjectOrNullForGlobal) + "?defaultToGlobal=true", null));
            } catch (SchemaRegistryException e) {
                // registries that ignore defaultToGlobal answer 40408 (or 40401) for a subject without its own level
                if (e.httpStatus() != 404) {
                    throw e;
                }
            }
        }
        return level(send("GET", "/config", null));
    }

    @Override
    public void setCompatibility(String subjectOrNullForGlobal, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        String path = subjectOrNullForGlobal == null ? "/config" : "/config/" + encode(subjectOrNullForGlobal);
        send("PUT", path, body);
    }

    @Override
    public void close() {
        idsBySubject.clear();
        versionsBySubject.clear();
        // HttpClient became AutoCloseable in Java 21; on 17 its threads are daemons that end with it
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("closing the HTTP client failed", e);
            }
        }
    }

    private void remember(String subject, String text, int id, Schema schema) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(text, id);
        schemasById.putIfAbsent(id, schema);
    }

    private RegisteredSchema registered(String subject, JsonNode answer) {
        int id = requiredInt(answer, "id");
        int version = requiredInt(answer, "version");
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(requiredText(answer, "schema")));
        String name = answer.hasNonNull("subject") ? answer.get("subject").asText() : subject;
        return new RegisteredSchema(name, version, id, schema);
    }

    private static CompatibilityLevel level(JsonNode answer) {
        JsonNode level = answer.hasNonNull("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
        if (level == null) {
            throw unexpected("compatibilityLevel", answer);
        }
        return CompatibilityLevel.parse(level.asText());
    }

    private static ObjectNode schemaBody(String schemaText) {
        // schemaType is optional and AVRO is the default; omitted for registries that predate it
        return JSON.createObjectNode().put("schema", schemaText);
    }

    private JsonNode send(String method, String pathAndQuery, JsonNode body) {
        String payload;
        try {
            payload = body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
        int start = current.get();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (start + attempt) % baseUrls.size();
            URI base = baseUrls.get(index);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(base.toString()) + pathAndQuery))
                    .timeout(requestTimeout)
                    .header("Accept", CONTENT_TYPE)
                    .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
            if (payload != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e;
                log.debug("schema registry at {} unreachable for {} {}", base, method, pathAndQuery, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE,
                        "interrupted while calling the schema registry at " + base, e);
            }
            current.set(index);
            return answer(base, method, pathAndQuery, response);
        }
        String tried = baseUrls.size() == 1 ? baseUrls.get(0).toString() : baseUrls.toString();
        throw new SchemaRegistryException(SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE,
                "schema registry at " + tried + " unreachable: " + describe(lastFailure), lastFailure);
    }

    private static JsonNode answer(URI base, String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        JsonNode json = null;
        try {
            json = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            if (status < 400) {
                throw new SchemaRegistryException(status, status, "schema registry at " + base + " answered " + method + " "
                        + path + " with a body that is not JSON: " + abbreviate(text), e);
            }
        }
        if (status >= 200 && status < 300) {
            return json;
        }
        int errorCode = json != null && json.hasNonNull("error_code") ? json.get("error_code").asInt(status) : status;
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText() : abbreviate(text);
        throw new SchemaRegistryException(status, errorCode, message + " [" + method + " " + base + stripQuery(path) + "]");
    }

    private static SchemaRegistryException unexpected(String field, JsonNode answer) {
        return new SchemaRegistryException(200, 200, "schema registry answer lacks '" + field + "': " + abbreviate(answer.toString()));
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw unexpected(field, answer);
        }
        return node.intValue();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || !node.isTextual()) {
            throw unexpected(field, answer);
        }
        return node.textValue();
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(200, 200, "schema registry returned a schema that does not parse: " + e.getMessage(), e);
        }
    }

    /** Path-segment encoding: URLEncoder's form encoding, but space as %20 (a '+' in a path is a literal plus). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(IOException e) {
        if (e == null) {
            return "no answer";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    private static List<URI> parseUrls(String urls) {
        if (urls == null || urls.isBlank()) {
            throw new IllegalArgumentException("schema registry URL is empty");
        }
        List<URI> out = new ArrayList<>();
        for (String url : Arrays.asList(urls.split(","))) {
            String trimmed = url.trim();
            if (!trimmed.isEmpty()) {
                URI uri = URI.create(trimmed);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException("invalid schema registry URL '" + trimmed + "': expected http(s)://host:port");
                }
                // credentials in the URL go to the Authorization header, not into every request line
                out.add(uri.getUserInfo() == null ? uri : URI.create(uri.getScheme() + "://" + uri.getHost()
                        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath())));
            }
        }
        return out;
    }

    private static String userInfo(String urls, Map<String, ?> config) {
        Object source = config.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        if (source == null) {
            source = config.get("schema.registry." + BASIC_AUTH_CREDENTIALS_SOURCE);
        }
        if (source != null && "URL".equalsIgnoreCase(source.toString().trim())) {
            return URI.create(urls.split(",")[0].trim()).getUserInfo();
        }
        Object info = config.get(BASIC_AUTH_USER_INFO);
        if (info == null) {
            info = config.get("schema.registry." + BASIC_AUTH_USER_INFO);
        }
        if (info != null) {
            return info.toString();
        }
        return URI.create(urls.split(",")[0].trim()).getUserInfo();
    }

    private static Duration millis(Map<String, ?> config, String key, Duration fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.toString().trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of milliseconds, got '" + value + "'", e);
        }
    }
}
