package io.conflictmon.ingest.http;

import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.security.AccessTokens;
import io.conflictmon.security.KafkaClientSecurity;
import io.conflictmon.security.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the HTTP ingest service. The CLI fills it from a file, flags and {@code CONFLICTMON_*} variables;
 * {@link #defaults()} gives sane values for everything but the addresses of Kafka and the registry.
 *
 * @param bootstrapServers  Kafka {@code bootstrap.servers}
 * @param schemaRegistryUrl one or several comma-separated registry URLs
 * @param topics            where reports and rejected input go
 * @param host              interface the standalone server binds to
 * @param port              port of the standalone server; 0 picks a free one
 * @param maxBodyBytes      larger request bodies are refused with 413
 * @param maxItems          arrays with more reports are refused with 413
 * @param bearerTokens      token specs ({@code name:secret:scopes} or a bare write secret, see {@link AccessTokens});
 *                          empty turns authentication off
 * @param rateLimit         requests per token and period; past it 429
 * @param sendTimeout       longest a request waits for Kafka (and the registry) before it is answered 503
 * @param retryAfter        the {@code Retry-After} a 503 suggests
 * @param kafkaProperties   extra Kafka client settings (TLS, SASL, ...) for the producer and the admin client
 */
public record IngestConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        ImportTopics topics,
        String host,
        int port,
        long maxBodyBytes,
        int maxItems,
        List<String> bearerTokens,
        RateLimit rateLimit,
        Duration sendTimeout,
        Duration retryAfter,
        Map<String, String> kafkaProperties) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8081";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_ITEMS = 1_000;
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    public IngestConfig {
        requireText(bootstrapServers, "bootstrapServers");
        requireText(schemaRegistryUrl, "schemaRegistryUrl");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535; got " + port);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive; got " + maxBodyBytes);
        }
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be positive; got " + maxItems);
        }
        bearerTokens = List.copyOf(Objects.requireNonNull(bearerTokens, "bearerTokens"));
        if (bearerTokens.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("bearerTokens must not hold a blank token");
        }
        AccessTokens.parse(bearerTokens); // refuses a malformed spec at start, naming the token but not its secret
        Objects.requireNonNull(rateLimit, "rateLimit");
        // The producer needs delivery.timeout.ms >= linger.ms + request.timeout.ms; below a second is no use anyway.
        if (sendTimeout == null || sendTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("sendTimeout must be at least 1 s; got " + sendTimeout);
        }
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be zero or positive; got " + retryAfter);
        }
        kafkaProperties = Map.copyOf(Objects.requireNonNull(kafkaProperties, "kafkaProperties"));
    }

    /** Defaults: local Kafka and registry, the DESIGN.md topics, port 8080, 1 MiB, 1,000 items, no auth, 10 s. */
    public static IngestConfig defaults() {
        return new IngestConfig(DEFAULT_BOOTSTRAP_SERVERS, DEFAULT_SCHEMA_REGISTRY_URL, ImportTopics.DEFAULT, "0.0.0.0",
                DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ITEMS, List.of(), RateLimit.DEFAULT, DEFAULT_SEND_TIMEOUT,
                DEFAULT_RETRY_AFTER, Map.of());
    }

    public static Builder builder() {
        return new Builder(defaults());
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean authEnabled() {
        return !bearerTokens.isEmpty();
    }

    /** The parsed {@link #bearerTokens}. */
    public AccessTokens accessTokens() {
        return AccessTokens.parse(bearerTokens);
    }

    /** Never prints tokens or secret-looking Kafka settings. */
    @Override
    public String toString() {
        Map<String, String> kafka = KafkaClientSecurity.redacted(kafkaProperties);
        return "IngestConfig[bootstrapServers=" + bootstrapServers + ", schemaRegistryUrl=" + schemaRegistryUrl
                + ", topics=" + topics + ", host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes
                + ", maxItems=" + maxItems + ", bearerTokens=" + accessTokens() + ", rateLimit=" + rateLimit
                + ", sendTimeout=" + sendTimeout + ", retryAfter=" + retryAfter + ", kafkaProperties=" + kafka + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Mutable builder over a copy of a config. */
    public static final class Builder {
        private String bootstrapServers;
        private String schemaRegistryUrl;
        private ImportTopics topics;
        private String host;
        private int port;
        private long maxBodyBytes;
        private int maxItems;
        private List<String> bearerTokens;
        private RateLimit rateLimit;
        private Duration sendTimeout;
        private Duration retryAfter;
        private Map<String, String> kafkaProperties;

        private Builder(IngestConfig from) {
            bootstrapServers = from.bootstrapServers;
            schemaRegistryUrl = from.schemaRegistryUrl;
            topics = from.topics;
            host = from.host;
            port = from.port;
            maxBodyBytes = from.maxBodyBytes;
            maxItems = from.maxItems;
            bearerTokens = from.bearerTokens;
            rateLimit = from.rateLimit;
            sendTimeout = from.sendTimeout;
            retryAfter = from.retryAfter;
            kafkaProperties = from.kafkaProperties;
        }

        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        public Builder schemaRegistryUrl(String value) {
            schemaRegistryUrl = value;
            return this;
        }

        public Builder topics(ImportTopics value) {
            topics = value;
            return this;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder maxBodyBytes(long value) {
            maxBodyBytes = value;
            return this;
        }

        public Builder maxItems(int value) {
            maxItems = value;
            return this;
        }

        public Builder bearerTokens(List<String> value) {
            bearerTokens = value;
            return this;
        }

        public Builder rateLimit(RateLimit value) {
            rateLimit = value;
            return this;
        }

        public Builder sendTimeout(Duration value) {
            sendTimeout = value;
            return this;
        }

        public Builder retryAfter(Duration value) {
            retryAfter = value;
            return this;
        }

        public Builder kafkaProperties(Map<String, String> value) {
            kafkaProperties = value;
            return this;
        }

        public IngestConfig build() {
            return new IngestConfig(bootstrapServers, schemaRegistryUrl, topics, host, port, maxBodyBytes, maxItems,
                    bearerTokens, rateLimit, sendTimeout, retryAfter, kafkaProperties);
        }
    }
}
