package io.conflictmon.streams.testing;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Builders of test reports; times are Kyiv local, as the sources give them. */
public final class TestReports {

  public static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
  public static final Instant REPORTED_AT = Instant.parse("2026-02-01T00:00:00Z");
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

  private TestReports() {
  }

  /** {@code 2026-01-08 19:30} in Kyiv as an instant. */
  public static Instant kyiv(String localDateTime) {
    return LocalDateTime.parse(localDateTime, LOCAL).atZone(KYIV).toInstant();
  }

  public static StrikeReport minute(String id, String start, String end, WeaponClass weaponClass, String model,
                                    int launched, Integer destroyed) {
    return minute(id, "kpszsu", start, end, weaponClass, model, launched, destroyed);
  }

  public static StrikeReport minute(String id, String source, String start, String end, WeaponClass weaponClass,
                                    String model, int launched, Integer destroyed) {
    return StrikeReport.newBuilder()
        .setId(id)
        .setSource(source)
        .setReportedAt(REPORTED_AT)
        .setTimeStart(kyiv(start))
        .setTimeEnd(kyiv(end))
        .setTimePrecision(TimePrecision.MINUTE)
        .setWeaponModel(model)
        .setWeaponClass(weaponClass)
        .setLaunched(launched)
        .setDestroyed(destroyed)
        .setTargetRegions(List.of())
        .build();
  }

  /** A date-only report: its window is the whole Kyiv day, ending one millisecond before the next midnight. */
  public static StrikeReport day(String id, String date, WeaponClass weaponClass, String model, int launched, Integer destroyed) {
    LocalDate day = LocalDate.parse(date);
    return StrikeReport.newBuilder()
        .setId(id)
        .setSource("PvKPivden")
        .setReportedAt(REPORTED_AT)
        .setTimeStart(day.atStartOfDay(KYIV).toInstant())
        .setTimeEnd(day.plusDays(1).atStartOfDay(KYIV).toInstant().minusMillis(1))
        .setTimePrecision(TimePrecision.DAY)
        .setWeaponModel(model)
        .setWeaponClass(weaponClass)
        .setLaunched(launched)
        .setDestroyed(destroyed)
        .setTargetRegions(List.of())
        .build();
  }

  public static StrikeReport withLaunched(StrikeReport report, int launched, Integer destroyed) {
    return StrikeReport.newBuilder(report).setLaunched(launched).setDestroyed(destroyed).build();
  }

  public static StrikeReport withWindow(StrikeReport report, String start, String end) {
    return StrikeReport.newBuilder(report).setTimeStart(kyiv(start)).setTimeEnd(kyiv(end)).build();
  }

  public static StrikeReport resent(StrikeReport report, Instant reportedAt) {
    return StrikeReport.newBuilder(report).setReportedAt(reportedAt).build();
  }

  public static CasualtyReport casualty(String id, String source, String periodStart, String periodEnd, int killed, int injured) {
    return CasualtyReport.newBuilder()
        .setId(id)
        .setSource(source)
        .setReportedAt(REPORTED_AT)
        .setPeriodStart(LocalDate.parse(periodStart))
        .setPeriodEnd(LocalDate.parse(periodEnd))
        .setKilled(killed)
        .setInjured(injured)
        .build();
  }

  /** The OHCHR-style report of a whole month ({@code 2024-03}). */
  public static CasualtyReport month(String source, String yearMonth, int killed, int injured) {
    LocalDate first = LocalDate.parse(yearMonth + "-01");
    return casualty(source + "-" + yearMonth, source, first.toString(),
        first.withDayOfMonth(first.lengthOfMonth()).toString(), killed, injured);
  }

  /** The report of a whole year. */
  public static CasualtyReport year(String source, int year, int killed, int injured) {
    return casualty(source + "-" + year, source, year + "-01-01", year + "-12-31", killed, injured);
  }
}
