package io.conflictmon.ingest.http;

/** Whether a service can do its work now, and why (shown by {@code GET /health/ready}). */
public record Readiness(boolean ready, String detail) {
    public static Readiness ready(String detail) {
        return new Readiness(true, detail);
    }

    public static Readiness notReady(String detail) {
        return new Readiness(false, detail);
    }
}
