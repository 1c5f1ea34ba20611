package io.conflictmon.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * The Kafka client settings every client of ours gets on top of its own: TLS and SASL ({@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*}, ...), read from a Kafka client properties
 * file (the format of Kafka's own {@code --command-config}). This is the one place they are applied: producers,
 * consumers, admin clients, Kafka Streams and the registry's store all take {@link #properties()} or go through
 * {@link #applyTo(Map)}.
 *
 * <p>Keys the clients set themselves (bootstrap servers, serializers, group ids) are refused, so a file cannot
 * silently re-point or break one client. Secrets never appear in {@link #toString()}.
 */
public final class KafkaClientSecurity {
    /** Environment variable naming the properties file, for the CLI. */
    public static final String ENVIRONMENT_VARIABLE = "CONFLICTMON_KAFKA_CONFIG";

    private static final KafkaClientSecurity NONE = new KafkaClientSecurity(Map.of(), "none");
    private static final Set<String> OWNED_BY_CLIENTS = Set.of("bootstrap.servers", "key.serializer",
            "value.serializer", "key.deserializer", "value.deserializer", "group.id", "application.id",
            "transactional.id", "client.id");
    private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private final Map<String, String> properties;
    private final String origin;

    private KafkaClientSecurity(Map<String, String> properties, String origin) {
        this.properties = Map.copyOf(properties);
        this.origin = origin;
    }

    /** Plaintext, no authentication: the embedded broker's default. */
    public static KafkaClientSecurity none() {
        return NONE;
    }

    /** The given client properties. */
    public static KafkaClientSecurity of(Map<String, String> properties) {
        return of(properties, "given properties");
    }

    private static KafkaClientSecurity of(Map<String, String> properties, String origin) {
        Objects.requireNonNull(properties, "properties");
        Set<String> refused = new java.util.TreeSet<>();
        properties.forEach((key, value) -> {
            if (OWNED_BY_CLIENTS.contains(key.strip())) {
                refused.add(key);
            }
            if (value == null) {
                throw new IllegalArgumentException("Kafka client property " + key + " has no value (" + origin + ")");
            }
        });
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("Kafka client properties " + refused + " (" + origin + ") are set by "
                    + "each client itself; remove them (bootstrap servers come from --bootstrap-servers)");
        }
        return properties.isEmpty() ? NONE : new KafkaClientSecurity(properties, origin);
    }

    /** Reads a Kafka client properties file ({@code key=value} lines, {@code #} comments). */
    public static KafkaClientSecurity load(Path file) {
        Objects.requireNonNull(file, "file");
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Kafka client properties file " + file + ": " + e, e);
        }
        Map<String, String> properties = new HashMap<>();
        loaded.stringPropertyNames().forEach(key -> properties.put(key.strip(), loaded.getProperty(key).strip()));
        return of(properties, file.toString());
    }

    /** The file when given, else {@link #none()}. */
    public static KafkaClientSecurity loadOrNone(Path fileOrNull) {
        return fileOrNull == null ? none() : load(fileOrNull);
    }

    /** The settings to add to a client's own, unmodifiable. */
    public Map<String, String> properties() {
        return properties;
    }

    /** A copy of the client's settings with these on top. */
    public Map<String, Object> applyTo(Map<String, ?> clientConfig) {
        Map<String, Object> all = new HashMap<>(clientConfig);
        all.putAll(properties);
        return all;
    }

    /** The SASL user name of {@code sasl.jaas.config}, when there is one. */
    public Optional<String> username() {
        return username(properties);
    }

    private static Optional<String> username(Map<String, String> properties) {
        String jaas = properties.get("sasl.jaas.config");
        if (jaas == null) {
            return Optional.empty();
        }
        Matcher matcher = JAAS_USERNAME.matcher(jaas);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * A one-line explanation when {@code error} (or a cause of it) is a failed login or TLS handshake, e.g.
     * "Kafka authentication failed for user 'ingest' (SASL_SSL, SCRAM-SHA-512): ...". Empty for any other error.
     */
    public Optional<String> explainAuthenticationFailure(Throwable error) {
        return explain(properties, origin, error);
    }

    /** As {@link #explainAuthenticationFailure}, for a client configured with {@code clientConfig}. */
    public static Optional<String> explainAuthenticationFailure(Map<String, ?> clientConfig, Throwable error) {
        Map<String, String> strings = new HashMap<>();
        clientConfig.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return explain(strings, "the client configuration", error);
    }

    private static Optional<String> explain(Map<String, String> properties, String origin, Throwable error) {
        return authenticationFailure(error).map(failure -> {
            String how = properties.getOrDefault("security.protocol", "PLAINTEXT")
                    + Optional.ofNullable(properties.get("sasl.mechanism")).map(m -> ", " + m).orElse("");
            String who = failure instanceof SslAuthenticationException ? "Kafka TLS handshake failed"
                    : "Kafka authentication failed" + username(properties).map(u -> " for user '" + u + "'").orElse("");
            return who + " (" + how + ", settings from " + origin + "): " + failure.getMessage();
        });
    }

    /** The authentication failure in the causes of {@code error}. */
    public static Optional<AuthenticationException> authenticationFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException auth) {
                return Optional.of(auth);
            }
        }
        return Optional.empty();
    }

    /** Whether a setting holds a secret (password, JAAS config, key): such values are never printed. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token")
                || k.contains("credentials") || k.endsWith(".key") || k.contains("keystore.key");
    }

    /** The settings with secrets masked. */
    public static Map<String, String> redacted(Map<String, String> properties) {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((key, value) -> shown.put(key, isSecret(key) ? "***" : value));
        return shown;
    }

    @Override
    public String toString() {
        return properties.isEmpty() ? "KafkaClientSecurity[PLAINTEXT]"
                : "KafkaClientSecurity[" + origin + ": " + redacted(properties) + "]";
    }
}
