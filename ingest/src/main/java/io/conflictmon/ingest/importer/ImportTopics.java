package io.conflictmon.ingest.importer;

import io.conflictmon.schemas.Topics;
import java.util.Objects;

/** Where imports go; the defaults are the topics of DESIGN.md. */
public record ImportTopics(String strikeReports, String casualtyReports, String deadLetters) {
    public static final ImportTopics DEFAULT =
            new ImportTopics(Topics.STRIKE_REPORTS, Topics.CASUALTY_REPORTS, Topics.INGEST_DLQ);

    public ImportTopics {
        Objects.requireNonNull(strikeReports, "strikeReports");
        Objects.requireNonNull(casualtyReports, "casualtyReports");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    public String reportsOf(ReportKind kind) {
        return kind == ReportKind.STRIKE ? strikeReports : casualtyReports;
    }
}
