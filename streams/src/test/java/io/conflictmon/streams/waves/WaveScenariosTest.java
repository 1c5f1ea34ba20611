package io.conflictmon.streams.waves;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.avro.WeaponClass.BALLISTIC_MISSILE;
import static io.conflictmon.avro.WeaponClass.CRUISE_MISSILE;
import static io.conflictmon.avro.WeaponClass.SURFACE_TO_AIR_MISSILE;
import static io.conflictmon.streams.testing.TestReports.day;
import static io.conflictmon.streams.testing.TestReports.kyiv;
import static io.conflictmon.streams.testing.TestReports.minute;
import static io.conflictmon.streams.testing.TestReports.withLaunched;
import static io.conflictmon.streams.testing.TestReports.withWindow;
import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.testing.TopologyFixture;
import io.conflictmon.streams.testing.WaveOracle;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven wave scenarios: each row is a sequence of report inserts, corrections and retractions,
 * the wave groups expected at the end, and the wave ids that must have been tombstoned on the way.
 * The figures of every wave are checked against {@link WaveOracle} over the final reports, and the
 * waves topic, replayed as a changelog, must end up equal to the store.
 */
class WaveScenariosTest {

  @TempDir
  Path stateDir;

  // Night of 8-9 Jan 2026 as the Air Force and the western air command reported it.
  static final StrikeReport SHAHED_0108 = minute("kpszsu-0109-shahed", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 242, 226);
  static final StrikeReport KALIBR_0108 = minute("kpszsu-0109-kalibr", "2026-01-08 19:30", "2026-01-09 09:00", CRUISE_MISSILE, "Kalibr", 22, 10);
  static final StrikeReport S400_0108 = minute("kpszsu-0109-s400", "2026-01-08 19:30", "2026-01-09 09:00", SURFACE_TO_AIR_MISSILE, "C-400 and Iskander-M", 13, 8);
  static final StrikeReport LVIV_BALLISTIC = minute("pvkzahid-0108-icbm", "PvkZahid", "2026-01-08 23:45", "2026-01-08 23:50", BALLISTIC_MISSILE, "Intercontinental Ballistic Missile", 1, 0);

  // An evening raid, a pre-dawn raid 6 h later, and a bridge between them.
  static final StrikeReport EVENING = minute("evening", "2026-01-12 18:00", "2026-01-12 20:00", ATTACK_DRONE, "Shahed-136/131", 40, 35);
  static final StrikeReport BRIDGE = minute("bridge", "2026-01-12 21:00", "2026-01-12 23:30", CRUISE_MISSILE, "X-101/X-555", 8, 7);
  static final StrikeReport PREDAWN = minute("predawn", "2026-01-13 02:00", "2026-01-13 04:00", BALLISTIC_MISSILE, "Iskander-M", 4, 1);

  static final StrikeReport NIGHT_1 = minute("night-1", "2026-01-08 18:00", "2026-01-09 06:00", ATTACK_DRONE, "Shahed-136/131", 100, 90);
  static final StrikeReport NIGHT_2 = minute("night-2", "2026-01-09 18:00", "2026-01-10 06:00", ATTACK_DRONE, "Shahed-136/131", 80, 70);
  static final StrikeReport DAY_0109 = day("pivden-0109", "2026-01-09", ATTACK_DRONE, "Unknown UAV", 12, 12);

  record Step(StrikeReport put, String retract) {
    static Step put(StrikeReport report) {
      return new Step(report, null);
    }

