package io.conflictmon.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.streams.testing.TopologyFixture;
import io.conflictmon.streams.testing.WaveOracle;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.streams.KeyValue;

/**
 * Whatever order the reports arrive in (interleaved across ids; each id's versions in the order they
 * were published, as Kafka keeps per-key order), with re-sent duplicates, correction sequences and
 * retractions, the final waves and strike totals are those an independent oracle computes from the
 * final version of every report, and the output topics replayed as changelogs agree with the stores.
 */
class ArrivalOrderPropertyTest {

  private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
  private static final Instant ORIGIN = Instant.parse("2026-01-08T12:00:00Z");
  private static final Duration GAP = TopologySettings.DEFAULT_WAVE_GAP;

  /** One published record: a report version, or a tombstone (value null), or a re-send of the previous version. */
  record Publication(String id, StrikeReport value) {
  }

  @Property(tries = 80)
  void anyArrivalOrderYieldsTheSameWavesAndTotals(@ForAll("histories") List<List<StrikeReport>> histories,
                                                  @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    Random random = new Random(seed);
    List<Deque<Publication>> perId = new ArrayList<>();
    Map<String, StrikeReport> finalVersions = new TreeMap<>();
    for (int i = 0; i < histories.size(); i++) {
      String id = "r" + i;
      Deque<Publication> publications = new ArrayDeque<>();
      StrikeReport last = null;
      for (StrikeReport version : histories.get(i)) {
        last = version == null ? null : StrikeReport.newBuilder(version).setId(id).build();
        publications.add(new Publication(id, last));
        if (last != null && random.nextInt(4) == 0) {
          // a re-send: same content, accepted again later
          publications.add(new Publication(id, StrikeReport.newBuilder(last).setReportedAt(last.getReportedAt().plusSeconds(3600)).build()));
        }
      }
      if (last != null) {
        finalVersions.put(id, last);
      }
      perId.add(publications);
    }

    Path stateDir = tempDir();
    try (TopologyFixture fixture = new TopologyFixture(stateDir)) {
      List<KeyValue<String, WaveSummary>> waveUpdates = new ArrayList<>();
      List<KeyValue<String, StrikeTotals>> totalUpdates = new ArrayList<>();
      List<Deque<Publication>> pending = new ArrayList<>(perId);
      pending.removeIf(Deque::isEmpty);
      while (!pending.isEmpty()) {
        Deque<Publication> next = pending.get(random.nextInt(pending.size()));
        Publication publication = next.poll();
        if (publication.value() == null) {
          fixture.retractStrike(publication.id());
        } else {
          fixture.put(publication.value());
        }
        if (next.isEmpty()) {
          pending.remove(next);
        }
        waveUpdates.addAll(fixture.drainWaves());
        totalUpdates.addAll(fixture.drainStrikeTotals());
      }

      Map<String, ExpectedWave> expectedWaves = WaveOracle.waves(finalVersions.values(), GAP);
      Map<String, ExpectedWave> actualWaves = new TreeMap<>();
      fixture.wavesInStore().forEach((id, wave) -> actualWaves.put(id, ExpectedWave.of(wave)));
      assertThat(actualWaves).isEqualTo(expectedWaves);
      Map<String, ExpectedWave> replayedWaves = new TreeMap<>();
      replay(waveUpdates).forEach((id, wave) -> replayedWaves.put(id, ExpectedWave.of(wave)));
      assertThat(replayedWaves).as("waves topic replayed").isEqualTo(expectedWaves);

      Map<String, List<Long>> expectedTotals = expectedTotals(finalVersions.values());
      assertThat(figures(fixture.strikeTotalsInStore())).isEqualTo(expectedTotals);
      assertThat(figures(replay(totalUpdates))).as("strike totals topic replayed").isEqualTo(expectedTotals);
    } finally {
      deleteRecursively(stateDir);
    }
  }

  @Provide
  Arbitrary<List<List<StrikeReport>>> histories() {
    Arbitrary<StrikeReport> report = Combinators.combine(
            Arbitraries.integers().between(0, 4 * 48),          // start, in half hours after ORIGIN
            Arbitraries.integers().between(0, 28),              // duration, in half hours
            Arbitraries.frequency(Tuple.of(8, TimePrecision.MINUTE), Tuple.of(2, TimePrecision.DAY)),
            Arbitraries.of(WeaponClass.class),
            Arbitraries.integers().between(0, 300),
            Arbitraries.doubles().between(0, 1).injectNull(0.2))
        .as((startSlot, durationSlots, precision, weaponClass, launched, destroyedShare) -> {
          Instant start = ORIGIN.plus(Duration.ofMinutes(30L * startSlot));
          Instant end = start.plus(Duration.ofMinutes(30L * durationSlots));
          if (precision == TimePrecision.DAY) {
            LocalDate day = start.atZone(KYIV).toLocalDate();
            start = day.atStartOfDay(KYIV).toInstant();
            end = day.plusDays(1).atStartOfDay(KYIV).toInstant().minusMillis(1);
          }
          return StrikeReport.newBuilder()
              .setId("unassigned")
              .setSource("kpszsu")
              .setReportedAt(Instant.parse("2026-02-01T00:00:00Z"))
              .setTimeStart(start)
              .setTimeEnd(end)
              .setTimePrecision(precision)
              .setWeaponModel(weaponClass.name().toLowerCase() + "-model")
              .setWeaponClass(weaponClass)
              .setLaunched(launched)
              .setDestroyed(destroyedShare == null ? null : (int) Math.floor(launched * destroyedShare))
              .setTargetRegions(List.of())
              .build();
        });
    return report.injectNull(0.15).list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(12);
  }

  /** Independent totals: day = Kyiv date of the window end (of the start for date-only reports); drones, missiles, destroyed, count. */
  private static Map<String, List<Long>> expectedTotals(Iterable<StrikeReport> reports) {
    Map<String, long[]> sums = new TreeMap<>();
    for (StrikeReport r : reports) {
      LocalDate day = (r.getTimePrecision() == TimePrecision.DAY ? r.getTimeStart() : r.getTimeEnd()).atZone(KYIV).toLocalDate();
      boolean drone = r.getWeaponClass() == WeaponClass.ATTACK_DRONE || r.getWeaponClass() == WeaponClass.OTHER_DRONE;
      for (String period : List.of(day.toString(), day.toString().substring(0, 7), day.toString().substring(0, 4))) {
        long[] s = sums.computeIfAbsent(period, p -> new long[4]);
        s[drone ? 0 : 1] += r.getLaunched();
        s[2] += r.getDestroyed() == null ? 0 : r.getDestroyed();
        s[3] += 1;
      }
    }
    Map<String, List<Long>> out = new TreeMap<>();
    sums.forEach((period, s) -> out.put(period, List.of(s[0], s[1], s[2], s[3])));
    return out;
  }

  private static Map<String, List<Long>> figures(Map<String, StrikeTotals> totals) {
    Map<String, List<Long>> out = new TreeMap<>();
    totals.forEach((period, t) -> out.put(period, List.of(t.getDrones(), t.getMissiles(), t.getDestroyed(), (long) t.getReportCount())));
    return out;
  }

  private static <V> Map<String, V> replay(List<KeyValue<String, V>> changelog) {
    Map<String, V> state = new HashMap<>();
    for (KeyValue<String, V> update : changelog) {
      if (update.value == null) {
        state.remove(update.key);
      } else {
        state.put(update.key, update.value);
      }
    }
    return state;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("conflictmon-property");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
