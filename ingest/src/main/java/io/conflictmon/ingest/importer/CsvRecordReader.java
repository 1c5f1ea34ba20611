package io.conflictmon.ingest.importer;

import org.apache.avro.specific.SpecificRecord;

import java.util.stream.Stream;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV file with a header one record at a time, keeping each record's raw text and line number.
 *
 * <p>Why not a single commons-csv {@code CSVParser} over the file: it does not expose the raw text of a record,
 * and the dead-letter queue must carry the rejected line exactly as it stood in the file. So this class only cuts
 * the file into records (a physical line, extended while a quoted field is still open: RFC 4180 quotes come in
 * pairs, so an odd count means the record goes on) and lets commons-csv parse each record's fields. Blank lines
 * are skipped.
 */
final class CsvRecordReader implements Closeable {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private final BufferedReader reader;
    private final String fileName;
    private final List<String> header;
    private final Map<String, Integer> columnIndex;
    private long nextLineNumber = 1;

    /** A record: its first line number, its raw text, and its fields (null when unparseable, with the reason). */
    record RawRecord(long lineNumber, String text, List<String> fields, String error) {
    }

    /**
     * Opens the reader and reads the header.
     *
     * @throws ImportFormatException when the file is empty or lacks one of the required columns
     */
    CsvRecordReader(Reader reader, String fileName, List<String> requiredColumns) {
        this.reader = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        this.fileName = fileName;
        RawRecord headerRecord = next();
        if (headerRecord == null) {
            throw new ImportFormatException(fileName + ": empty file, expected a CSV header with " + requiredColumns);
        }
        if (headerRecord.fields() == null) {
            throw new ImportFormatException(fileName + ": unreadable CSV header: " + headerRecord.error());
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (String name : headerRecord.fields()) {
            String clean = name.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
            index.putIfAbsent(clean, names.size());
            names.add(clean);
        }
        List<String> missing = requiredColumns.stream().filter(c -> !index.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new ImportFormatException(fileName + ": CSV header lacks the required column(s) " + missing
                    + "; found " + names);
        }
        this.header = Collections.unmodifiableList(names);
        this.columnIndex = index;
    }

    List<String> header() {
        return header;
    }

    /** Index of a header column, or -1. */
    int column(String name) {
        return columnIndex.getOrDefault(name, -1);
    }

    /** The next record, or null at the end of the file. */
    RawRecord next() {
        try {
            String line;
            do {
                line = reader.readLine();
                if (line == null) {
                    return null;
                }
                nextLineNumber++;
            } while (line.isBlank());
            long lineNumber = nextLineNumber - 1;
            StringBuilder text = new StringBuilder(line);
            int quotes = countQuotes(line);
            while (quotes % 2 != 0) {
                String more = reader.readLine();
                if (more == null) {
                    break; // unterminated quote: commons-csv will say so below
                }
                nextLineNumber++;
                text.append('\n').append(more);
                quotes += countQuotes(more);
            }
            return parse(lineNumber, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(fileName + ": cannot read line " + nextLineNumber + ": " + e.getMessage(), e);
        }
    }

    private static RawRecord parse(long lineNumber, String text) {
        try (CSVParser parser = CSVParser.builder().setReader(new java.io.StringReader(text)).setFormat(FORMAT).get()) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                return new RawRecord(lineNumber, text, null, "expected one CSV record, found " + records.size());
            }
            return new RawRecord(lineNumber, text, records.get(0).toList(), null);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            return new RawRecord(lineNumber, text, null, "malformed CSV: " + e.getMessage());
        }
    }

    private static int countQuotes(String line) {
        int count = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '"') {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Turns one well-formed record (readable, as many fields as the header) into a row. */
    @FunctionalInterface
    interface RecordParser<R extends SpecificRecord> {
        ParsedRow<R> parse(CsvRecordReader csv, RawRecord record);
    }

    /**
     * The rows of a CSV file, each parsed when its supplier runs ({@link ReportFileParser#deferredRows}): a record
     * that cannot be read, or has another number of fields than the header, is refused with its raw text; every other
     * record goes to {@code parser}, which must be thread-safe.
     */
    static <R extends SpecificRecord> Stream<Supplier<ParsedRow<R>>> deferredRows(Reader reader, String fileName,
            List<String> requiredColumns, RecordParser<R> parser) {
        CsvRecordReader records = new CsvRecordReader(reader, fileName, requiredColumns);
        return RowStreams.of(records, () -> {
            RawRecord record = records.next();
            if (record == null) {
                return null;
            }
            return () -> {
                if (record.fields() == null) {
                    return ParsedRow.Rejected.unreadable(record.lineNumber(), record.text(), record.error());
                }
                if (record.fields().size() != records.header().size()) {
                    return ParsedRow.Rejected.unreadable(record.lineNumber(), record.text(), "expected "
                            + records.header().size() + " fields as in the header, found " + record.fields().size());
                }
                return parser.parse(records, record);
            };
        });
    }
}
