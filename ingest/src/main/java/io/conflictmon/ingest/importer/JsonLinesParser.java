package io.conflictmon.ingest.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.conflictmon.ingest.model.CasualtyReportInput;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;

/**
 * JSON Lines: one report per line in the API's JSON shape (DESIGN.md "JSON shapes"), strike or casualty reports
 * according to the {@link ReportKind}. {@code id} is optional (derived from the content when absent); blank lines are
 * skipped and not counted.
 */
public final class JsonLinesParser<R extends SpecificRecord> implements ReportFileParser<R> {
    private final LineParser<R> lineParser;
    private final String fileName;

    /** Turns the text of one line into a row. */
    @FunctionalInterface
    private interface LineParser<R extends SpecificRecord> {
        ParsedRow<R> parse(long lineNumber, String text);
    }

    private JsonLinesParser(LineParser<R> lineParser, String fileName) {
        this.lineParser = lineParser;
        this.fileName = Objects.requireNonNull(fileName, "fileName");
    }

    /** Strike reports, one per line. */
    public static JsonLinesParser<io.conflictmon.avro.StrikeReport> strikes(ReportMapper mapper, ReportValidator validator,
            Instant reportedAt, String fileName) {
        return new JsonLinesParser<>((line, text) -> {
            StrikeReportInput input;
            try {
                input = IngestJson.strikeReader().readValue(text);
            } catch (JsonProcessingException e) {
                return rejected(line, text, e);
            }
            if (input == null) {
                return ParsedRow.Rejected.unreadable(line, text, "expected a JSON object, got null");
            }
            StrikeReportInput filled = mapper.withDefaults(input);
            List<FieldError> errors = validator.validate(filled);
            return errors.isEmpty()
                    ? new ParsedRow.Accepted<>(line, text, filled.id(), ReportMapper.toAvro(filled, reportedAt))
                    : ParsedRow.Rejected.invalid(line, text, errors);
        }, fileName);
    }

    /** Casualty reports, one per line. */
    public static JsonLinesParser<io.conflictmon.avro.CasualtyReport> casualties(ReportMapper mapper,
            ReportValidator validator, Instant reportedAt, String fileName) {
        return new JsonLinesParser<>((line, text) -> {
            CasualtyReportInput input;
            try {
                input = IngestJson.casualtyReader().readValue(text);
            } catch (JsonProcessingException e) {
                return rejected(line, text, e);
            }
            if (input == null) {
                return ParsedRow.Rejected.unreadable(line, text, "expected a JSON object, got null");
            }
            CasualtyReportInput filled = mapper.withDefaults(input);
            List<FieldError> errors = validator.validate(filled);
            return errors.isEmpty()
                    ? new ParsedRow.Accepted<>(line, text, filled.id(), ReportMapper.toAvro(filled, reportedAt))
                    : ParsedRow.Rejected.invalid(line, text, errors);
        }, fileName);
    }

    private static <R extends SpecificRecord> ParsedRow<R> rejected(long line, String text, JsonProcessingException e) {
        Optional<List<FieldError>> errors = IngestJson.fieldErrors(e);
        return errors.isPresent()
                ? ParsedRow.Rejected.invalid(line, text, errors.get())
                : ParsedRow.Rejected.unreadable(line, text, IngestJson.syntaxError(e));
    }

    @Override
    public Stream<Supplier<ParsedRow<R>>> deferredRows(Reader reader) {
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        long[] lineNumber = {0};
        return RowStreams.of(lines, () -> {
            try {
                String text;
                do {
                    text = lines.readLine();
                    if (text == null) {
                        return null;
                    }
                    lineNumber[0]++;
                } while (text.isBlank());
                if (lineNumber[0] == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                long line = lineNumber[0];
                String row = text;
                return () -> lineParser.parse(line, row);
            } catch (IOException e) {
                throw new UncheckedIOException(fileName + ": cannot read line " + (lineNumber[0] + 1) + ": "
                        + e.getMessage(), e);
            }
        });
    }
}