    static Step retract(String id) {
      return new Step(null, id);
    }
  }

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("overlapping windows of one night form one wave",
            List.of(Step.put(SHAHED_0108), Step.put(KALIBR_0108), Step.put(S400_0108)),
            List.of(Set.of(SHAHED_0108.getId(), KALIBR_0108.getId(), S400_0108.getId())),
            Set.of()),
        Arguments.of("a report inside a wave's window from another source joins it",
            List.of(Step.put(SHAHED_0108), Step.put(KALIBR_0108), Step.put(S400_0108), Step.put(LVIV_BALLISTIC)),
            List.of(Set.of(SHAHED_0108.getId(), KALIBR_0108.getId(), S400_0108.getId(), LVIV_BALLISTIC.getId())),
            Set.of()),
        Arguments.of("two raids 6 h apart are two waves",
            List.of(Step.put(EVENING), Step.put(PREDAWN)),
            List.of(Set.of("evening"), Set.of("predawn")),
            Set.of()),
        Arguments.of("a late report merges two waves; the later one is tombstoned",
            List.of(Step.put(EVENING), Step.put(PREDAWN), Step.put(BRIDGE)),
            List.of(Set.of("evening", "bridge", "predawn")),
            Set.of(id(PREDAWN))),
        Arguments.of("a late report that starts earlier moves the wave id; the old id is tombstoned",
            List.of(Step.put(BRIDGE), Step.put(EVENING)),
            List.of(Set.of("evening", "bridge")),
            Set.of(id(BRIDGE))),
        Arguments.of("a correction replaces the numbers of its wave",
            List.of(Step.put(EVENING), Step.put(BRIDGE), Step.put(withLaunched(EVENING, 55, 50))),
            List.of(Set.of("evening", "bridge")),
            Set.of()),
        Arguments.of("a correction that moves the bridge away splits the wave in three",
            List.of(Step.put(EVENING), Step.put(PREDAWN), Step.put(BRIDGE),
                Step.put(withWindow(BRIDGE, "2026-01-13 12:00", "2026-01-13 13:00"))),
            List.of(Set.of("evening"), Set.of("predawn"), Set.of("bridge")),
            Set.of()),
        Arguments.of("a retraction of the bridge splits the wave; the split-off part gets a new id",
            List.of(Step.put(EVENING), Step.put(BRIDGE), Step.put(PREDAWN), Step.retract("bridge")),
            List.of(Set.of("evening"), Set.of("predawn")),
            Set.of()),
        Arguments.of("a retraction of the first report moves the wave id",
            List.of(Step.put(EVENING), Step.put(BRIDGE), Step.retract("evening")),
            List.of(Set.of("bridge")),
            Set.of(id(EVENING))),
        Arguments.of("a retraction of the only report removes the wave",
            List.of(Step.put(EVENING), Step.retract("evening")),
            List.of(),
            Set.of(id(EVENING))),
        Arguments.of("a date-only report does not glue two nights together",
            List.of(Step.put(NIGHT_1), Step.put(NIGHT_2), Step.put(DAY_0109)),
            List.of(Set.of("night-1"), Set.of("night-2")),
            Set.of()),
        Arguments.of("a report that loses its time leaves its wave, which splits",
            List.of(Step.put(EVENING), Step.put(BRIDGE), Step.put(PREDAWN), Step.put(toDay(BRIDGE))),
            List.of(Set.of("evening"), Set.of("predawn")),
            Set.of()),
        Arguments.of("a date-only report that gains a time joins and merges waves",
            List.of(Step.put(EVENING), Step.put(PREDAWN), Step.put(toDay(BRIDGE)), Step.put(BRIDGE)),
            List.of(Set.of("evening", "bridge", "predawn")),
            Set.of(id(PREDAWN))),
        Arguments.of("windows exactly 3 h apart merge; 3 h 1 min apart do not",
            List.of(Step.put(EVENING),
                Step.put(minute("at-gap", "2026-01-12 23:00", "2026-01-12 23:30", ATTACK_DRONE, "Shahed-136/131", 5, 5)),
                Step.put(minute("past-gap", "2026-01-13 02:31", "2026-01-13 03:00", ATTACK_DRONE, "Shahed-136/131", 6, 6))),
            List.of(Set.of("evening", "at-gap"), Set.of("past-gap")),
            Set.of()),
        Arguments.of("a retraction of an unknown report changes nothing",
            List.of(Step.put(EVENING), Step.retract("never-sent")),
            List.of(Set.of("evening")),
            Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(String name, List<Step> steps, List<Set<String>> expectedGroups, Set<String> expectedTombstones) {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      Map<String, StrikeReport> finalReports = new LinkedHashMap<>();
      List<KeyValue<String, WaveSummary>> published = new ArrayList<>();
      for (Step step : steps) {
        if (step.put() != null) {
          fixture.put(step.put());
          finalReports.put(step.put().getId(), step.put());
        } else {
          fixture.retractStrike(step.retract());
          finalReports.remove(step.retract());
        }
        published.addAll(fixture.drainWaves());
      }

      Map<String, WaveSummary> stored = fixture.wavesInStore();
      assertThat(stored.values()).extracting(w -> Set.copyOf(w.getReportIds()))
          .as("wave groups").containsExactlyInAnyOrderElementsOf(expectedGroups);

      Map<String, ExpectedWave> expected = WaveOracle.waves(finalReports.values(), TopologySettings.DEFAULT_WAVE_GAP);
      Map<String, ExpectedWave> actual = new TreeMap<>();
      stored.forEach((id, wave) -> actual.put(id, ExpectedWave.of(wave)));
      assertThat(actual).as("wave figures against the oracle").isEqualTo(expected);
      stored.values().forEach(WaveScenariosTest::assertDerivedFigures);

      Map<String, WaveSummary> replayed = new TreeMap<>();
      Set<String> tombstoned = new HashSet<>();
      for (KeyValue<String, WaveSummary> update : published) {
        if (update.value == null) {
          replayed.remove(update.key);
          tombstoned.add(update.key);
        } else {
          assertThat(update.value.getId()).isEqualTo(update.key);
          replayed.put(update.key, update.value);
        }
      }
      assertThat(tombstoned).as("tombstoned wave ids").containsAll(expectedTombstones);
      assertThat(replayed.keySet()).as("the waves topic replayed as a changelog").isEqualTo(stored.keySet());
      replayed.forEach((id, wave) -> assertThat(WaveSummaries.sameContent(wave, stored.get(id))).as(id).isTrue());
    }
  }

