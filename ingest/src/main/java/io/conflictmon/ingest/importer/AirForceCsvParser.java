package io.conflictmon.ingest.importer;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.ReportIds;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Parser of the Air Force attack log {@code missile_attacks_daily.csv} (one row per weapon model per attack),
 * handling the quirks listed in the data README:
 * <ul>
 *   <li>times are Kyiv local time, with or without a leading zero in the hour ({@code 2023-05-16 3:30}), sometimes
 *       with trailing spaces; converted to instants with DST ({@link KyivTime});</li>
 *   <li>a row whose {@code time_start} and {@code time_end} both carry a time is {@link TimePrecision#MINUTE}. A row
 *       with a date only in both columns is {@link TimePrecision#DAY}: it begins at that day's 00:00 and ends at its
 *       last millisecond (see {@link KyivTime#endOfDay}), so the window never reaches the next day.</li>
 *   <li>about 780 rows (the Air Force's own summaries of 2023-2024, e.g. {@code 2024-02-20 | 2024-02-20 10:00})
 *       carry a time on one side only. When the date-only side is the same day as the timed side, the missing time
 *       reads as that day's 00:00 and the row is {@link TimePrecision#MINUTE}: these are the main wave reports of
 *       two years, and leaving them out of waves would leave those years without waves. When the dates differ (5
 *       small regional rows), the window could span two nights and glue them together, so the row is
 *       {@link TimePrecision#DAY}.</li>
 *   <li>counts are floats ({@code 339.0}); non-integral values are refused; a missing {@code launched} refuses the
 *       row, a missing {@code destroyed} is null;</li>
 *   <li>{@code target} is split on " and " into target regions; commas stay inside a region
 *       ({@code "Dnipropetrovsk oblast, Dnipro Raion"});</li>
 *   <li>{@code source} is the post's path ({@code kpszsu/posts/pfbid...}); the reporter is the part before
 *       {@code /posts/} and the whole value is kept as {@code sourceRef}.</li>
 * </ul>
 * Ids: {@code af-} and 20 hex digits of SHA-256 over the row's identifying fields (normalised times, model, launch
 * place, target, source), not over its counts; see {@link ReportIds}. No two rows of the real file share them.
 */
public final class AirForceCsvParser implements ReportFileParser<StrikeReport> {
    public static final String ID_PREFIX = "af";
    public static final List<String> REQUIRED_COLUMNS =
            List.of("time_start", "time_end", "model", "launch_place", "target", "launched", "destroyed", "source");

    /** {@code yyyy-MM-dd}, optionally followed by {@code H:mm} or {@code HH:mm} (and optional seconds). */
    private static final DateTimeFormatter LOCAL_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart()
            .appendLiteral(' ')
            .appendValue(ChronoField.HOUR_OF_DAY, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalEnd()
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern AND = Pattern.compile("\\s+and\\s+");
    private static final Pattern URL_PREFIX =
            Pattern.compile("^(?i)(https?://)?(www\\.|m\\.)?((t\\.me|facebook\\.com|fb\\.com)/)?");

    private final ReportMapper mapper;
    private final ReportValidator validator;
    private final Instant reportedAt;
    private final String fileName;

    /**
     * @param reportedAt the import time, stamped on every report (not part of ids or fingerprints)
     * @param fileName   for error messages
     */
    public AirForceCsvParser(ReportMapper mapper, ReportValidator validator, Instant reportedAt, String fileName) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.reportedAt = Objects.requireNonNull(reportedAt, "reportedAt");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
    }

    @Override
    public Stream<Supplier<ParsedRow<StrikeReport>>> deferredRows(Reader reader) {
        return CsvRecordReader.deferredRows(reader, fileName, REQUIRED_COLUMNS, this::parseRecord);
    }

    private ParsedRow<StrikeReport> parseRecord(CsvRecordReader csv, CsvRecordReader.RawRecord record) {
        long line = record.lineNumber();
        String raw = record.text();
        List<String> fields = record.fields();
        List<FieldError> errors = new ArrayList<>();

        String startText = fields.get(csv.column("time_start")).strip();
        String endText = fields.get(csv.column("time_end")).strip();
        Object start = localTime(startText, "timeStart", "time_start", errors);
        Object end = localTime(endText, "timeEnd", "time_end", errors);
        TimePrecision precision = precision(start, end);
        Instant timeStart = start instanceof LocalDateTime t ? KyivTime.windowStart(t)
                : start instanceof LocalDate d ? KyivTime.startOfDay(d) : null;
        Instant timeEnd = end instanceof LocalDateTime t ? KyivTime.windowEnd(t)
                : end instanceof LocalDate d
                        ? (precision == TimePrecision.MINUTE ? max(timeStart, KyivTime.startOfDay(d)) : KyivTime.endOfDay(d))
                        : null;

        String model = FieldConversions.text(fields.get(csv.column("model")));
        String launchPlace = FieldConversions.text(fields.get(csv.column("launch_place")));
        String target = FieldConversions.text(fields.get(csv.column("target")));
        String sourceRef = FieldConversions.text(fields.get(csv.column("source")));
        Integer launched = FieldConversions.count(fields.get(csv.column("launched")), "launched", errors);
        Integer destroyed = FieldConversions.count(fields.get(csv.column("destroyed")), "destroyed", errors);

        String id = ReportIds.hashed(ID_PREFIX, List.of(
                start == null ? startText : start.toString(),
                end == null ? endText : end.toString(),
                model == null ? "" : model,
                launchPlace == null ? "" : launchPlace,
                target == null ? "" : target,
                sourceRef == null ? "" : sourceRef));
        StrikeReportInput input = mapper.withDefaults(new StrikeReportInput(id, reporter(sourceRef), timeStart, timeEnd,
                precision, model, null, launched, destroyed, launchPlace, targetRegions(target), sourceRef));

        List<FieldError> all = FieldConversions.merge(errors, validator.validate(input));
        if (!all.isEmpty()) {
            return ParsedRow.Rejected.invalid(line, raw, all);
        }
        return new ParsedRow.Accepted<>(line, raw, id, ReportMapper.toAvro(input, reportedAt));
    }

    /** A {@link LocalDateTime} when the text has a time, a {@link LocalDate} for a date only, null on error. */
    static Object localTime(String text, String path, String column, List<FieldError> errors) {
        if (text.isEmpty()) {
            errors.add(new FieldError(path, "required: column " + column + " is empty; expected a Kyiv local date-time "
                    + "(2026-01-08 19:30) or date (2026-01-08)"));
            return null;
        }
        try {
            return LOCAL_TIME.parseBest(text, LocalDateTime::from, LocalDate::from);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(path, "column " + column + " '" + text + "' is not a Kyiv local date-time "
                    + "(2026-01-08 19:30) or date (2026-01-08)"));
            return null;
        }
    }

    /** Target regions: the target split on " and "; empty for no target. */
    static List<String> targetRegions(String target) {
        if (target == null) {
            return List.of();
        }
        List<String> regions = new ArrayList<>();
        for (String part : AND.split(target)) {
            if (!part.isBlank()) {
                regions.add(part.strip());
            }
        }
        return regions;
    }

    /**
     * Who reported: the part of the source before {@code /posts/} ({@code kpszsu}, {@code PvKPivden}); for other
     * links the first path segment after a Telegram/Facebook host ({@code https://t.me/kpszsu/22252} -> kpszsu,
     * {@code PvKPivden/videos/...} -> PvKPivden); Facebook {@code watch/?v=} links -> {@code facebook}.
     */
    static String reporter(String sourceRef) {
        if (sourceRef == null) {
            return null;
        }
        int posts = sourceRef.indexOf("/posts/");
        if (posts > 0) {
            return sourceRef.substring(0, posts);
        }
        String path = URL_PREFIX.matcher(sourceRef).replaceFirst("");
        int slash = path.indexOf('/');
        String first = slash >= 0 ? path.substring(0, slash) : path;
        if (first.equalsIgnoreCase("watch") || first.startsWith("watch?")) {
            return "facebook";
        }
        return first.isBlank() ? null : first;
    }

    /** See the class comment: MINUTE when both sides have a time, or one side has and the other is the same day. */
    static TimePrecision precision(Object start, Object end) {
        if (start instanceof LocalDateTime && end instanceof LocalDateTime) {
            return TimePrecision.MINUTE;
        }
        if (start instanceof LocalDateTime s && end instanceof LocalDate e && s.toLocalDate().equals(e)
                || start instanceof LocalDate s2 && end instanceof LocalDateTime e2 && e2.toLocalDate().equals(s2)) {
            return TimePrecision.MINUTE;
        }
        return TimePrecision.DAY;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
