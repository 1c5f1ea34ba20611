package io.conflictmon.ingest.importer;

import io.conflictmon.ingest.publish.Fingerprints;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;

/**
 * The rows of a file, parsed on worker threads and handed out in file order: the calling thread cuts the input into
 * chunks of {@link ReportFileParser#deferredRows deferred rows}, workers parse them (JSON or CSV fields, defaults, id,
 * validation, the Avro record, its fingerprint, the value to send: serialized when the publisher can take it so),
 * and {@link #next()} returns them one by one in the order of the file,
 * waiting for a chunk when it is not done yet. At most {@code maxChunks} chunks are read ahead, so memory stays bounded
 * however large the file.
 *
 * <p>Why hand-written: {@code Stream.parallel()} over an iterator of unknown size splits it into ever larger batches
 * and an ordered {@code forEachOrdered} buffers what comes early, unbounded; {@code ExecutorService} plus an ordered
 * queue of futures is the bounded, ordered pipeline needed here. Not thread-safe: one consumer.
 */
final class ParallelRows implements AutoCloseable {
    /**
     * A parsed row with what the importer would otherwise compute on its own thread: the fingerprint of an accepted
     * report and the value to send for it (e.g. already serialized), null for a refused row.
     */
    record Prepared(ParsedRow<? extends SpecificRecord> row, long fingerprint, SpecificRecord value, long utf8Bytes) {
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Iterator<? extends Supplier<? extends ParsedRow<? extends SpecificRecord>>> source;
    private final ExecutorService workers;
    private final UnaryOperator<SpecificRecord> valueToSend;
    private final int chunkSize;
    private final int maxChunks;
    private final ArrayDeque<Future<List<Prepared>>> inFlight = new ArrayDeque<>();
    private Iterator<Prepared> current = Collections.emptyIterator();

    /** @param valueToSend what to send for an accepted report (run on the worker threads, so thread-safe) */
    ParallelRows(Iterator<? extends Supplier<? extends ParsedRow<? extends SpecificRecord>>> source, int threads,
            int chunkSize, UnaryOperator<SpecificRecord> valueToSend) {
        if (threads < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("need at least 1 thread and 1 row a chunk, got " + threads + " and "
                    + chunkSize);
        }
        this.source = source;
        this.valueToSend = valueToSend;
        this.chunkSize = chunkSize;
        this.maxChunks = 2 * threads + 2; // every worker busy with one chunk and one queued, plus the one being read
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "conflictmon-import-" + pool + "-parser-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The next row in file order, or null after the last.
     *
     * @throws InterruptedIOException when interrupted while waiting for a chunk
     * @throws RuntimeException       what reading the input or parsing a row threw
     */
    Prepared next() throws InterruptedIOException {
        while (!current.hasNext()) {
            readAhead();
            Future<List<Prepared>> next = inFlight.poll();
            if (next == null) {
                return null;
            }
            current = await(next).iterator();
        }
        return current.next();
    }

    /** Starts parsing up to the read-ahead bound, without waiting; {@link #next()} does it too. */
    void readAhead() {
        while (inFlight.size() < maxChunks && source.hasNext()) {
            List<Supplier<? extends ParsedRow<? extends SpecificRecord>>> chunk = new ArrayList<>(chunkSize);
            while (chunk.size() < chunkSize && source.hasNext()) {
                chunk.add(source.next());
            }
            inFlight.add(workers.submit(() -> prepare(chunk)));
        }
    }

    private List<Prepared> prepare(List<Supplier<? extends ParsedRow<? extends SpecificRecord>>> chunk) {
        List<Prepared> rows = new ArrayList<>(chunk.size());
        for (Supplier<? extends ParsedRow<? extends SpecificRecord>> deferred : chunk) {
            ParsedRow<? extends SpecificRecord> row = deferred.get();
            long bytes = utf8Length(row.rawText()) + 1;
            if (row instanceof ParsedRow.Accepted<?> accepted) {
                rows.add(new Prepared(row, Fingerprints.of(accepted.report()), valueToSend.apply(accepted.report()), bytes));
            } else {
                rows.add(new Prepared(row, 0, null, bytes));
            }
        }
        return rows;
    }

    private static List<Prepared> await(Future<List<Prepared>> chunk) throws InterruptedIOException {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for parsed rows");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("parsing rows failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops the workers; chunks not yet handed out are dropped. */
    @Override
    public void close() {
        inFlight.forEach(chunk -> chunk.cancel(true));
        inFlight.clear();
        workers.shutdownNow();
    }

    /** The UTF-8 length of the text, without encoding it. */
    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
