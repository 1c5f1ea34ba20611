package io.conflictmon.ingest.importer;

import java.io.Reader;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;

/** Reads one file format row by row, without loading the whole file. */
public interface ReportFileParser<R extends SpecificRecord> {

    /**
     * The rows of the input, read lazily. Closing the stream closes the reader; use try-with-resources.
     *
     * @throws ImportFormatException when the input as a whole is not in this format (e.g. a header column is missing)
     */
    Stream<ParsedRow<R>> parse(Reader reader);
}
