package io.conflictmon.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.testing.AirForceCsv;
import io.conflictmon.streams.testing.AlertLog;
import io.conflictmon.streams.testing.OhchrCsv;
import io.conflictmon.streams.testing.TopologyFixture;
import io.conflictmon.streams.testing.WaveOracle;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole real data (Air Force attack log, newest first as the file lists it, so most reports arrive late, and the
 * OHCHR tables) through the topology: what fires at the end, read from the alerts topic, is exactly what the rules say
 * of the waves and years computed here from the CSV files, and nothing fired twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsRealDataTest {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsRealDataTest.class);
  private static final String RULES = """
      rules:
        - rule: wave-drones
          levels: {WARNING: 200, CRITICAL: 400}
        - rule: wave-record
          levels: {WARNING: 0}
        - rule: drone-surge
          levels: {WARNING: 1.5}
        - rule: casualty-yoy
          levels: {WARNING: 25}
      """;

  private List<StrikeReport> strikes;
  private List<CasualtyReport> casualties;
  private final AlertLog log = new AlertLog();
  private Map<String, String> strikeState;

  @BeforeAll
  void pipeEverything(@TempDir Path stateDir) throws IOException {
    Assumptions.assumeTrue(AirForceCsv.available() && OhchrCsv.available(), "real data not found in " + AirForceCsv.dataDir());
    strikes = AirForceCsv.read();
    casualties = OhchrCsv.read();
    AlertRulesHolder rules = AlertRulesHolder.of(AlertRulesLoader.parse(RULES, "test"));
    // RocksDB stores as in production: the in-memory store copies the keys of every range it iterates.
    try (TopologyFixture fixture = new TopologyFixture(stateDir, TopologySettings.DEFAULT_WAVE_GAP, true, Map.of(), rules)) {
      long started = System.nanoTime();
      fixture.putAll(strikes);
      casualties.forEach(fixture::put);
      log.add(fixture.drainAlerts());
      LOG.info("Piped {} strike and {} casualty reports in {} ms: {} alerts raised, {} firing at the end",
          strikes.size(), casualties.size(), (System.nanoTime() - started) / 1_000_000, log.all().size(),
          log.all().size() - 2 * log.all().stream().filter(a -> a.getStatus().name().equals("RESOLVED")).count());
      strikeState = fixture.store(AlertStores.STRIKE_ALERT_STATE);
    }
  }

  private List<ExpectedWave> oracleWaves() {
    return new ArrayList<>(WaveOracle.waves(strikes, TopologySettings.DEFAULT_WAVE_GAP).values());
  }

  @Test
  void waveDronesFiresForExactlyTheWavesOfAtLeast400And200Drones() {
    List<ExpectedWave> waves = oracleWaves();
    Set<String> critical = AlertLog.wavesWithDrones(waves, 400);
    assertThat(log.firing("wave-drones", "CRITICAL")).isNotEmpty().isEqualTo(critical);
    assertThat(log.firing("wave-drones", "WARNING")).isEqualTo(AlertLog.wavesWithDrones(waves, 200));
    LOG.info("{} waves with >= 400 drones, {} with >= 200", critical.size(), AlertLog.wavesWithDrones(waves, 200).size());
  }

  @Test
  void waveRecordFiresForExactlyTheRecordSequence() {
    List<ExpectedWave> waves = oracleWaves(); // by id = by start
    Set<String> records = AlertLog.recordWaves(waves, 0);
    assertThat(log.firing("wave-record", "WARNING")).isNotEmpty().isEqualTo(records);
    List<String> sequence = new ArrayList<>();
    waves.stream().filter(w -> records.contains(w.id())).forEach(w -> sequence.add(w.id() + "=" + w.drones()));
    LOG.info("Record waves: {}", sequence);
    // The largest wave of the data (DESIGN.md: 6-7 Sep 2025, 810 drones) is the last record.
    assertThat(sequence.get(sequence.size() - 1)).endsWith("=810");
  }

  @Test
  void casualtyYoyFiresFor2025AndOnlyForTheYearsTheTablesSay() {
    // Year totals from the tables: the annual figure where there is one, else the sum of the months.
    Map<Integer, Long> annual = new TreeMap<>();
    Map<Integer, Map<Integer, Long>> months = new TreeMap<>();
    for (CasualtyReport report : casualties) {
      LocalDate start = report.getPeriodStart();
      long total = report.getKilled() + report.getInjured();
      if (report.getPeriodEnd().equals(LocalDate.of(start.getYear(), 12, 31)) && start.getDayOfYear() == 1) {
        annual.put(start.getYear(), total);
      } else {
        months.computeIfAbsent(start.getYear(), y -> new TreeMap<>()).put(start.getMonthValue(), total);
      }
    }
    Set<String> expected = new TreeSet<>();
    Set<Integer> years = new TreeSet<>(annual.keySet());
    years.addAll(months.keySet());
    for (int year : years) {
      boolean complete = annual.containsKey(year) || months.get(year).size() == 12;
      Double pct = null;
      if (complete && (annual.containsKey(year - 1) || months.containsKey(year - 1))) {
        long previous = annual.containsKey(year - 1) ? annual.get(year - 1)
            : months.get(year - 1).values().stream().mapToLong(Long::longValue).sum();
        long current = annual.containsKey(year) ? annual.get(year)
            : months.get(year).values().stream().mapToLong(Long::longValue).sum();
        pct = (current - previous) * 100.0 / previous;
      } else if (!complete && months.containsKey(year - 1) && months.get(year - 1).keySet().containsAll(months.get(year).keySet())) {
        long current = months.get(year).values().stream().mapToLong(Long::longValue).sum();
        long previous = months.get(year).keySet().stream().mapToLong(m -> months.get(year - 1).get(m)).sum();
        pct = (current - previous) * 100.0 / previous;
      }
      LOG.info("ohchr {}: increase {}", year, pct);
      if (pct != null && pct >= 25) {
        expected.add("ohchr/" + year);
      }
    }
    assertThat(expected).contains("ohchr/2025");
    assertThat(log.firing("casualty-yoy", "WARNING")).isEqualTo(expected);
    EscalationAlert y2025 = log.all().stream().filter(a -> a.getSubject().equals("ohchr/2025")).reduce((a, b) -> b)
        .orElseThrow();
    assertThat(y2025.getValue()).isEqualTo(30.55);
  }

  @Test
  void theStateStoreAgreesWithTheAlertsTopic() {
    Map<String, Set<String>> fromTopic = new TreeMap<>();
    log.all().forEach(a -> fromTopic.computeIfAbsent(a.getRule() + "/" + a.getSubject(), k -> new TreeSet<>()));
    Map<String, String> fromLog = new TreeMap<>();
    for (String rule : List.of("wave-drones", "wave-record", "drone-surge")) {
      for (String severity : List.of("WARNING", "CRITICAL")) {
        log.firing(rule, severity).forEach(subject ->
            fromLog.merge(rule + "/" + subject, severity, (a, b) -> a + "," + b));
      }
    }
    assertThat(strikeState).isEqualTo(fromLog);
    LOG.info("drone-surge weeks firing: {}", log.firing("drone-surge", "WARNING").size());
  }
}
