package io.conflictmon.streams.casualties;

import io.conflictmon.avro.CasualtyReport;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * What a casualty report covers, which decides what it supersedes: a whole year supersedes the month
 * and incident reports of that year, a whole month the incident reports of that month. An incident
 * is any range of days inside one month.
 *
 * @param month 1-12; 0 for a YEAR report
 */
public record CasualtyPeriod(Scope scope, int year, int month) {

  public enum Scope { YEAR, MONTH, INCIDENT }

  /** The period of a report, or empty when it spans months without being a whole year. */
  public static Optional<CasualtyPeriod> of(CasualtyReport report) {
    return of(report.getPeriodStart(), report.getPeriodEnd());
  }

  public static Optional<CasualtyPeriod> of(LocalDate start, LocalDate end) {
    if (start == null || end == null || end.isBefore(start)) {
      return Optional.empty();
    }
    if (start.getYear() == end.getYear() && start.getDayOfYear() == 1
        && end.getMonth() == Month.DECEMBER && end.getDayOfMonth() == 31) {
      return Optional.of(new CasualtyPeriod(Scope.YEAR, start.getYear(), 0));
    }
    if (start.getYear() != end.getYear() || start.getMonth() != end.getMonth()) {
      return Optional.empty();
    }
    boolean wholeMonth = start.getDayOfMonth() == 1 && end.equals(start.with(TemporalAdjusters.lastDayOfMonth()));
    return Optional.of(new CasualtyPeriod(wholeMonth ? Scope.MONTH : Scope.INCIDENT, start.getYear(), start.getMonthValue()));
  }

  /** Store key of the totals of a source's year: {@code ohchr/2025}. */
  public static String yearKey(String source, int year) {
    return source + "/" + String.format("%04d", year);
  }

  /** Store key of the totals of a source's month: {@code ohchr/2025-03}. */
  public static String monthKey(String source, int year, int month) {
    return source + "/" + String.format("%04d-%02d", year, month);
  }
}
