package io.conflictmon.ingest.importer;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as log lines, for imports without a terminal: every N rows or every T, whichever comes first. */
public final class LoggingProgressListener implements ImportProgressListener {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingProgressListener.class);

    private final long everyRows;
    private final long everyNanos;
    private String file;
    private long totalBytes;
    private long lastRows;
    private long lastNanos;

    public LoggingProgressListener(long everyRows, Duration every) {
        this.everyRows = everyRows;
        this.everyNanos = every.toNanos();
    }

    @Override
    public void started(String file, ImportFormat format, long totalBytes) {
        this.file = file;
        this.totalBytes = totalBytes;
        this.lastRows = 0;
        this.lastNanos = System.nanoTime();
        LOG.info("Importing {} as {} ({} bytes)", file, format.cliName(), totalBytes);
    }

    @Override
    public void progressed(long rowsRead, long bytesRead) {
        long now = System.nanoTime();
        if (rowsRead - lastRows >= everyRows || now - lastNanos >= everyNanos) {
            LOG.info("Importing {}: {} rows read, {}%", file, rowsRead, totalBytes <= 0 ? 100 : Math.min(100, bytesRead * 100 / totalBytes));
            lastRows = rowsRead;
            lastNanos = now;
        }
    }

    @Override
    public void finished(ImportSummary summary) {
        LOG.info("Imported {}", summary);
    }
}
