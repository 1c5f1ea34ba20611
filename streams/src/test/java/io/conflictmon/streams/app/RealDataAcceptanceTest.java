package io.conflictmon.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.streams.testing.AirForceCsv;
import io.conflictmon.streams.testing.TopologyFixture;
import io.conflictmon.streams.testing.WaveOracle;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole real Air Force file through the topology (TopologyTestDriver, RocksDB stores): the
 * DESIGN.md acceptance figures come out, every wave equals the oracle's, and the yearly totals equal
 * plain sums over the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealDataAcceptanceTest {

  private static final Logger LOG = LoggerFactory.getLogger(RealDataAcceptanceTest.class);
  private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");

  private List<StrikeReport> reports;
  private Map<String, WaveSummary> waves;
  private Map<String, StrikeTotals> totals;

  /** The file lists the newest attacks first, so most reports arrive late: a test of merging in itself. */
  @BeforeAll
  void pipeTheWholeFile(@TempDir Path stateDir) throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(AirForceCsv.available(), "real data not found in " + AirForceCsv.dataDir());
    reports = AirForceCsv.read();
    try (TopologyFixture fixture = new TopologyFixture(stateDir, TopologySettings.DEFAULT_WAVE_GAP, true)) {
      long started = System.nanoTime();
      fixture.putAll(reports);
      long elapsed = System.nanoTime() - started;
      LOG.info("Piped {} real reports through the TopologyTestDriver in {} ms: {} us per report",
          reports.size(), elapsed / 1_000_000, elapsed / 1_000 / reports.size());
      waves = fixture.wavesInStore();
      totals = fixture.strikeTotalsInStore();
    }
  }

  @Test
  void acceptanceFiguresOfDesignMd() {
    assertWave("2026-01-08", 242, 36);
    assertWave("2026-01-19", 339, 34);
    assertWave("2026-01-23", 375, 21);
    assertWave("2025-11-24", 464, 22);
    WaveSummary largest = waves.values().stream().max(Comparator.comparingInt(WaveSummary::getDrones)).orElseThrow();
    assertThat(largest.getStart().atZone(KYIV).toLocalDate()).hasToString("2025-09-06");
    assertThat(largest.getDrones()).isEqualTo(810);
  }

  @Test
  void theLvivBallisticMissileBelongsToTheNightOfEightToNineJanuary() {
    WaveSummary night = waveStartingOn("2026-01-08");
    assertThat(night.getByClass()).containsEntry(WeaponClass.BALLISTIC_MISSILE.name(), 1);
    assertThat(night.getReportCount()).isEqualTo(4);
  }

  @Test
  void everyWaveEqualsTheOracle() {
    Map<String, ExpectedWave> actual = new TreeMap<>();
    waves.forEach((id, wave) -> actual.put(id, ExpectedWave.of(wave)));
    assertThat(actual).isEqualTo(WaveOracle.waves(reports, TopologySettings.DEFAULT_WAVE_GAP));
    LOG.info("{} MINUTE reports formed {} waves", reports.stream().filter(r -> r.getTimePrecision() == TimePrecision.MINUTE).count(),
        waves.size());
  }

  @Test
  void yearlyTotalsAreSumsOverTheFile() {
    Map<String, long[]> expected = new TreeMap<>();
    for (StrikeReport r : reports) {
      Instant counted = r.getTimePrecision() == TimePrecision.DAY ? r.getTimeStart() : r.getTimeEnd();
      String year = String.valueOf(counted.atZone(KYIV).getYear());
      long[] sums = expected.computeIfAbsent(year, y -> new long[3]);
      boolean drone = r.getWeaponClass() == WeaponClass.ATTACK_DRONE || r.getWeaponClass() == WeaponClass.OTHER_DRONE;
      sums[drone ? 0 : 1] += r.getLaunched();
      sums[2]++;
    }
    expected.forEach((year, sums) -> {
      StrikeTotals yearTotals = totals.get(year);
      assertThat(yearTotals.getDrones()).as("drones in %s", year).isEqualTo(sums[0]);
      assertThat(yearTotals.getMissiles()).as("missiles in %s", year).isEqualTo(sums[1]);
      assertThat(yearTotals.getReportCount()).as("reports in %s", year).isEqualTo((int) sums[2]);
      LOG.info("{}: {} drones, {} missiles, {} reports", year, sums[0], sums[1], sums[2]);
    });
  }

  private void assertWave(String kyivStartDay, int drones, int missiles) {
    WaveSummary wave = waveStartingOn(kyivStartDay);
    assertThat(wave.getDrones()).as("drones of the wave starting %s", kyivStartDay).isEqualTo(drones);
    assertThat(wave.getMissiles()).as("missiles of the wave starting %s", kyivStartDay).isEqualTo(missiles);
  }

  private WaveSummary waveStartingOn(String kyivDay) {
    List<WaveSummary> starting = waves.values().stream()
        .filter(w -> w.getStart().atZone(KYIV).toLocalDate().toString().equals(kyivDay)).toList();
    assertThat(starting).as("waves starting on %s", kyivDay).hasSize(1);
    return starting.get(0);
  }
}
