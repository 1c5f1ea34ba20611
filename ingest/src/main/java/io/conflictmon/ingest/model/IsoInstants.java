package io.conflictmon.ingest.model;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The common shapes of ISO-8601 instants, read and written with character loops: every imported JSON row has two
 * times, and {@code DateTimeFormatter} parsing (through jsr310's {@code InstantDeserializer}) was a third of the
 * parser threads' time, {@link Instant#toString()} for the ids another tenth.
 *
 * <p>Why hand-written rather than a fast ISO-8601 library: the importer's contract is jsr310's {@code ISO_INSTANT}
 * (its shapes, its error messages); a library accepts a different set of shapes (lower-case {@code t}, spaces, hours
 * of 24). So this reads only the strict common subset, {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)} with a
 * valid date and time, and answers null for anything else, which then takes the jsr310 path as before (same results,
 * same errors). Writing covers the years 1970 to 9999 and is {@link Instant#toString()} elsewhere. Both are tested
 * against the JDK on the real data and on random instants.
 */
public final class IsoInstants {
    /** 9999-12-31T23:59:59Z: the last second that {@link Instant#toString()} writes with a 4-digit year. */
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private IsoInstants() {
    }

    /** The instant of a text in the common shape, or null when the text has any other shape or an invalid field. */
    public static Instant parseCommon(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
            return null; // also leap seconds and 24:00, which ISO_INSTANT reads in its own way
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int end = at + 1;
            while (end < length && end - at <= 9 && isDigit(text.charAt(end))) {
                end++;
            }
            int fractionDigits = end - at - 1;
            if (fractionDigits == 0 || (end < length && isDigit(text.charAt(end)))) {
                return null;
            }
            nanos = digits(text, at + 1, end) * POWERS_OF_TEN[9 - fractionDigits];
            at = end;
        }
        int offsetSeconds;
        if (at == length - 1 && text.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && text.charAt(at + 3) == ':') {
            int offsetHours = digits(text, at + 1, at + 3);
            int offsetMinutes = digits(text, at + 4, at + 6);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** Appends {@link Instant#toString()} of the instant, without a formatter for the years 1970 to 9999. */
    public static StringBuilder append(StringBuilder out, Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < 0 || epochSecond > LAST_FOUR_DIGIT_SECOND) {
            return out.append(instant);
        }
        LocalDate date = LocalDate.ofEpochDay(epochSecond / SECONDS_PER_DAY);
        int secondOfDay = (int) (epochSecond % SECONDS_PER_DAY);
        pad(out, date.getYear(), 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, secondOfDay / 60 % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos > 0) { // as ISO_INSTANT: in groups of three digits, as many as needed
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(out, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(out, nanos / 1_000, 6);
            } else {
                pad(out, nanos, 9);
            }
        }
        return out.append('Z');
    }

    /** The value in {@code width} decimal digits, zeros first (the value has at most that many). */
    private static StringBuilder pad(StringBuilder out, int value, int width) {
        for (int power = POWERS_OF_TEN[width - 1]; power > 0; power /= 10) {
            out.append((char) ('0' + value / power % 10));
        }
        return out;
    }

    /** The number of ASCII digits from {@code from} to {@code to}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