  @Test
  void nightOfEightToNineJanuaryCountsTheWesternBallisticMissile() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      List<StrikeReport> night = List.of(SHAHED_0108, KALIBR_0108, S400_0108, LVIV_BALLISTIC);
      fixture.putAll(night);
      WaveSummary wave = fixture.wavesInStore().get(kyiv("2026-01-08 19:30").toString());
      int drones = SHAHED_0108.getLaunched();
      int missiles = KALIBR_0108.getLaunched() + S400_0108.getLaunched() + LVIV_BALLISTIC.getLaunched();
      int destroyed = night.stream().mapToInt(StrikeReport::getDestroyed).sum();
      assertThat(wave.getId()).isEqualTo("2026-01-08T17:30:00Z");
      assertThat(wave.getDrones()).isEqualTo(drones).isEqualTo(242);
      assertThat(wave.getMissiles()).isEqualTo(missiles).isEqualTo(36);
      assertThat(wave.getDestroyed()).isEqualTo(destroyed);
      assertThat(wave.getInterceptionRate()).isEqualTo((double) destroyed / (drones + missiles));
      assertThat(wave.getEnd()).isEqualTo(SHAHED_0108.getTimeEnd());
      assertThat(wave.getDurationMinutes()).isEqualTo(java.time.Duration.between(wave.getStart(), wave.getEnd()).toMinutes());
      assertThat(wave.getByClass()).containsEntry("BALLISTIC_MISSILE", 1).containsEntry("ATTACK_DRONE", 242);
    }
  }

  @Test
  void aDuplicateChangesNothingAndEmitsNothing() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.putAll(List.of(EVENING, BRIDGE));
      Map<String, WaveSummary> before = fixture.wavesInStore();
      var totalsBefore = fixture.strikeTotalsInStore();
      fixture.drainWaves();
      fixture.drainStrikeTotals();

      fixture.put(io.conflictmon.streams.testing.TestReports.resent(EVENING, java.time.Instant.parse("2026-02-02T10:00:00Z")));
      fixture.put(BRIDGE);

      assertThat(fixture.drainWaves()).isEmpty();
      assertThat(fixture.drainStrikeTotals()).isEmpty();
      assertThat(fixture.wavesInStore()).isEqualTo(before);
      assertThat(fixture.strikeTotalsInStore()).isEqualTo(totalsBefore);
      assertThat(fixture.counter(StreamsMetrics.DUPLICATES, StreamsMetrics.TAG_KIND, "strike")).isEqualTo(2);
    }
  }

  @Test
  void countsOpenedMergedSplitAndClosedWaves() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.put(EVENING);
      fixture.put(PREDAWN);
      fixture.put(BRIDGE);           // merges the two
      fixture.retractStrike("bridge"); // splits them again
      fixture.retractStrike("evening");
      fixture.retractStrike("predawn");
      assertThat(fixture.counter(StreamsMetrics.WAVES_OPENED)).isEqualTo(2);
      assertThat(fixture.counter(StreamsMetrics.WAVES_MERGED)).isEqualTo(1);
      assertThat(fixture.counter(StreamsMetrics.WAVES_SPLIT)).isEqualTo(1);
      assertThat(fixture.counter(StreamsMetrics.WAVES_CLOSED)).isEqualTo(2);
      assertThat(fixture.counter(StreamsMetrics.RETRACTIONS, StreamsMetrics.TAG_KIND, "strike")).isEqualTo(3);
      assertThat(fixture.wavesInStore()).isEmpty();
    }
  }

  @Test
  void aWaveIsFoundByIdAndByTimeRange() {
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      fixture.putAll(List.of(NIGHT_1, NIGHT_2, EVENING));
      var store = fixture.waveStore();
      assertThat(WaveStores.byId(store, id(NIGHT_2))).get().extracting(WaveSummary::getReportIds).isEqualTo(List.of("night-2"));
      assertThat(WaveStores.startingBetween(store, NIGHT_1.getTimeStart(), NIGHT_2.getTimeStart(), 10))
          .extracting(WaveSummary::getId).containsExactly(id(NIGHT_1), id(NIGHT_2));
      assertThat(WaveStores.latest(store, 1)).extracting(WaveSummary::getId).containsExactly(id(EVENING));
    }
  }

  private static void assertDerivedFigures(WaveSummary wave) {
    assertThat(wave.getReportCount()).isEqualTo(wave.getReportIds().size());
    assertThat(wave.getReportIds()).isSorted();
    assertThat(wave.getDurationMinutes()).isEqualTo((wave.getEnd().toEpochMilli() - wave.getStart().toEpochMilli()) / 60_000);
    assertThat(wave.getByClass().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(wave.getDrones() + wave.getMissiles());
  }

  private static String id(StrikeReport report) {
    return report.getTimeStart().toString();
  }

  private static StrikeReport toDay(StrikeReport report) {
    var date = report.getTimeEnd().atZone(io.conflictmon.streams.totals.KyivCalendar.KYIV).toLocalDate();
    return StrikeReport.newBuilder(report)
        .setTimePrecision(TimePrecision.DAY)
        .setTimeStart(date.atStartOfDay(io.conflictmon.streams.totals.KyivCalendar.KYIV).toInstant())
        .setTimeEnd(date.plusDays(1).atStartOfDay(io.conflictmon.streams.totals.KyivCalendar.KYIV).toInstant().minusMillis(1))
        .build();
  }

}
