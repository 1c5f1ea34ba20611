package io.conflictmon.ingest.importer;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.ingest.model.CasualtyReportInput;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Parser of the UN OHCHR civilian casualty tables: the monthly file ({@code month,killed,injured,children_killed,
 * children_injured}, one report per month, e.g. {@code ohchr-2024-03} covering 2024-03-01..2024-03-31) and the
 * annual file ({@code year,killed,injured,...}, one report per year, e.g. {@code ohchr-2025} covering
 * 2025-01-01..2025-12-31). Source {@code ohchr}, region null (the whole country); children counts are nullable;
 * other columns ({@code provenance}) are ignored.
 */
public final class OhchrCsvParser implements ReportFileParser<CasualtyReport> {
    public static final String SOURCE = "ohchr";

    /** Which of the two tables. */
    public enum Table {
        MONTHLY("month"), ANNUAL("year");

        final String periodColumn;

        Table(String periodColumn) {
            this.periodColumn = periodColumn;
        }
    }

    private final Table table;
    private final ReportMapper mapper;
    private final ReportValidator validator;
    private final Instant reportedAt;
    private final String fileName;

    public OhchrCsvParser(Table table, ReportMapper mapper, ReportValidator validator, Instant reportedAt, String fileName) {
        this.table = Objects.requireNonNull(table, "table");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.reportedAt = Objects.requireNonNull(reportedAt, "reportedAt");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
    }

    @Override
    public Stream<Supplier<ParsedRow<CasualtyReport>>> deferredRows(Reader reader) {
        return CsvRecordReader.deferredRows(reader, fileName, List.of(table.periodColumn, "killed", "injured"), this::parseRecord);
    }

    private ParsedRow<CasualtyReport> parseRecord(CsvRecordReader csv, CsvRecordReader.RawRecord record) {
        long line = record.lineNumber();
        String raw = record.text();
        List<String> fields = record.fields();
        List<FieldError> errors = new ArrayList<>();
        String periodText = fields.get(csv.column(table.periodColumn)).strip();
        LocalDate start = null;
        LocalDate end = null;
        try {
            if (table == Table.MONTHLY) {
                YearMonth month = YearMonth.parse(periodText);
                start = month.atDay(1);
                end = month.atEndOfMonth();
            } else {
                Year year = Year.parse(periodText);
                start = year.atDay(1);
                end = year.atMonth(12).atEndOfMonth();
            }
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("periodStart", "column " + table.periodColumn + " '" + periodText + "' is not a "
                    + (table == Table.MONTHLY ? "month (2024-03)" : "year (2025)")));
        }
        Integer killed = FieldConversions.count(fields.get(csv.column("killed")), "killed", errors);
        Integer injured = FieldConversions.count(fields.get(csv.column("injured")), "injured", errors);
        Integer childrenKilled = optionalCount(csv, fields, "children_killed", "childrenKilled", errors);
        Integer childrenInjured = optionalCount(csv, fields, "children_injured", "childrenInjured", errors);

        CasualtyReportInput input = mapper.withDefaults(new CasualtyReportInput(null, SOURCE, start, end, null, killed,
                injured, childrenKilled, childrenInjured, null, null));
        List<FieldError> validation = validator.validate(input);
        if (start == null) { // already reported as an unreadable period
            validation = validation.stream().filter(e -> !e.path().startsWith("period")).toList();
        }
        List<FieldError> all = FieldConversions.merge(errors, validation);
        if (!all.isEmpty()) {
            return ParsedRow.Rejected.invalid(line, raw, all);
        }
        return new ParsedRow.Accepted<>(line, raw, input.id(), ReportMapper.toAvro(input, reportedAt));
    }

    private static Integer optionalCount(CsvRecordReader csv, List<String> fields, String column, String path,
            List<FieldError> errors) {
        int index = csv.column(column);
        return index < 0 ? null : FieldConversions.count(fields.get(index), path, errors);
    }
}
