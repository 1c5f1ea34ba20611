package io.conflictmon.schemas;

import java.util.List;

/** The one place that knows each topic name (see DESIGN.md, "Topics"). Names are defaults; services may override them by configuration. */
public final class Topics {
    /** Strike reports keyed by report id; compacted. */
    public static final String STRIKE_REPORTS = "conflict.strike-reports.v1";
    /** Casualty reports keyed by report id; compacted. */
    public static final String CASUALTY_REPORTS = "conflict.casualty-reports.v1";
    /** Refused input ({@code RejectedRecord}) keyed by source id. */
    public static final String INGEST_DLQ = "conflict.ingest-dlq.v1";
    /** Changelog of waves keyed by wave id. */
    public static final String WAVES = "conflict.waves.v1";
    /** Strike totals keyed by period (2026, 2026-01, 2026-01-09). */
    public static final String STRIKE_TOTALS = "conflict.strike-totals.v1";
    /** Casualty totals keyed by source/year (and source/year-month). */
    public static final String CASUALTY_TOTALS = "conflict.casualty-totals.v1";
    /** Escalation alerts keyed by alert id. */
    public static final String ALERTS = "conflict.alerts.v1";
    /** The schema registry's own compacted storage topic. */
    public static final String SCHEMAS = "_schemas";

    /** The pipeline's data topics (not {@link #SCHEMAS}), in pipeline order. */
    public static final List<String> DATA_TOPICS = List.of(
            STRIKE_REPORTS, CASUALTY_REPORTS, INGEST_DLQ, WAVES, STRIKE_TOTALS, CASUALTY_TOTALS, ALERTS);

    private Topics() {
    }

    /** Subject of a topic's key or value schema under Confluent's TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
