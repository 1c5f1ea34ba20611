package io.conflictmon.streams.alerts;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.avro.WeaponClass.CRUISE_MISSILE;
import static io.conflictmon.streams.testing.TestReports.day;
import static io.conflictmon.streams.testing.TestReports.minute;
import static io.conflictmon.streams.testing.TestReports.resent;
import static io.conflictmon.streams.testing.TestReports.withLaunched;
import static io.conflictmon.streams.testing.TestReports.year;
import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.testing.AlertLog;
import io.conflictmon.streams.testing.TestReports;
import io.conflictmon.streams.testing.TopologyFixture;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules inside the topology (TopologyTestDriver): once per subject and severity, resolution, records, surges, YoY. */
class AlertTopologyTest {

  @TempDir
  Path stateDir;

  private static AlertRulesHolder rules(String yaml) {
    return AlertRulesHolder.of(AlertRulesLoader.parse("rules:\n" + yaml, "test"));
  }

  private static final String WAVE_DRONES = "  - rule: wave-drones\n    levels: {WARNING: 200, CRITICAL: 400}\n";

  private static StrikeReport shahed(String id, String start, String end, int launched) {
    return minute(id, start, end, ATTACK_DRONE, "Shahed-136/131", launched, null);
  }

  @Test
  void growthRaisesOneMoreAlertAResentReportNothingAndACorrectionBelowResolves() {
    StrikeReport report = shahed("night", "2026-01-08 19:30", "2026-01-09 07:00", 250);
    String wave = TestReports.kyiv("2026-01-08 19:30").toString();
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(WAVE_DRONES))) {
      AlertLog log = new AlertLog();
      record Step(String what, StrikeReport report, List<String> expectedIds) {
      }
      List<Step> steps = List.of(
          new Step("250 drones: warning", report, List.of("WARNING/FIRING")),
          new Step("re-sent", resent(report, Instant.parse("2026-02-02T00:00:00Z")), List.of()),
          new Step("grows to 450: critical only", withLaunched(report, 450, null), List.of("CRITICAL/FIRING")),
          new Step("corrected to 460: still critical", withLaunched(report, 460, null), List.of()),
          new Step("corrected to 300: critical resolves", withLaunched(report, 300, null), List.of("CRITICAL/RESOLVED")),
          new Step("corrected to 100: warning resolves", withLaunched(report, 100, null), List.of("WARNING/RESOLVED")),
          new Step("back to 500: both fire again", withLaunched(report, 500, null),
              List.of("WARNING/FIRING", "CRITICAL/FIRING")));
      for (Step step : steps) {
        fixture.put(step.report());
        List<EscalationAlert> alerts = log.add(fixture.drainAlerts());
        assertThat(alerts).as(step.what()).extracting(EscalationAlert::getId)
            .containsExactlyElementsOf(step.expectedIds().stream().map(s -> "wave-drones/" + wave + "/" + s).toList());
      }
      EscalationAlert last = log.all().get(log.all().size() - 1);
      assertThat(last.getValue()).isEqualTo(500);
      assertThat(last.getThreshold()).isEqualTo(400);
      assertThat(last.getSummary()).isEqualTo("Wave " + wave + ": 500 drones >= 400");
      assertThat(last.getLabels()).containsEntry("wave", wave);
      assertThat(fixture.counter(StreamsMetrics.ALERTS_FIRED, "rule", "wave-drones", "severity", "CRITICAL",
          "status", "FIRING")).isEqualTo(2);
      assertThat(fixture.counter(StreamsMetrics.ALERTS_FIRED, "rule", "wave-drones", "severity", "WARNING",
          "status", "RESOLVED")).isEqualTo(1);
      assertThat(fixture.<String, String>store(AlertStores.STRIKE_ALERT_STATE))
          .containsExactly(Map.entry("wave-drones/" + wave, "WARNING,CRITICAL"));
    }
  }

  @Test
  void aWaveMergedIntoAnotherHasItsAlertsResolvedAndTheMergedWaveFiresForItsTotal() {
    String yaml = WAVE_DRONES + "  - rule: wave-missiles\n    levels: {WARNING: 30}\n";
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(yaml))) {
      AlertLog log = new AlertLog();
      fixture.put(shahed("evening", "2026-01-08 18:00", "2026-01-08 21:00", 250));
      fixture.put(minute("evening-kalibr", "2026-01-08 19:00", "2026-01-08 20:00", CRUISE_MISSILE, "Kalibr", 35, 30));
      fixture.put(shahed("morning", "2026-01-09 01:00", "2026-01-09 05:00", 210));
      String evening = TestReports.kyiv("2026-01-08 18:00").toString();
      String morning = TestReports.kyiv("2026-01-09 01:00").toString();
      log.add(fixture.drainAlerts());
      assertThat(log.firing("wave-drones", "WARNING")).containsExactly(evening, morning);
      assertThat(log.firing("wave-missiles", "WARNING")).containsExactly(evening);

      fixture.put(shahed("bridge", "2026-01-08 21:30", "2026-01-08 23:00", 10)); // joins the two waves
      List<EscalationAlert> merged = log.add(fixture.drainAlerts());
      assertThat(merged).extracting(EscalationAlert::getId).containsExactly(
          "wave-drones/" + morning + "/WARNING/RESOLVED", "wave-drones/" + evening + "/CRITICAL/FIRING");
      assertThat(log.firing("wave-drones", "CRITICAL")).containsExactly(evening);
      assertThat(fixture.wavesInStore().get(evening).getDrones()).isEqualTo(470);

      fixture.retractStrike("bridge"); // splits them again
      log.add(fixture.drainAlerts());
      assertThat(log.firing("wave-drones", "WARNING")).containsExactly(evening, morning);
      assertThat(log.firing("wave-drones", "CRITICAL")).isEmpty();
    }
  }

  @Test
  void alertIdsAndContentsAreDeterministic() {
    List<List<EscalationAlert>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (TopologyFixture fixture = new TopologyFixture(stateDir.resolve("run" + run), rules(WAVE_DRONES
          + "  - rule: wave-record\n    levels: {WARNING: 0}\n"))) {
        fixture.put(shahed("a", "2026-01-01 20:00", "2026-01-02 05:00", 300));
        fixture.put(shahed("b", "2026-01-05 20:00", "2026-01-06 05:00", 450));
        fixture.put(withLaunched(shahed("a", "2026-01-01 20:00", "2026-01-02 05:00", 300), 100, null));
        runs.add(fixture.drainAlerts());
      }
    }
    assertThat(runs.get(0)).isNotEmpty().isEqualTo(runs.get(1));
  }

  /**
   * Random waves, arriving in random order, corrected and retracted: after every step what fires (read from the alerts
   * topic) is exactly what the rules say of the waves in the store, computed here naively, and nothing fires twice.
   */
  @Test
  void recordsAndThresholdsFollowEveryLateCorrectedOrRetractedWave() {
    String yaml = WAVE_DRONES + "  - rule: wave-record\n    levels: {WARNING: 0, CRITICAL: 300}\n";
    for (long seed = 1; seed <= 4; seed++) {
      Random random = new Random(seed);
      try (TopologyFixture fixture = new TopologyFixture(stateDir.resolve("seed" + seed), rules(yaml))) {
        AlertLog log = new AlertLog();
        Map<String, StrikeReport> live = new TreeMap<>();
        for (int step = 0; step < 60; step++) {
          int action = random.nextInt(10);
          if (action < 7 || live.isEmpty()) {
            // a report on one of 15 nights, some nights sharing a wave, in any order
            int night = random.nextInt(15);
            String start = LocalDate.of(2025, 6, 1).plusDays(night * 2L) + " 2" + random.nextInt(4) + ":00";
            String end = LocalDate.of(2025, 6, 2).plusDays(night * 2L) + " 0" + random.nextInt(6) + ":00";
            String id = "r" + random.nextInt(25);
            StrikeReport report = shahed(id, start, end, random.nextInt(350));
            live.put(id, report);
            fixture.put(report);
          } else {
            String id = new ArrayList<>(live.keySet()).get(random.nextInt(live.size()));
            live.remove(id);
            fixture.retractStrike(id);
          }
          log.add(fixture.drainAlerts());
          // Wave ids are start instants in one ISO format: by id is by start.
          List<ExpectedWave> waves = fixture.wavesInStore().values().stream().map(ExpectedWave::of).toList();
          assertThat(log.firing("wave-record", "WARNING")).as("seed %d step %d", seed, step)
              .isEqualTo(AlertLog.recordWaves(waves, 0));
          assertThat(log.firing("wave-record", "CRITICAL")).as("seed %d step %d", seed, step)
              .isEqualTo(AlertLog.recordWaves(waves, 300));
          assertThat(log.firing("wave-drones", "WARNING")).isEqualTo(AlertLog.wavesWithDrones(waves, 200));
          assertThat(log.firing("wave-drones", "CRITICAL")).isEqualTo(AlertLog.wavesWithDrones(waves, 400));
        }
      }
    }
  }

  @Test
  void aLargerLateWaveTakesTheRecordFromTheWavesAfterIt() {
    String yaml = "  - rule: wave-record\n    levels: {WARNING: 0}\n";
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(yaml))) {
      AlertLog log = new AlertLog();
      fixture.put(shahed("jan-03", "2026-01-03 20:00", "2026-01-04 05:00", 150));
      fixture.put(shahed("jan-01", "2026-01-01 20:00", "2026-01-02 05:00", 100));
      fixture.put(shahed("jan-05", "2026-01-05 20:00", "2026-01-06 05:00", 120));
      fixture.put(shahed("jan-07", "2026-01-07 20:00", "2026-01-08 05:00", 200));
      log.add(fixture.drainAlerts());
      String jan3 = TestReports.kyiv("2026-01-03 20:00").toString();
      String jan7 = TestReports.kyiv("2026-01-07 20:00").toString();
      assertThat(log.firing("wave-record", "WARNING")).containsExactly(jan3, jan7);
      EscalationAlert jan7Alert = log.all().stream().filter(a -> a.getSubject().equals(jan7)).findFirst().orElseThrow();
      assertThat(jan7Alert.getValue()).isEqualTo(200);
      assertThat(jan7Alert.getThreshold()).as("the previous record").isEqualTo(150);

      fixture.put(shahed("dec-30", "2025-12-30 20:00", "2025-12-31 05:00", 500));
      List<EscalationAlert> late = log.add(fixture.drainAlerts());
      assertThat(late).extracting(EscalationAlert::getStatus).containsOnly(AlertStatus.RESOLVED);
      assertThat(log.firing("wave-record", "WARNING")).as("the first wave is no record").isEmpty();
    }
  }

  // ---- drone-surge ----

  private static final String SURGE = "  - rule: drone-surge\n    levels: {WARNING: 1.5, CRITICAL: 3}\n";

  @Test
  void droneSurgeFiresOncePerWeekAndFollowsCorrections() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(SURGE))) {
      AlertLog log = new AlertLog();
      Map<LocalDate, Integer> drones = new TreeMap<>();
      LocalDate first = LocalDate.of(2025, 1, 1);
      for (int i = 0; i < 35; i++) {
        drones.put(first.plusDays(i), 100);
      }
      for (int i = 35; i < 42; i++) {
        drones.put(first.plusDays(i), 200);
      }
      drones.forEach((date, count) -> fixture.put(day("d-" + date, date.toString(), ATTACK_DRONE, "Shahed", count, null)));
      log.add(fixture.drainAlerts());
      // 2025-02-08: 1,100 drones in 7 days against 100 a day: 1.57 >= 1.5, in ISO week 2025-W06 (3-9 Feb); it fires then.
      assertThat(log.firing("drone-surge", "WARNING")).containsExactly("2025-W06", "2025-W07")
          .isEqualTo(surgeWeeks(drones, 1.5));
      assertThat(log.firing("drone-surge", "CRITICAL")).isEmpty();
      assertThat(log.all()).filteredOn(a -> a.getSubject().equals("2025-W06")).singleElement().satisfies(a ->
          assertThat(a.getSummary()).startsWith("Week 2025-W06: 1100 drones in the 7 days to 2025-02-08, 1.57 x"));

      // A correction that makes one day huge raises the critical level of its week only.
      LocalDate big = LocalDate.of(2025, 2, 10);
      drones.put(big, 2000);
      fixture.put(day("d-" + big, big.toString(), ATTACK_DRONE, "Shahed", 2000, null));
      List<EscalationAlert> raised = log.add(fixture.drainAlerts());
      assertThat(raised).extracting(EscalationAlert::getId).containsExactly("drone-surge/2025-W07/CRITICAL/FIRING");
      assertThat(log.firing("drone-surge", "CRITICAL")).isEqualTo(surgeWeeks(drones, 3));

      // Retracting the surge days brings both weeks back below: resolved.
      for (int i = 35; i < 42; i++) {
        drones.remove(first.plusDays(i));
        fixture.retractStrike("d-" + first.plusDays(i));
      }
      log.add(fixture.drainAlerts());
      assertThat(log.firing("drone-surge", "WARNING")).isEmpty();
      assertThat(log.firing("drone-surge", "CRITICAL")).isEmpty();
    }
  }

  /**
   * Naive statement of the rule: weeks with a day (up to the last known day, its 35 days all within the data) whose
   * 7-day drones reach k x 7 x the daily mean of the 28 days before.
   */
  private static Set<String> surgeWeeks(Map<LocalDate, Integer> drones, double k) {
    LocalDate last = Collections.max(drones.keySet());
    Set<String> weeks = new TreeSet<>();
    for (LocalDate d = Collections.min(drones.keySet()).plusDays(34); !d.isAfter(last); d = d.plusDays(1)) {
      Function<LocalDate, Integer> at = date -> drones.getOrDefault(date, 0);
      long window = 0;
      long baseline = 0;
      for (int i = 0; i < 7; i++) {
        window += at.apply(d.minusDays(i));
      }
      for (int i = 7; i < 35; i++) {
        baseline += at.apply(d.minusDays(i));
      }
      if (baseline > 0 && window >= k * baseline / 28.0 * 7) {
        weeks.add(String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
      }
    }
    return weeks;
  }

  // ---- casualty-yoy ----

  @Test
  void casualtyYoyFiresForTheYearAndResolvesWhenCorrectedBelow() {
    String yaml = "  - rule: casualty-yoy\n    levels: {WARNING: 25, CRITICAL: 50}\n"
        + "  - rule: casualty-yoy\n    name: yoy-hrw\n    source: hrw\n    levels: {WARNING: 1}\n";
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(yaml))) {
      AlertLog log = new AlertLog();
      CasualtyReport y2025 = year("ohchr", 2025, 2514, 12142);
      fixture.put(y2025);
      fixture.put(year("ohchr", 2024, 2088, 9138));
      List<EscalationAlert> fired = log.add(fixture.drainAlerts());
      assertThat(fired).extracting(EscalationAlert::getId).containsExactly("casualty-yoy/ohchr/2025/WARNING/FIRING");
      assertThat(fired.get(0).getValue()).isEqualTo(30.55);
      assertThat(fired.get(0).getThreshold()).isEqualTo(25);
      assertThat(fired.get(0).getSummary())
          .isEqualTo("Civilian casualties ohchr 2025: 14,656 killed or injured, +30.55% over 2024 (11,226) >= 25%");
      assertThat(fired.get(0).getLabels()).containsEntry("basis", "FULL_YEAR").containsEntry("source", "ohchr");

      fixture.put(CasualtyReport.newBuilder(y2025).setReportedAt(Instant.parse("2026-03-01T00:00:00Z")).build());
      assertThat(fixture.drainAlerts()).as("re-sent").isEmpty();

      fixture.put(CasualtyReport.newBuilder(y2025).setInjured(9000).build());
      assertThat(log.add(fixture.drainAlerts())).extracting(EscalationAlert::getId)
          .containsExactly("casualty-yoy/ohchr/2025/WARNING/RESOLVED");
      assertThat(fixture.counter(StreamsMetrics.ALERTS_FIRED, "rule", "casualty-yoy", "severity", "WARNING",
          "status", "FIRING")).isEqualTo(1);
    }
  }

  @Test
  void casualtyYoyComparesAYearInProgressWithTheSameMonths() {
    String yaml = "  - rule: casualty-yoy\n    levels: {WARNING: 25}\n";
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(yaml))) {
      fixture.put(TestReports.month("ohchr", "2025-01", 100, 400));
      fixture.put(TestReports.month("ohchr", "2025-02", 100, 400));
      fixture.put(TestReports.month("ohchr", "2026-01", 150, 500)); // +30 % so far
      List<EscalationAlert> alerts = fixture.drainAlerts();
      assertThat(alerts).extracting(EscalationAlert::getId).containsExactly("casualty-yoy/ohchr/2026/WARNING/FIRING");
      assertThat(alerts.get(0).getLabels()).containsEntry("basis", "YEAR_TO_DATE");
      fixture.put(TestReports.month("ohchr", "2026-02", 50, 300)); // 1,000 against 1,000: resolved
      assertThat(fixture.drainAlerts()).extracting(EscalationAlert::getId)
          .containsExactly("casualty-yoy/ohchr/2026/WARNING/RESOLVED");
    }
  }

  // ---- reload ----

  @Test
  void aRulesReloadKeepsWhatFired() {
    AlertRulesHolder holder = rules("  - rule: wave-drones\n    levels: {WARNING: 200}\n");
    try (TopologyFixture fixture = new TopologyFixture(stateDir, holder)) {
      fixture.put(shahed("a", "2026-01-08 19:30", "2026-01-09 07:00", 250));
      assertThat(fixture.drainAlerts()).extracting(EscalationAlert::getSeverity).extracting(Enum::name)
          .containsExactly("WARNING");

      holder.replace(AlertRulesLoader.parse("rules:\n  - rule: wave-drones\n    levels: {WARNING: 200, CRITICAL: 240}\n",
          "reloaded"));
      fixture.put(shahed("b", "2026-01-08 20:00", "2026-01-09 06:00", 5)); // the wave changes: 255 drones
      assertThat(fixture.drainAlerts()).as("warning does not fire again; critical is new")
          .extracting(EscalationAlert::getId).containsExactly(
              "wave-drones/" + TestReports.kyiv("2026-01-08 19:30") + "/CRITICAL/FIRING");
    }
  }

  @Test
  void historyStoreHoldsEveryAlertInTimeOrder() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir, rules(WAVE_DRONES))) {
      StrikeReport report = shahed("a", "2026-01-08 19:30", "2026-01-09 07:00", 450);
      fixture.put(report);
      fixture.put(withLaunched(report, 10, null));
      List<EscalationAlert> raised = fixture.drainAlerts();
      Map<String, EscalationAlert> history = fixture.store(AlertStores.STRIKE_ALERTS);
      assertThat(new ArrayList<>(history.values())).containsExactlyElementsOf(sortedByTime(raised));
    }
  }

  private static List<EscalationAlert> sortedByTime(List<EscalationAlert> alerts) {
    List<EscalationAlert> sorted = new ArrayList<>(alerts);
    sorted.sort((a, b) -> a.getFiredAt().equals(b.getFiredAt()) ? a.getId().compareTo(b.getId())
        : a.getFiredAt().compareTo(b.getFiredAt()));
    return sorted;
  }
}
