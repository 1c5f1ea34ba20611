package io.conflictmon.ingest.importer;

import io.conflictmon.ingest.validation.FieldError;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One row (line) of an input file: either a valid report or the reason it was refused. */
public sealed interface ParsedRow<R extends SpecificRecord> permits ParsedRow.Accepted, ParsedRow.Rejected {
    /** Reason code of a row whose structure could not be read (bad CSV quoting, field count, JSON syntax). */
    String PARSE = "parse";
    /** Reason code of a row that was read but whose fields break the rules. */
    String VALIDATION = "validation";
    /** Reason code of a row whose bytes are not UTF-8 (the importer decodes them as U+FFFD). */
    String ENCODING = "encoding";
    /** Reason code of a row with the id of an earlier row of the same file but other figures. */
    String DUPLICATE_CONFLICT = "duplicate-conflict";

    /** 1-based line number in the file where the row starts. */
    long lineNumber();

    /** The row exactly as it stands in the file (lines of a multi-line CSV record joined by '\n'). */
    String rawText();

    record Accepted<R extends SpecificRecord>(long lineNumber, String rawText, String id, R report)
            implements ParsedRow<R> {
    }

    record Rejected<R extends SpecificRecord>(long lineNumber, String rawText, String reasonCode, String reason,
            List<FieldError> fieldErrors) implements ParsedRow<R> {
        public Rejected {
            fieldErrors = List.copyOf(fieldErrors);
        }

        /** A refusal for field errors; the reason lists them. */
        public static <R extends SpecificRecord> Rejected<R> invalid(long lineNumber, String rawText,
                List<FieldError> errors) {
            StringBuilder reason = new StringBuilder(errors.size() == 1 ? "1 invalid field: " : errors.size() + " invalid fields: ");
            for (int i = 0; i < errors.size(); i++) {
                reason.append(i == 0 ? "" : "; ").append(errors.get(i));
            }
            return new Rejected<>(lineNumber, rawText, VALIDATION, reason.toString(), errors);
        }

        /** A refusal of a row that could not be read at all. */
        public static <R extends SpecificRecord> Rejected<R> unreadable(long lineNumber, String rawText, String reason) {
            return new Rejected<>(lineNumber, rawText, PARSE, reason, List.of());
        }
    }
}
