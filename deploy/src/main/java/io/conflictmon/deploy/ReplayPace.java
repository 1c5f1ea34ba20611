package io.conflictmon.deploy;

import io.conflictmon.ingest.importer.ImportFormat;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * {@code demo --speed N}: holds the importer to N rows per second (each row one report) so the dashboard fills
 * live, by delaying the importing thread after each row until its slot. The pace runs on across the files of one
 * replay. Progress goes on to the wrapped listener.
 */
final class ReplayPace implements ImportProgressListener {
    /** Parks the importing thread for the given nanoseconds. */
    interface Sleeper {
        void sleepNanos(long nanos);
    }

    private final double rowsPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private ImportProgressListener delegate = ImportProgressListener.NONE;
    private long startNanos = -1;
    private long rowsBefore;
    private long rowsInFile;

    ReplayPace(double rowsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(rowsPerSecond > 0)) {
            throw new IllegalArgumentException("--speed must be > 0 rows per second, got " + rowsPerSecond);
        }
        this.rowsPerSecond = rowsPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    static ReplayPace of(double rowsPerSecond) {
        return new ReplayPace(rowsPerSecond, System::nanoTime, LockSupport::parkNanos);
    }

    /** This pace, reporting progress of the next file to {@code listener}. */
    ReplayPace around(ImportProgressListener listener) {
        this.delegate = listener;
        return this;
    }

    @Override
    public void started(String file, ImportFormat format, long totalBytes) {
        if (startNanos < 0) {
            startNanos = nanoTime.getAsLong();
        }
        rowsBefore += rowsInFile;
        rowsInFile = 0;
        delegate.started(file, format, totalBytes);
    }

    @Override
    public void progressed(long rowsRead, long bytesRead) {
        rowsInFile = rowsRead;
        long due = startNanos + (long) ((rowsBefore + rowsRead) * TimeUnit.SECONDS.toNanos(1) / rowsPerSecond);
        long wait = due - nanoTime.getAsLong();
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
        delegate.progressed(rowsRead, bytesRead);
    }

    @Override
    public void finished(ImportSummary summary) {
        delegate.finished(summary);
    }
}
