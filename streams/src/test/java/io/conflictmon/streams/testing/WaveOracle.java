package io.conflictmon.streams.testing;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.avro.WeaponClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent, deliberately naive statement of the wave rule for tests: union-find over every
 * pair of MINUTE reports whose windows overlap or lie at most gap apart, then figures summed per
 * component. Quadratic, fine for test sizes.
 */
public final class WaveOracle {

  private WaveOracle() {
  }

  /** What a wave must look like, without the time it was computed. */
  public record ExpectedWave(String id, Instant start, Instant end, long drones, long missiles, long destroyed,
                             Map<String, Integer> byClass, Map<String, Integer> byModel, List<String> reportIds) {

    public static ExpectedWave of(WaveSummary summary) {
      return new ExpectedWave(summary.getId(), summary.getStart(), summary.getEnd(), summary.getDrones(),
          summary.getMissiles(), summary.getDestroyed(), new TreeMap<>(summary.getByClass()),
          new TreeMap<>(summary.getByModel()), List.copyOf(summary.getReportIds()));
    }
  }

  /** Expected waves by id. */
  public static Map<String, ExpectedWave> waves(Collection<StrikeReport> reports, Duration gap) {
    List<StrikeReport> timed = reports.stream().filter(r -> r.getTimePrecision() == TimePrecision.MINUTE).toList();
    int[] parent = new int[timed.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < timed.size(); i++) {
      for (int j = i + 1; j < timed.size(); j++) {
        StrikeReport a = timed.get(i);
        StrikeReport b = timed.get(j);
        boolean near = !b.getTimeStart().isAfter(a.getTimeEnd().plus(gap)) && !a.getTimeStart().isAfter(b.getTimeEnd().plus(gap));
        if (near) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<Integer, List<StrikeReport>> components = new TreeMap<>();
    for (int i = 0; i < timed.size(); i++) {
      components.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(timed.get(i));
    }
    Map<String, ExpectedWave> out = new TreeMap<>();
    for (List<StrikeReport> members : components.values()) {
      ExpectedWave wave = summarize(members);
      out.put(wave.id(), wave);
    }
    return out;
  }

  public static ExpectedWave summarize(List<StrikeReport> members) {
    Instant start = members.stream().map(StrikeReport::getTimeStart).min(Instant::compareTo).orElseThrow();
    Instant end = members.stream().map(StrikeReport::getTimeEnd).max(Instant::compareTo).orElseThrow();
    long drones = 0;
    long missiles = 0;
    long destroyed = 0;
    Map<String, Integer> byClass = new TreeMap<>();
    Map<String, Integer> byModel = new TreeMap<>();
    for (StrikeReport r : members) {
      boolean drone = r.getWeaponClass() == WeaponClass.ATTACK_DRONE || r.getWeaponClass() == WeaponClass.OTHER_DRONE;
      if (drone) {
        drones += r.getLaunched();
      } else {
        missiles += r.getLaunched();
      }
      destroyed += r.getDestroyed() == null ? 0 : r.getDestroyed();
      if (r.getLaunched() > 0) {
        byClass.merge(r.getWeaponClass().name(), r.getLaunched(), Integer::sum);
        byModel.merge(r.getWeaponModel(), r.getLaunched(), Integer::sum);
      }
    }
    List<String> ids = members.stream().map(StrikeReport::getId).sorted().toList();
    return new ExpectedWave(start.toString(), start, end, drones, missiles, destroyed, byClass, byModel, ids);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
