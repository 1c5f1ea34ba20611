package io.conflictmon.streams.totals;

import io.conflictmon.avro.Granularity;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The Kyiv calendar the strike totals count in, and the period keys they are published under. */
public final class KyivCalendar {

  public static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM");

  private KyivCalendar() {
  }

  /**
   * The Kyiv day a report counts on: the day its window ends (DESIGN.md). A date-only report counts
   * on its own date, taken from the start of its window: publishers may end a whole-day window at
   * 23:59:59.999 or at the next midnight, and the next midnight is already the next day.
   */
  public static LocalDate countingDay(StrikeReport report) {
    if (report.getTimePrecision() == TimePrecision.DAY) {
      return report.getTimeStart().atZone(KYIV).toLocalDate();
    }
    return report.getTimeEnd().atZone(KYIV).toLocalDate();
  }

  /** The day, month and year keys of a report, e.g. {@code 2026-01-09}, {@code 2026-01}, {@code 2026}. */
  public static List<String> periodsOf(StrikeReport report) {
    LocalDate day = countingDay(report);
    return List.of(dayKey(day), monthKey(day), yearKey(day));
  }

  public static String dayKey(LocalDate day) {
    return day.toString();
  }

  public static String monthKey(LocalDate day) {
    return day.format(MONTH);
  }

  public static String yearKey(LocalDate day) {
    int year = day.getYear();
    return year >= 1000 ? Integer.toString(year) : String.format("%04d", year); // format() only where padding is needed
  }

  /** The granularity a period key has by its shape. */
  public static Granularity granularityOf(String period) {
    return switch (period.length()) {
      case 4 -> Granularity.YEAR;
      case 7 -> Granularity.MONTH;
      case 10 -> Granularity.DAY;
      default -> throw new IllegalArgumentException("not a period key (yyyy, yyyy-MM or yyyy-MM-dd): " + period);
    };
  }
}
