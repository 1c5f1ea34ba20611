package io.conflictmon.streams.query;

import io.conflictmon.streams.totals.KyivCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads the query parameters of one request, collecting a problem per bad parameter so that a 400 names every one of
 * them at once ({@link #check()}). Calendar dates are Kyiv dates, as everywhere in the counting rules.
 */
final class QueryParams {

  /** Strike-total granularities by their query value. */
  enum Granularity {
    DAY(10), MONTH(7), YEAR(4);

    /** Length of the period key: {@code 2026-01-09}, {@code 2026-01}, {@code 2026}. */
    final int keyLength;

    Granularity(int keyLength) {
      this.keyLength = keyLength;
    }

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The key of the period of this granularity that holds the day. */
    String keyOf(LocalDate day) {
      return switch (this) {
        case DAY -> KyivCalendar.dayKey(day);
        case MONTH -> KyivCalendar.monthKey(day);
        case YEAR -> KyivCalendar.yearKey(day);
      };
    }
  }

  private final Function<String, String> params;
  private final List<QueryError.FieldProblem> problems = new ArrayList<>();

  QueryParams(Function<String, String> params) {
    this.params = params;
  }

  private String raw(String name) {
    String value = params.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private void problem(String name, String message) {
    problems.add(new QueryError.FieldProblem(name, message));
  }

  /** Throws the 400 naming every bad parameter read so far. */
  void check() {
    if (!problems.isEmpty()) {
      throw QueryError.invalid(problems);
    }
  }

  /** An instant, or a Kyiv date meaning its first (from) or last (to) millisecond; null when absent or bad. */
  Instant instant(String name, boolean endOfDay) {
    String value = raw(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant(); // also takes 2026-01-08T17:30:00Z
    } catch (DateTimeParseException notInstant) {
      try {
        LocalDate day = LocalDate.parse(value);
        return endOfDay
            ? day.plusDays(1).atStartOfDay(KyivCalendar.KYIV).toInstant().minusMillis(1)
            : day.atStartOfDay(KyivCalendar.KYIV).toInstant();
      } catch (DateTimeParseException notDate) {
        problem(name, "must be an ISO-8601 instant (2026-01-08T17:30:00Z) or a date (2026-01-08), got '" + value + "'");
        return null;
      }
    }
  }

  /** A period ({@code 2026}, {@code 2026-01}, {@code 2026-01-09}) as its first (from) or last (to) day. */
  LocalDate day(String name, boolean lastDay) {
    String value = raw(name);
    if (value == null) {
      return null;
    }
    try {
      return switch (value.length()) {
        case 4 -> lastDay ? Year.parse(value).atMonth(12).atEndOfMonth() : Year.parse(value).atDay(1);
        case 7 -> lastDay ? YearMonth.parse(value).atEndOfMonth() : YearMonth.parse(value).atDay(1);
        default -> LocalDate.parse(value);
      };
    } catch (DateTimeParseException e) {
      problem(name, "must be a year (2026), a month (2026-01) or a date (2026-01-09), got '" + value + "'");
      return null;
    }
  }

  int integer(String name, int defaultValue, int min, int max) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        problem(name, "must be between " + min + " and " + max + ", got " + parsed);
        return defaultValue;
      }
      return parsed;
    } catch (NumberFormatException e) {
      problem(name, "must be a whole number between " + min + " and " + max + ", got '" + value + "'");
      return defaultValue;
    }
  }

  /** A year 1900..9999; null when absent (or bad, then a problem is recorded) unless required. */
  Integer year(String name, boolean required) {
    String value = raw(name);
    if (value == null) {
      if (required) {
        problem(name, "is required (a year such as 2025)");
      }
      return null;
    }
    if (!value.matches("\\d{4}")) {
      problem(name, "must be a year such as 2025, got '" + value + "'");
      return null;
    }
    return Integer.valueOf(value);
  }

  /** A source id: letters, digits, '-', '_' and '.'. */
  String source(String name, String defaultValue) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    if (!value.matches("[A-Za-z0-9._-]{1,100}")) {
      problem(name, "must be a source id of letters, digits, '.', '_' or '-', got '" + value + "'");
      return defaultValue;
    }
    return value;
  }

  Granularity granularity(String name, Granularity defaultValue) {
    String value = raw(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Granularity.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problem(name, "must be one of day, month, year, got '" + value + "'");
      return defaultValue;
    }
  }

  /** Records a problem on {@code to} when both bounds are known and {@code from} is after {@code to}. */
  <T extends Comparable<? super T>> void ordered(String fromName, T from, String toName, T to) {
    if (from != null && to != null && from.compareTo(to) > 0) {
      problem(toName, "must not be before " + fromName + " (" + from + " > " + to + ")");
    }
  }
}
