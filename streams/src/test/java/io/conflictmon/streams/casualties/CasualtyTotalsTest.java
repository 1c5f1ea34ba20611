package io.conflictmon.streams.casualties;

import static io.conflictmon.streams.testing.TestReports.casualty;
import static io.conflictmon.streams.testing.TestReports.month;
import static io.conflictmon.streams.testing.TestReports.year;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.YoyBasis;
import io.conflictmon.streams.testing.AirForceCsv;
import io.conflictmon.streams.testing.OhchrCsv;
import io.conflictmon.streams.testing.TopologyFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CasualtyTotalsTest {

  @TempDir
  Path stateDir;

  @Test
  void incidentsAreSupersededByTheirMonthAndMonthsByTheirYear() {
    CasualtyReport incident1 = casualty("kyiv-0303", "ohchr", "2025-03-03", "2025-03-03", 5, 20);
    CasualtyReport incident2 = casualty("odesa-0310", "ohchr", "2025-03-10", "2025-03-11", 3, 7);
    CasualtyReport april = casualty("kharkiv-0402", "ohchr", "2025-04-02", "2025-04-02", 2, 4);
    CasualtyReport march = month("ohchr", "2025-03", 164, 850);
    CasualtyReport wholeYear = year("ohchr", 2025, 2514, 12142);
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(incident1);
      fixture.put(incident2);
      fixture.put(april);
      assertFigures(fixture, "ohchr/2025-03", List.of(incident1, incident2));
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025-03").getComplete()).as("incidents only").isFalse();
      assertFigures(fixture, "ohchr/2025", List.of(incident1, incident2, april));
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025").getMonthsCovered()).isEqualTo(2);

      fixture.put(march);
      assertFigures(fixture, "ohchr/2025-03", List.of(march));
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025-03").getComplete()).isTrue();
      assertFigures(fixture, "ohchr/2025", List.of(march, april));

      fixture.put(wholeYear);
      CasualtyTotals yearTotals = fixture.casualtyTotalsInStore().get("ohchr/2025");
      assertFigures(fixture, "ohchr/2025", List.of(wholeYear));
      assertThat(yearTotals.getComplete()).isTrue();
      assertThat(yearTotals.getMonthsCovered()).isEqualTo(12);
      assertFigures(fixture, "ohchr/2025-03", List.of(march));

      fixture.retractCasualty(wholeYear.getId());
      assertFigures(fixture, "ohchr/2025", List.of(march, april));
      fixture.retractCasualty(march.getId());
      assertFigures(fixture, "ohchr/2025-03", List.of(incident1, incident2));
    }
  }

  @Test
  void fullYearIncreaseOverThePreviousYear() {
    CasualtyReport y2024 = year("ohchr", 2024, 2088, 9138);
    CasualtyReport y2025 = year("ohchr", 2025, 2514, 12142);
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(y2025);
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025").getBasis()).isEqualTo(YoyBasis.NONE);
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025").getIncreasePct()).isNull();

      fixture.put(y2024);
      CasualtyTotals totals = fixture.casualtyTotalsInStore().get("ohchr/2025");
      assertThat(totals.getBasis()).isEqualTo(YoyBasis.FULL_YEAR);
      assertThat(totals.getTotal()).isEqualTo(14_656);
      assertThat(totals.getPreviousTotal()).isEqualTo(11_226);
      assertThat(totals.getIncreasePct()).isCloseTo(pct(14_656, 11_226), within(0.005)).isEqualTo(30.55);
      assertThat(totals.getKilledIncreasePct()).isCloseTo(pct(2514, 2088), within(0.005)).isEqualTo(20.40);
      assertThat(totals.getInjuredIncreasePct()).isCloseTo(pct(12142, 9138), within(0.005)).isEqualTo(32.87);

      fixture.put(CasualtyReport.newBuilder(y2024).setKilled(2000).build());
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025").getPreviousKilled())
          .as("a correction of year Y recomputes year Y+1").isEqualTo(2000);
    }
  }

  @Test
  void yearToDateComparesTheSameMonthsOfThePreviousYear() {
    List<CasualtyReport> months2024 = IntStream.rangeClosed(1, 12)
        .mapToObj(m -> month("ohchr", String.format("2024-%02d", m), 100 + m, 400 + m)).toList();
    List<CasualtyReport> months2025 = List.of(month("ohchr", "2025-01", 150, 600), month("ohchr", "2025-02", 90, 300),
        month("ohchr", "2025-03", 120, 500));
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      months2024.forEach(fixture::put);
      months2025.forEach(fixture::put);
      Map<String, CasualtyTotals> totals = fixture.casualtyTotalsInStore();

      CasualtyTotals y2024 = totals.get("ohchr/2024");
      assertThat(y2024.getComplete()).as("twelve month reports make a complete year").isTrue();
      assertThat(y2024.getBasis()).isEqualTo(YoyBasis.NONE);

      CasualtyTotals y2025 = totals.get("ohchr/2025");
      long total = sumTotal(months2025);
      long previous = sumTotal(months2024.subList(0, 3));
      assertThat(y2025.getComplete()).isFalse();
      assertThat(y2025.getMonthsCovered()).isEqualTo(3);
      assertThat(y2025.getBasis()).isEqualTo(YoyBasis.YEAR_TO_DATE);
      assertThat(y2025.getTotal()).isEqualTo(total);
      assertThat(y2025.getPreviousTotal()).isEqualTo(previous);
      assertThat(y2025.getIncreasePct()).isCloseTo(pct(total, previous), within(0.005));

      CasualtyTotals feb = totals.get("ohchr/2025-02");
      assertThat(feb.getBasis()).isEqualTo(YoyBasis.YEAR_TO_DATE);
      assertThat(feb.getPreviousTotal()).isEqualTo(sumTotal(months2024.subList(1, 2)));

      // An annual report for 2024 does not remove the 2024 months the year-to-date figure needs.
      fixture.put(year("ohchr", 2024, 1, 1));
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2025").getPreviousTotal()).isEqualTo(previous);
    }
  }

  @Test
  void totalsAreKeptPerSource() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(year("ohchr", 2025, 10, 20));
      fixture.put(year("hrw", 2025, 1, 2));
      assertThat(fixture.casualtyTotalsInStore()).containsOnlyKeys("ohchr/2025", "hrw/2025");
      assertThat(fixture.casualtyTotalsInStore().get("hrw/2025").getTotal()).isEqualTo(3);
      fixture.retractCasualty("hrw-2025");
      assertThat(fixture.casualtyTotalsInStore()).containsOnlyKeys("ohchr/2025");
      assertThat(fixture.drainCasualtyTotals()).last().satisfies(kv -> {
        assertThat(kv.key).isEqualTo("hrw/2025");
        assertThat(kv.value).isNull();
      });
    }
  }

  /** The real OHCHR files give 14,656 civilians in 2025 against 11,226 in 2024: +30.55 %. */
  @Test
  void realOhchrFilesGiveTheReportedIncrease() throws IOException {
    Assumptions.assumeTrue(OhchrCsv.available(), "real data not found in " + AirForceCsv.dataDir());
    List<CasualtyReport> reports = OhchrCsv.read();
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      reports.forEach(fixture::put);
      CasualtyTotals y2025 = fixture.casualtyTotalsInStore().get("ohchr/2025");
      assertThat(y2025.getTotal()).isEqualTo(14_656);
      assertThat(y2025.getPreviousTotal()).isEqualTo(11_226);
      assertThat(y2025.getBasis()).isEqualTo(YoyBasis.FULL_YEAR);
      assertThat(y2025.getIncreasePct()).isEqualTo(30.55);
      assertThat(Math.round(y2025.getIncreasePct())).as("as reported").isEqualTo(31);
      CasualtyTotals y2023 = fixture.casualtyTotalsInStore().get("ohchr/2023");
      assertThat(y2023.getComplete()).isTrue();
      assertThat(y2023.getChildrenInjured()).as("2023 months lack children injured").isNull();
      assertThat(y2023.getChildrenKilled()).isNotNull();
      assertThat(fixture.casualtyTotalsInStore().get("ohchr/2022").getMonthsCovered()).isEqualTo(11);
    }
  }

  private static void assertFigures(TopologyFixture fixture, String key, List<CasualtyReport> counted) {
    CasualtyTotals totals = fixture.casualtyTotalsInStore().get(key);
    assertThat(totals).as(key).isNotNull();
    assertThat(totals.getKilled()).as("killed of %s", key).isEqualTo(counted.stream().mapToLong(CasualtyReport::getKilled).sum());
    assertThat(totals.getInjured()).as("injured of %s", key).isEqualTo(counted.stream().mapToLong(CasualtyReport::getInjured).sum());
    assertThat(totals.getTotal()).isEqualTo(totals.getKilled() + totals.getInjured());
  }

  private static long sumTotal(List<CasualtyReport> reports) {
    return reports.stream().mapToLong(r -> r.getKilled() + r.getInjured()).sum();
  }

  private static double pct(long current, long previous) {
    return (current - previous) * 100.0 / previous;
  }
}
