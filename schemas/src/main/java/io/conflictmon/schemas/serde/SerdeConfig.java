package io.conflictmon.schemas.serde;

import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.InMemorySchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/** The serde settings, named as Confluent's serdes name them so configs carry over. */
final class SerdeConfig {
    static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    static final String VALUE_TYPE = "value.type";
    static final String KEY_TYPE = "key.type";
    /** URL prefix for an in-process registry shared by name, e.g. {@code mock://unit-test}. */
    static final String MOCK_PREFIX = "mock://";

    private SerdeConfig() {
    }

    /** A client for the configured URL; the caller owns (closes) it, except for shared mock:// scopes. */
    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (e.g. http://localhost:8081, or mock://<scope> in tests)");
        }
        String text = url.toString().trim();
        if (text.startsWith(MOCK_PREFIX)) {
            return InMemorySchemaRegistryClient.forScope(text.substring(MOCK_PREFIX.length()));
        }
        return new HttpSchemaRegistryClient(text, configs);
    }

    static boolean autoRegister(Map<String, ?> configs) {
        Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        return value == null || Boolean.parseBoolean(value.toString().trim());
    }

    /** The configured record class for keys or values, or null when not configured. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> type(Map<String, ?> configs, boolean isKey) {
        String key = isKey ? KEY_TYPE : VALUE_TYPE;
        Object value = configs.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Class<?> type) {
            return checkRecordClass(key, type);
        }
        try {
            Class<?> type = Class.forName(value.toString().trim(), true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : SerdeConfig.class.getClassLoader());
            return (Class<T>) checkRecordClass(key, type);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, value, "class not found");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Class<T> checkRecordClass(String key, Class<?> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, type.getName(), "not an Avro SpecificRecord class");
        }
        return (Class<T>) type;
    }

    static boolean isSharedMock(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        return url != null && url.toString().trim().startsWith(MOCK_PREFIX);
    }
}
