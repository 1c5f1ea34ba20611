package io.conflictmon.ingest.importer;

import java.io.Reader;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;

/** Reads one file format row by row, without loading the whole file. */
public interface ReportFileParser<R extends SpecificRecord> {

    /**
     * The rows of the input, read lazily. Closing the stream closes the reader; use try-with-resources.
     *
     * @throws ImportFormatException when the input as a whole is not in this format (e.g. a header column is missing)
     */
    default Stream<ParsedRow<R>> parse(Reader reader) {
        return deferredRows(reader).map(Supplier::get);
    }

    /**
     * The rows of the input, each not yet parsed: the stream does the cheap, sequential part (reading, cutting into
     * lines or records, line numbers), each supplier the costly rest (parsing the text, defaults, id, validation,
     * the Avro record). The suppliers are independent of each other and of the stream, and thread-safe, so an importer
     * may run them on several threads while keeping the stream's order. Closing the stream closes the reader.
     *
     * @throws ImportFormatException when the input as a whole is not in this format (e.g. a header column is missing)
     */
    Stream<Supplier<ParsedRow<R>>> deferredRows(Reader reader);
}
