package io.conflictmon.ingest.importer;

import io.conflictmon.schemas.Topics;

/** What an input holds, and so which topic it goes to. */
public enum ReportKind {
    STRIKE(Topics.STRIKE_REPORTS), CASUALTY(Topics.CASUALTY_REPORTS);

    private final String defaultTopic;

    ReportKind(String defaultTopic) {
        this.defaultTopic = defaultTopic;
    }

    public String defaultTopic() {
        return defaultTopic;
    }
}
