package io.conflictmon.streams.casualties;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.YoyBasis;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The casualty totals of one source over one year, computed from scratch from the reports of that
 * year and of the year before (pure, so the processor can recompute whenever any of them changes).
 *
 * <p>Supersession: a month's figures are the sum of its MONTH reports when it has any, else of its
 * INCIDENT reports; a year's figures are the sum of its YEAR reports when it has any (complete, 12
 * months covered), else the sum of its month figures (complete when all 12 months have some).
 * Reports at one level add up (e.g. regional month reports); a source must not publish a national
 * and a regional report at the same level for the same period, or it counts twice.
 *
 * <p>Year on year: a complete year compares against the whole previous year as recorded
 * ({@code FULL_YEAR}); an incomplete year compares its covered months against the same months of the
 * previous year ({@code YEAR_TO_DATE}), which needs month figures for every one of them (an annual
 * report alone cannot be split into months); a month compares against the same month of the previous
 * year ({@code YEAR_TO_DATE}). Without a comparison period the basis is {@code NONE}. Increases are
 * percentages rounded to two decimals, null when the previous figure is zero.
 */
public final class CasualtyTotalsCalculator {

  private CasualtyTotalsCalculator() {
  }

  /**
   * Totals of {@code source} for {@code year}: the year under {@link CasualtyPeriod#yearKey} and each
   * month with figures under {@link CasualtyPeriod#monthKey}; empty when the year has no reports.
   */
  public static Map<String, CasualtyTotals> totals(String source, int year, Collection<CasualtyReport> reportsOfYear,
                                                   Collection<CasualtyReport> reportsOfPreviousYear, Instant updatedAt) {
    YearFigures current = YearFigures.of(reportsOfYear);
    Map<String, CasualtyTotals> out = new LinkedHashMap<>();
    if (current.isEmpty()) {
      return out;
    }
    YearFigures previous = YearFigures.of(reportsOfPreviousYear);

    Figures comparison = null;
    YoyBasis basis = YoyBasis.NONE;
    if (current.complete() && !previous.isEmpty()) {
      comparison = previous.year();
      basis = YoyBasis.FULL_YEAR;
    } else if (!current.complete() && !current.months().isEmpty()
        && previous.months().keySet().containsAll(current.months().keySet())) {
      comparison = Figures.sum(current.months().keySet().stream().map(month -> previous.months().get(month).figures()).toList());
      basis = YoyBasis.YEAR_TO_DATE;
    }
    out.put(CasualtyPeriod.yearKey(source, year),
        build(source, year, null, current.year(), current.monthsCovered(), current.complete(), basis, comparison, updatedAt));

    for (Map.Entry<Integer, MonthFigures> month : current.months().entrySet()) {
      MonthFigures previousMonth = previous.months().get(month.getKey());
      out.put(CasualtyPeriod.monthKey(source, year, month.getKey()),
          build(source, year, month.getKey(), month.getValue().figures(), 1, month.getValue().complete(),
              previousMonth == null ? YoyBasis.NONE : YoyBasis.YEAR_TO_DATE,
              previousMonth == null ? null : previousMonth.figures(), updatedAt));
    }
    return out;
  }

  private static CasualtyTotals build(String source, int year, Integer month, Figures figures, int monthsCovered,
                                      boolean complete, YoyBasis basis, Figures previous, Instant updatedAt) {
    CasualtyTotals.Builder totals = CasualtyTotals.newBuilder()
        .setSource(source)
        .setYear(year)
        .setMonth(month)
        .setKilled(figures.killed())
        .setInjured(figures.injured())
        .setTotal(figures.total())
        .setChildrenKilled(figures.childrenKilled())
        .setChildrenInjured(figures.childrenInjured())
        .setMonthsCovered(monthsCovered)
        .setComplete(complete)
        .setBasis(basis)
        .setUpdatedAt(updatedAt);
    if (previous != null) {
      totals.setPreviousKilled(previous.killed())
          .setPreviousInjured(previous.injured())
          .setPreviousTotal(previous.total())
          .setIncreasePct(increasePct(figures.total(), previous.total()))
          .setKilledIncreasePct(increasePct(figures.killed(), previous.killed()))
          .setInjuredIncreasePct(increasePct(figures.injured(), previous.injured()));
    }
    return totals.build();
  }

