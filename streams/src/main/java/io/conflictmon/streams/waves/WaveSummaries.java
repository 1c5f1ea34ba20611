package io.conflictmon.streams.waves;

import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.reports.WeaponClasses;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Builds a {@link WaveSummary} from its members: every figure is recomputed, never patched. */
public final class WaveSummaries {

  private WaveSummaries() {
  }

  /** A wave's id: its start instant in ISO-8601 UTC, e.g. {@code 2026-01-08T17:30:00Z}. */
  public static String idOf(long startMillis) {
    return Instant.ofEpochMilli(startMillis).toString();
  }

  public static WaveSummary summarize(Collection<WaveMember> members, Instant updatedAt) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a wave needs at least one report");
    }
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    long drones = 0;
    long missiles = 0;
    long destroyed = 0;
    long launchedWhereDestroyedKnown = 0;
    boolean anyDestroyedKnown = false;
    Map<String, Integer> byClass = new TreeMap<>();
    Map<String, Integer> byModel = new TreeMap<>();
    for (WaveMember member : members) {
      start = Math.min(start, member.start());
      end = Math.max(end, member.end());
      if (WeaponClasses.isDrone(member.weaponClass())) {
        drones += member.launched();
      } else {
        missiles += member.launched();
      }
      if (member.destroyed() != null) {
        anyDestroyedKnown = true;
        destroyed += member.destroyed();
        launchedWhereDestroyedKnown += member.launched();
      }
      if (member.launched() != 0) {
        byClass.merge(member.weaponClass().name(), member.launched(), Math::addExact);
        byModel.merge(member.weaponModel(), member.launched(), Math::addExact);
      }
    }
    List<String> reportIds = members.stream().map(WaveMember::id).sorted().toList();
    Double interceptionRate = anyDestroyedKnown && launchedWhereDestroyedKnown > 0
        ? (double) destroyed / launchedWhereDestroyedKnown
        : null;
    return WaveSummary.newBuilder()
        .setId(idOf(start))
        .setStart(Instant.ofEpochMilli(start))
        .setEnd(Instant.ofEpochMilli(end))
        .setDurationMinutes((end - start) / 60_000L)
        .setDrones(Math.toIntExact(drones))
        .setMissiles(Math.toIntExact(missiles))
        .setDestroyed(Math.toIntExact(destroyed))
        .setInterceptionRate(interceptionRate)
        .setByClass(byClass)
        .setByModel(byModel)
        .setReportIds(reportIds)
        .setReportCount(reportIds.size())
        .setUpdatedAt(updatedAt)
        .build();
  }

  /** True when two summaries describe the same wave, whenever they were computed. */
  public static boolean sameContent(WaveSummary a, WaveSummary b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.getId().equals(b.getId())
        && a.getStart().equals(b.getStart())
        && a.getEnd().equals(b.getEnd())
        && a.getDrones() == b.getDrones()
        && a.getMissiles() == b.getMissiles()
        && a.getDestroyed() == b.getDestroyed()
        && Objects.equals(a.getInterceptionRate(), b.getInterceptionRate())
        && a.getByClass().equals(b.getByClass())
        && a.getByModel().equals(b.getByModel())
        && a.getReportIds().equals(b.getReportIds());
  }
}
