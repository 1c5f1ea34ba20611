package io.conflictmon.ingest.importer;

import java.time.Duration;

/**
 * Progress of an import, kept behind this small interface so that tests print nothing and a terminal gets a bar.
 * Called from the importing thread.
 */
public interface ImportProgressListener {
    /** Prints nothing. */
    ImportProgressListener NONE = new ImportProgressListener() {
    };

    /** @param totalBytes the file's size */
    default void started(String file, ImportFormat format, long totalBytes) {
    }

    /** After each row; {@code bytesRead} counts UTF-8 bytes of the rows read so far. */
    default void progressed(long rowsRead, long bytesRead) {
    }

    default void finished(ImportSummary summary) {
    }

    /**
     * A progress bar when a terminal is attached ({@code System.console() != null}), otherwise a log line every
     * 10,000 rows or 5 seconds.
     */
    static ImportProgressListener forConsole() {
        return System.console() != null
                ? new ProgressBarListener()
                : new LoggingProgressListener(10_000, Duration.ofSeconds(5));
    }
}