  /** (current - previous) / previous x 100, two decimals, half up; null when previous is 0. */
  public static Double increasePct(long current, long previous) {
    if (previous == 0) {
      return null;
    }
    return BigDecimal.valueOf(current - previous)
        .multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(previous), 2, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** True when two totals say the same, whenever they were computed. */
  public static boolean sameContent(CasualtyTotals a, CasualtyTotals b) {
    if (a == null || b == null) {
      return a == b;
    }
    CasualtyTotals normalized = CasualtyTotals.newBuilder(b).setUpdatedAt(a.getUpdatedAt()).build();
    return a.equals(normalized);
  }

  /** Killed and injured over some reports; children null unless every report gives them. */
  record Figures(long killed, long injured, Long childrenKilled, Long childrenInjured) {

    long total() {
      return killed + injured;
    }

    static Figures ofReports(Collection<CasualtyReport> reports) {
      return sum(reports.stream().map(Figures::of).toList());
    }

    static Figures of(CasualtyReport report) {
      return new Figures(report.getKilled(), report.getInjured(),
          report.getChildrenKilled() == null ? null : report.getChildrenKilled().longValue(),
          report.getChildrenInjured() == null ? null : report.getChildrenInjured().longValue());
    }

    static Figures sum(List<Figures> parts) {
      long killed = 0;
      long injured = 0;
      Long childrenKilled = 0L;
      Long childrenInjured = 0L;
      for (Figures part : parts) {
        killed += part.killed();
        injured += part.injured();
        childrenKilled = childrenKilled == null || part.childrenKilled() == null ? null : childrenKilled + part.childrenKilled();
        childrenInjured = childrenInjured == null || part.childrenInjured() == null ? null : childrenInjured + part.childrenInjured();
      }
      return new Figures(killed, injured, childrenKilled, childrenInjured);
    }
  }

  /** @param complete true when a whole-month report gives the figures (not incidents only) */
  record MonthFigures(Figures figures, boolean complete) {
  }

  /** A year after supersession. */
  record YearFigures(Figures year, TreeMap<Integer, MonthFigures> months, int monthsCovered, boolean complete) {

    boolean isEmpty() {
      return year == null;
    }

    static YearFigures of(Collection<CasualtyReport> reports) {
      List<CasualtyReport> yearReports = new ArrayList<>();
      Map<Integer, List<CasualtyReport>> monthReports = new TreeMap<>();
      Map<Integer, List<CasualtyReport>> incidentReports = new TreeMap<>();
      for (CasualtyReport report : reports) {
        Optional<CasualtyPeriod> period = CasualtyPeriod.of(report);
        if (period.isEmpty()) {
          continue; // the validator keeps these out; never count what we cannot place
        }
        switch (period.get().scope()) {
          case YEAR -> yearReports.add(report);
          case MONTH -> monthReports.computeIfAbsent(period.get().month(), m -> new ArrayList<>()).add(report);
          case INCIDENT -> incidentReports.computeIfAbsent(period.get().month(), m -> new ArrayList<>()).add(report);
        }
      }
      TreeMap<Integer, MonthFigures> months = new TreeMap<>();
      for (int month = 1; month <= 12; month++) {
        if (monthReports.containsKey(month)) {
          months.put(month, new MonthFigures(Figures.ofReports(monthReports.get(month)), true));
        } else if (incidentReports.containsKey(month)) {
          months.put(month, new MonthFigures(Figures.ofReports(incidentReports.get(month)), false));
        }
      }
      if (!yearReports.isEmpty()) {
        return new YearFigures(Figures.ofReports(yearReports), months, 12, true);
      }
      if (months.isEmpty()) {
        return new YearFigures(null, months, 0, false);
      }
      Figures sum = Figures.sum(months.values().stream().map(MonthFigures::figures).toList());
      boolean allMonthsReported = months.size() == 12 && months.values().stream().allMatch(MonthFigures::complete);
      return new YearFigures(sum, months, months.size(), allMonthsReported);
    }
  }
}
