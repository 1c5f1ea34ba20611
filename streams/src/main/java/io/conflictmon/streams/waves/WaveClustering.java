package io.conflictmon.streams.waves;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The wave rule: windows {@code [start, end]} that overlap or lie at most {@code gap} apart belong to
 * one wave, transitively. Sorting by start and sweeping gives exactly the connected components of
 * that "within gap" relation: a member joins the current wave when it starts no later than the
 * wave's end plus the gap; otherwise every later member starts later still, so the wave is closed.
 */
public final class WaveClustering {

  private static final Comparator<WaveMember> BY_START =
      Comparator.comparingLong(WaveMember::start).thenComparingLong(WaveMember::end).thenComparing(WaveMember::id);

  private WaveClustering() {
  }

  /** The waves of these members, in start order; each wave lists its members in start order. */
  public static List<List<WaveMember>> cluster(Collection<WaveMember> members, long gapMillis) {
    if (gapMillis < 0) {
      throw new IllegalArgumentException("wave gap must be >= 0, got " + gapMillis + " ms");
    }
    List<WaveMember> sorted = new ArrayList<>(members);
    sorted.sort(BY_START);
    List<List<WaveMember>> waves = new ArrayList<>();
    List<WaveMember> current = null;
    long currentEnd = Long.MIN_VALUE;
    for (WaveMember member : sorted) {
      if (current == null || member.start() > saturatedAdd(currentEnd, gapMillis)) {
        current = new ArrayList<>();
        waves.add(current);
        currentEnd = member.end();
      } else {
        currentEnd = Math.max(currentEnd, member.end());
      }
      current.add(member);
    }
    return waves;
  }

  /** True when two windows belong to one wave by themselves (overlap or at most gap apart). */
  public static boolean within(long startA, long endA, long startB, long endB, long gapMillis) {
    return startB <= saturatedAdd(endA, gapMillis) && startA <= saturatedAdd(endB, gapMillis);
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }
}
