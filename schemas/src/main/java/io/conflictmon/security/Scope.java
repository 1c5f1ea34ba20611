package io.conflictmon.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a bearer token may do on the HTTP API. */
public enum Scope {
    /** {@code POST /v1/strikes}, {@code POST /v1/casualties}. */
    WRITE,
    /** The {@code GET /v1/...} queries and the {@code /v1/stream} events. */
    READ,
    /** {@code GET /metrics}. */
    METRICS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Scope parse(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + label + "'; known: "
                + Arrays.stream(values()).map(Scope::label).collect(Collectors.joining(", ")));
    }
}
