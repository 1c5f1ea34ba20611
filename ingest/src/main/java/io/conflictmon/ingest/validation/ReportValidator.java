package io.conflictmon.ingest.validation;

import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.model.CasualtyReportInput;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.StrikeReportInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules every incoming report must pass, shared by the importers and the HTTP API. Run it on a report with its
 * defaults filled ({@link io.conflictmon.ingest.model.ReportMapper#withDefaults}). Returns every error at once, each
 * naming what is allowed; an empty list means valid.
 */
public final class ReportValidator {
    /** Earliest date any report may mention: the conflict data starts well after it. */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(2014, 1, 1);
    private static final Instant EARLIEST_INSTANT = KyivTime.startOfDay(EARLIEST_DATE);
    /** How far into the future a report may reach (clock skew, time zones). */
    public static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
    /** The largest attack on record is about 800 drones; a count above this is a typo or garbage. */
    public static final int MAX_LAUNCHED = 5_000;
    public static final int MAX_CASUALTIES = 1_000_000;
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_SOURCE_LENGTH = 100;
    public static final int MAX_MODEL_LENGTH = 200;
    public static final int MAX_PLACE_LENGTH = 500;
    public static final int MAX_TARGET_REGIONS = 100;
    public static final int MAX_REF_LENGTH = 2_000;
    public static final int MAX_WAVE_ID_LENGTH = 64;

    /**
     * Ids go into Kafka keys, URLs and logs: printable, no spaces ({@code [A-Za-z0-9][A-Za-z0-9._:/+@=-]*}). Checked
     * with a character loop, as are control characters ({@code \p{Cntrl}}): these checks run on every field of every
     * imported row, and a regex matcher each was a tenth of the import's time.
     */
    private static final String ID_PUNCTUATION = "._:/+@=-";

    private final Clock clock;

    public ReportValidator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public List<FieldError> validate(StrikeReportInput r) {
        Errors errors = new Errors();
        id(errors, "id", r.id(), true);
        text(errors, "source", r.source(), true, MAX_SOURCE_LENGTH);
        Instant latest = clock.instant().plus(FUTURE_TOLERANCE);
        instant(errors, "timeStart", r.timeStart(), EARLIEST_INSTANT, latest);
        instant(errors, "timeEnd", r.timeEnd(), EARLIEST_INSTANT, latest);
        if (r.timeStart() != null && r.timeEnd() != null && r.timeEnd().isBefore(r.timeStart())) {
            errors.add("timeEnd", "must not be before timeStart (" + r.timeStart() + "); got " + r.timeEnd());
        }
        if (r.timePrecision() == null || r.timePrecision() == TimePrecision.UNKNOWN) {
            errors.add("timePrecision", (r.timePrecision() == null ? "required: " : "must be ")
                    + "MINUTE (the window has times) or DAY (the source gave a date only)");
        }
        text(errors, "weaponModel", r.weaponModel(), true, MAX_MODEL_LENGTH);
        if (r.weaponClass() == null) {
            errors.add("weaponClass", "required: one of ATTACK_DRONE, OTHER_DRONE, CRUISE_MISSILE, BALLISTIC_MISSILE, "
                    + "GUIDED_BOMB, SURFACE_TO_AIR_MISSILE, UNKNOWN");
        }
        count(errors, "launched", r.launched(), true, MAX_LAUNCHED);
        count(errors, "destroyed", r.destroyed(), false, MAX_LAUNCHED);
        if (r.launched() != null && r.destroyed() != null && r.destroyed() > r.launched() && r.launched() >= 0) {
            errors.add("destroyed", "must not exceed launched (" + r.launched() + "); got " + r.destroyed());
        }
        text(errors, "launchArea", r.launchArea(), false, MAX_PLACE_LENGTH);
        List<String> regions = r.targetRegions();
        if (regions != null) {
            if (regions.size() > MAX_TARGET_REGIONS) {
                errors.add("targetRegions", "at most " + MAX_TARGET_REGIONS + " regions allowed; got " + regions.size());
            } else {
                for (int i = 0; i < regions.size(); i++) {
                    text(errors, "targetRegions[" + i + "]", regions.get(i), true, MAX_PLACE_LENGTH);
                }
            }
        }
        text(errors, "sourceRef", r.sourceRef(), false, MAX_REF_LENGTH);
        return errors.list;
    }

    public List<FieldError> validate(CasualtyReportInput r) {
        Errors errors = new Errors();
        id(errors, "id", r.id(), true);
        text(errors, "source", r.source(), true, MAX_SOURCE_LENGTH);
        LocalDate latest = KyivTime.dayOf(clock.instant().plus(FUTURE_TOLERANCE));
        date(errors, "periodStart", r.periodStart(), latest);
        date(errors, "periodEnd", r.periodEnd(), null);
        if (r.periodStart() != null && r.periodEnd() != null) {
            period(errors, r.periodStart(), r.periodEnd(), latest);
        }
        text(errors, "region", r.region(), false, MAX_PLACE_LENGTH);
        count(errors, "killed", r.killed(), true, MAX_CASUALTIES);
        count(errors, "injured", r.injured(), true, MAX_CASUALTIES);
        count(errors, "childrenKilled", r.childrenKilled(), false, MAX_CASUALTIES);
        count(errors, "childrenInjured", r.childrenInjured(), false, MAX_CASUALTIES);
        if (r.killed() != null && r.childrenKilled() != null && r.childrenKilled() > r.killed()) {
            errors.add("childrenKilled", "must not exceed killed (" + r.killed() + "); got " + r.childrenKilled());
        }
        if (r.injured() != null && r.childrenInjured() != null && r.childrenInjured() > r.injured()) {
            errors.add("childrenInjured", "must not exceed injured (" + r.injured() + "); got " + r.childrenInjured());
        }
        id(errors, "strikeReportId", r.strikeReportId(), false);
        text(errors, "waveId", r.waveId(), false, MAX_WAVE_ID_LENGTH);
        return errors.list;
    }

    /**
     * A period is a day or a range of days inside one calendar month (an incident, a whole month) or a whole
     * calendar year; anything else could not be told apart from, or would be double counted against, the month
     * and year reports it overlaps.
     */
    private static void period(Errors errors, LocalDate start, LocalDate end, LocalDate latest) {
        if (end.isBefore(start)) {
            errors.add("periodEnd", "must not be before periodStart (" + start + "); got " + end);
            return;
        }
        boolean withinOneMonth = YearMonth.from(start).equals(YearMonth.from(end));
        boolean wholeYear = start.getDayOfYear() == 1 && end.equals(start.withDayOfYear(start.lengthOfYear()));
        if (!withinOneMonth && !wholeYear) {
            errors.add("periodEnd", "the period " + start + ".." + end + " is not allowed: it must be a day or a range of "
                    + "days within one calendar month (a whole month included), or a whole calendar year (Jan 1 to Dec 31)");
            return;
        }
        boolean wholeMonth = start.getDayOfMonth() == 1 && end.equals(YearMonth.from(start).atEndOfMonth());
        // A month or year report may be published before its period is over; a report of days may not.
        if (!wholeMonth && !wholeYear && end.isAfter(latest)) {
            errors.add("periodEnd", "must not be later than " + latest + " (at most one day in the future); got " + end);
        }
    }

    private static void id(Errors errors, String path, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                errors.add(path, "required: 1 to " + MAX_ID_LENGTH + " characters");
            }
            return;
        }
        if (value.length() > MAX_ID_LENGTH) {
            errors.add(path, "at most " + MAX_ID_LENGTH + " characters allowed; got " + value.length());
        } else if (!isId(value)) {
            errors.add(path, "must start with a letter or digit and contain only letters, digits and . _ : / + @ = -");
        }
    }

    private static void text(Errors errors, String path, String value, boolean required, int maxLength) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(path, "required: a non-blank text of at most " + maxLength + " characters");
            }
            return;
        }
        if (value.length() > maxLength) {
            errors.add(path, "at most " + maxLength + " characters allowed; got " + value.length());
        } else if (hasControlCharacter(value)) {
            errors.add(path, "must not contain control characters (tabs, line breaks...)");
        } else if (hasLoneSurrogate(value)) {
            errors.add(path, "must be valid Unicode: holds half of a surrogate pair (an escape such as \\ud800 alone), "
                    + "which UTF-8 cannot store");
        }
    }

    private static boolean isId(String value) {
        if (!isAsciiLetterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAsciiLetterOrDigit(c) && ID_PUNCTUATION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** {@code \p{Cntrl}}: U+0000 to U+001F and U+007F. */
    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** True when a UTF-16 surrogate is not part of a pair: such text would be stored as '?', silently changed. */
    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void count(Errors errors, String path, Integer value, boolean required, int max) {
        if (value == null) {
            if (required) {
                errors.add(path, "required: a whole number from 0 to " + max);
            }
            return;
        }
        if (value < 0 || value > max) {
            errors.add(path, "must be a whole number from 0 to " + max + "; got " + value);
        }
    }

    private static void instant(Errors errors, String path, Instant value, Instant earliest, Instant latest) {
        if (value == null) {
            errors.add(path, "required: an ISO-8601 instant (2026-01-08T17:30:00Z) or date-time with offset "
                    + "(2026-01-08T19:30:00+02:00)");
            return;
        }
        if (value.isBefore(earliest)) {
            errors.add(path, "must not be before " + EARLIEST_DATE + " (Kyiv time); got " + value);
        } else if (value.isAfter(latest)) {
            errors.add(path, "must not be more than one day in the future (latest " + latest + "); got " + value);
        }
    }

    private static void date(Errors errors, String path, LocalDate value, LocalDate latest) {
        if (value == null) {
            errors.add(path, "required: an ISO date (2025-01-31)");
            return;
        }
        if (value.isBefore(EARLIEST_DATE)) {
            errors.add(path, "must not be before " + EARLIEST_DATE + "; got " + value);
        } else if (latest != null && value.isAfter(latest)) {
            errors.add(path, "must not be later than " + latest + " (at most one day in the future); got " + value);
        }
    }

    private static final class Errors {
        final List<FieldError> list = new ArrayList<>();

        void add(String path, String message) {
            list.add(new FieldError(path, message));
        }
    }
}
