package io.conflictmon.streams.totals;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.avro.WeaponClass.BALLISTIC_MISSILE;
import static io.conflictmon.avro.WeaponClass.CRUISE_MISSILE;
import static io.conflictmon.avro.WeaponClass.UNKNOWN;
import static io.conflictmon.streams.testing.TestReports.day;
import static io.conflictmon.streams.testing.TestReports.minute;
import static io.conflictmon.streams.testing.TestReports.withLaunched;
import static io.conflictmon.streams.testing.TestReports.withWindow;
import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.Granularity;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.streams.testing.TopologyFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrikeTotalsTest {

  @TempDir
  Path stateDir;

  /**
   * Reports around the Kyiv DST switches, each with the Kyiv day it must count on. Each timed end
   * lies on another day in UTC, and spring-after / autumn-late on another day under the offset of
   * the other side of the switch, so only the Europe/Kyiv rules put all of them right.
   */
  static Stream<Arguments> kyivDays() {
    return Stream.of(
        // 30 Mar 2025: 03:00 EET -> 04:00 EEST, a 23-hour day.
        Arguments.of(minute("spring-before", "2025-03-29 22:00", "2025-03-30 00:30", ATTACK_DRONE, "Shahed-136/131", 10, 9), "2025-03-30"),
        Arguments.of(minute("spring-after", "2025-03-30 21:00", "2025-03-31 00:30", ATTACK_DRONE, "Shahed-136/131", 11, 10), "2025-03-31"),
        Arguments.of(minute("spring-inside", "2025-03-30 02:30", "2025-03-30 04:30", CRUISE_MISSILE, "Kalibr", 3, 2), "2025-03-30"),
        // 26 Oct 2025: 04:00 EEST -> 03:00 EET, a 25-hour day.
        Arguments.of(minute("autumn-early", "2025-10-25 22:00", "2025-10-26 00:30", ATTACK_DRONE, "Shahed-136/131", 12, 11), "2025-10-26"),
        Arguments.of(minute("autumn-late", "2025-10-26 21:00", "2025-10-26 23:30", ATTACK_DRONE, "Shahed-136/131", 13, 12), "2025-10-26"),
        Arguments.of(day("autumn-date-only", "2025-10-26", ATTACK_DRONE, "Unknown UAV", 4, 4), "2025-10-26"),
        Arguments.of(day("spring-date-only", "2025-03-30", ATTACK_DRONE, "Unknown UAV", 5, 5), "2025-03-30"));
  }

  @ParameterizedTest(name = "{0} counts on Kyiv day {1}")
  @MethodSource("kyivDays")
  void countsOnTheKyivDayOfTheWindowEnd(StrikeReport report, String kyivDay) {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(report);
      Map<String, StrikeTotals> totals = fixture.strikeTotalsInStore();
      assertThat(totals).containsOnlyKeys(kyivDay, kyivDay.substring(0, 7), kyivDay.substring(0, 4));
      StrikeTotals dayTotals = totals.get(kyivDay);
      assertThat(dayTotals.getGranularity()).isEqualTo(Granularity.DAY);
      assertThat(dayTotals.getDrones() + dayTotals.getMissiles()).isEqualTo(report.getLaunched());
      assertThat(dayTotals.getDestroyed()).isEqualTo(report.getDestroyed().longValue());
      assertThat(dayTotals.getReportCount()).isEqualTo(1);
    }
  }

  @Test
  void theTwoAutumnReportsShareTheTwentyFiveHourDay() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      List<StrikeReport> autumn = kyivDays().map(a -> (StrikeReport) a.get()[0])
          .filter(r -> r.getId().startsWith("autumn")).toList();
      fixture.putAll(autumn);
      StrikeTotals day = fixture.strikeTotalsInStore().get("2025-10-26");
      assertThat(day.getReportCount()).isEqualTo(autumn.size());
      assertThat(day.getDrones()).isEqualTo(autumn.stream().mapToLong(StrikeReport::getLaunched).sum());
    }
  }

  @Test
  void sumsPerDayMonthAndYearPerClass() {
    List<StrikeReport> reports = List.of(
        minute("a", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 242, 226),
        minute("b", "2026-01-08 19:30", "2026-01-09 09:00", CRUISE_MISSILE, "Kalibr", 22, 10),
        minute("c", "2026-01-19 19:00", "2026-01-20 10:00", BALLISTIC_MISSILE, "Iskander-M", 4, null),
        day("d", "2026-01-20", ATTACK_DRONE, "Unknown UAV", 7, 7),
        minute("e", "2026-02-01 01:00", "2026-02-01 02:00", UNKNOWN, "Mystery", 1, 1));
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.putAll(reports);
      Map<String, StrikeTotals> totals = fixture.strikeTotalsInStore();
      assertThat(totals).containsOnlyKeys("2026-01-09", "2026-01-20", "2026-02-01", "2026-01", "2026-02", "2026");
      assertTotals(totals.get("2026-01-09"), reports.subList(0, 2));
      assertTotals(totals.get("2026-01-20"), reports.subList(2, 4));
      assertTotals(totals.get("2026-01"), reports.subList(0, 4));
      assertTotals(totals.get("2026-02"), reports.subList(4, 5));
      assertTotals(totals.get("2026"), reports);
      assertThat(totals.get("2026").getGranularity()).isEqualTo(Granularity.YEAR);
      assertThat(totals.get("2026-01").getGranularity()).isEqualTo(Granularity.MONTH);
      assertThat(totals.get("2026-02").getByClass()).containsOnlyKeys("UNKNOWN");
      assertThat(totals.get("2026-02").getMissiles()).as("UNKNOWN counts as a missile").isEqualTo(1);
    }
  }

  @Test
  void aCorrectionMovesItsNumbersAndARetractionTakesThemBack() {
    StrikeReport first = minute("a", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 100, 90);
    StrikeReport other = minute("b", "2026-01-09 19:30", "2026-01-10 03:00", ATTACK_DRONE, "Shahed-136/131", 50, 40);
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.putAll(List.of(first, other));
      fixture.drainStrikeTotals();

      StrikeReport corrected = withLaunched(first, 120, 100);
      fixture.put(corrected);
      assertTotals(fixture.strikeTotalsInStore().get("2026-01-09"), List.of(corrected));
      assertTotals(fixture.strikeTotalsInStore().get("2026"), List.of(corrected, other));
      assertThat(fixture.drainStrikeTotals()).extracting(kv -> kv.key).containsExactly("2026-01-09", "2026-01", "2026");

      StrikeReport moved = withWindow(corrected, "2026-01-09 20:00", "2026-01-10 05:00");
      fixture.put(moved);
      List<KeyValue<String, StrikeTotals>> updates = fixture.drainStrikeTotals();
      assertThat(updates).filteredOn(kv -> kv.key.equals("2026-01-09")).singleElement()
          .extracting(kv -> kv.value).as("the emptied day gets a tombstone").isNull();
      assertThat(updates).extracting(kv -> kv.key).doesNotContain("2026-01", "2026");
      assertTotals(fixture.strikeTotalsInStore().get("2026-01-10"), List.of(moved, other));

      fixture.retractStrike("a");
      assertTotals(fixture.strikeTotalsInStore().get("2026"), List.of(other));
      fixture.drainStrikeTotals();
      fixture.retractStrike("b");
      assertThat(fixture.strikeTotalsInStore()).isEmpty();
      assertThat(fixture.drainStrikeTotals()).extracting(kv -> kv.value).containsOnlyNulls();
    }
  }

  @Test
  void aCorrectionOfFieldsTheTotalsDoNotCountPublishesNoTotals() {
    StrikeReport report = minute("a", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 100, 90);
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(report);
      fixture.drainStrikeTotals();
      fixture.drainWaves();
      fixture.put(StrikeReport.newBuilder(report).setLaunchArea("Primorsko-Akhtarsk").build());
      assertThat(fixture.drainStrikeTotals()).isEmpty();
      assertThat(fixture.drainWaves()).isEmpty();
    }
  }

  private static void assertTotals(StrikeTotals totals, List<StrikeReport> counted) {
    long drones = counted.stream().filter(r -> r.getWeaponClass() == ATTACK_DRONE).mapToLong(StrikeReport::getLaunched).sum();
    long missiles = counted.stream().filter(r -> r.getWeaponClass() != ATTACK_DRONE).mapToLong(StrikeReport::getLaunched).sum();
    long destroyed = counted.stream().mapToLong(r -> r.getDestroyed() == null ? 0 : r.getDestroyed()).sum();
    assertThat(totals.getDrones()).as("drones of %s", totals.getPeriod()).isEqualTo(drones);
    assertThat(totals.getMissiles()).as("missiles of %s", totals.getPeriod()).isEqualTo(missiles);
    assertThat(totals.getDestroyed()).as("destroyed of %s", totals.getPeriod()).isEqualTo(destroyed);
    assertThat(totals.getReportCount()).isEqualTo(counted.size());
    assertThat(totals.getByClass().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(drones + missiles);
    assertThat(totals.getUpdatedAt()).isAfter(Instant.EPOCH);
  }
}
