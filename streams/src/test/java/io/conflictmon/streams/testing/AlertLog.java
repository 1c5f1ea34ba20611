package io.conflictmon.streams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The alerts topic read as a consumer would: folds FIRING and RESOLVED into what is firing now, and fails on an alert
 * that fires twice without a resolve in between or resolves what is not firing.
 */
public final class AlertLog {

  private final TreeMap<String, EscalationAlert> firing = new TreeMap<>();
  private final List<EscalationAlert> all = new ArrayList<>();

  /** Adds alerts in topic order; returns them. */
  public List<EscalationAlert> add(List<EscalationAlert> alerts) {
    for (EscalationAlert alert : alerts) {
      String key = alert.getRule() + "/" + alert.getSubject() + "/" + alert.getSeverity();
      assertThat(alert.getId()).isEqualTo(key + "/" + alert.getStatus());
      if (alert.getStatus() == AlertStatus.FIRING) {
        assertThat(firing).as("fires once per subject and severity: %s", alert.getId()).doesNotContainKey(key);
        firing.put(key, alert);
      } else {
        assertThat(firing).as("resolves only what fires: %s", alert.getId()).containsKey(key);
        firing.remove(key);
      }
      all.add(alert);
    }
    return alerts;
  }

  /** Subjects of one rule and severity firing now. */
  public Set<String> firing(String rule, String severity) {
    Set<String> subjects = new TreeSet<>();
    firing.values().stream()
        .filter(a -> a.getRule().equals(rule) && a.getSeverity().name().equals(severity))
        .forEach(a -> subjects.add(a.getSubject()));
    return subjects;
  }

  public List<EscalationAlert> all() {
    return all;
  }

  /** The wave-record rule stated naively: ids of the waves (in start order) with more drones than every earlier one, not the first, with at least min drones. */
  public static Set<String> recordWaves(List<ExpectedWave> wavesInStartOrder, long min) {
    Set<String> records = new TreeSet<>();
    long max = -1;
    for (ExpectedWave wave : wavesInStartOrder) {
      if (max >= 0 && wave.drones() > max && wave.drones() >= min) {
        records.add(wave.id());
      }
      max = Math.max(max, wave.drones());
    }
    return records;
  }

  /** Ids of the waves with at least this many drones. */
  public static Set<String> wavesWithDrones(Collection<ExpectedWave> waves, long drones) {
    Set<String> ids = new TreeSet<>();
    waves.stream().filter(w -> w.drones() >= drones).forEach(w -> ids.add(w.id()));
    return ids;
  }
}
