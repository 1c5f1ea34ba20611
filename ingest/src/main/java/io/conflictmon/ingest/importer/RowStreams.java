package io.conflictmon.ingest.importer;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Lazy, ordered streams over a row source that returns null at its end; closing the stream closes the source. */
final class RowStreams {
    private RowStreams() {
    }

    static <T> Stream<T> of(Closeable source, Supplier<T> nextOrNull) {
        Iterator<T> iterator = new Iterator<>() {
            private T next = null;
            private boolean done = false;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = nextOrNull.get();
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T current = next;
                next = null;
                return current;
            }
        };
        Spliterator<T> spliterator = Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(() -> {
            try {
                source.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
