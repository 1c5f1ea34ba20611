package io.conflictmon.ingest.importer;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one import. Every row read is exactly one of published (new or corrected), unchanged (already on
 * the topic with the same content, or repeated in the file) or rejected (refused, with its reason on the DLQ):
 * {@code read = published + unchanged + rejected}. {@code deadLettered} counts the rejected rows actually sent to
 * the DLQ by this run (a re-import does not send the same rejection twice).
 */
public record ImportSummary(String file, ImportFormat format, ReportKind kind, long read, long published,
        long unchanged, long rejected, long deadLettered, Duration elapsed) {

    public ImportSummary {
        if (read != published + unchanged + rejected) {
            throw new IllegalStateException("import of " + file + " lost count: read " + read + " != published "
                    + published + " + unchanged " + unchanged + " + rejected " + rejected);
        }
        if (deadLettered > rejected) {
            throw new IllegalStateException("import of " + file + ": dead-lettered " + deadLettered + " > rejected " + rejected);
        }
    }

    /** Rows read per second over the whole import (index load, parsing, sending, final flush). */
    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : read / seconds;
    }

    /** One line for a terminal or a log. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s): read %d, published %d, unchanged %d, rejected %d (%d sent to the DLQ) "
                        + "in %.2f s, %.0f rows/s", file, format.cliName(), read, published, unchanged, rejected,
                deadLettered, elapsed.toNanos() / 1e9, rowsPerSecond());
    }
}
