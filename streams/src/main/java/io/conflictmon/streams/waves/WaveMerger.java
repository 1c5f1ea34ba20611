package io.conflictmon.streams.waves;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.conflictmon.streams.reports.ReportChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the attack waves up to date under inserts, corrections and retractions of strike reports
 * and publishes every change of a wave (a tombstone for a wave that was merged away or lost its
 * last report).
 *
 * <p><b>State.</b> A key-value store keyed by wave start (see {@link WaveStores}), not a
 * {@code SessionStore}: waves are disjoint intervals more than {@code gap} apart, so ordering by
 * start also orders them by end, and the waves a window {@code [s, e]} touches are found by walking
 * back from {@code e + gap} to the first wave ending before {@code s - gap} (over a heap index of
 * start -> end that mirrors the store, then one point read per wave found). Unlike a
 * session store it has no retention that would silently drop waves of 2022 once stream time moves
 * on, and the wave id (its start instant) is its key, so one store answers both lookups by id and
 * range scans by time. A wave stores only its member ids; the members' current versions live in the
 * strike-reports store of the same task, which makes every recomputation exact.
 *
 * <p><b>Algorithm.</b> For a change (previous, current) of one report, the affected waves are the
 * wave that held the previous version and the waves within {@code gap} of the current version. Their
 * members, minus the previous version, plus the current version, are re-clustered from scratch:
 * this one step covers extending a wave, merging two waves, a correction that moves a report, and a
 * retraction that splits a wave. Waves outside the affected set cannot be touched: they were more
 * than {@code gap} away from every affected member before the change and from the current version.
 */
public final class WaveMerger implements Processor<String, ReportChange<StrikeReport>, String, WaveSummary> {

  private static final Logger LOG = LoggerFactory.getLogger(WaveMerger.class);
  /** Reports kept decoded: the members of the last few thousand waves (a few MB). */
  static final int MEMBER_CACHE_SIZE = 20_000;

  private final String reportsStoreName;
  private final long gapMillis;
  private final StreamsMetrics metrics;
  private ProcessorContext<String, WaveSummary> context;
  private KeyValueStore<String, StrikeReport> reports;
  private KeyValueStore<Long, WaveSummary> waves;
  /**
   * Wave start -> wave end of every wave, in the heap: finding the waves near a report is a walk back over starts,
   * which the store answers only with a reverse range scan (a RocksDB iterator, an Avro decode per wave it passes).
   * Loaded from the store in {@link #init} (called again after a restore) and written together with it.
   */
  private final NavigableMap<Long, Long> waveEnds = new TreeMap<>();
  /**
   * The members of recently changed waves, decoded: a report joining a wave re-clusters all its members, which would
   * otherwise be a store read (a record-cache lookup and an Avro decode) per member per change. Every change of a
   * report passes through {@link #process}, which updates its entry first, so an entry never holds an old version;
   * bounded (least recently used out), and emptied in {@link #init}, since a restored store may hold other versions.
   */
  private final Map<String, WaveMember> memberCache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, WaveMember> eldest) {
      return size() > MEMBER_CACHE_SIZE;
    }
  };

  public WaveMerger(String reportsStoreName, Duration gap, StreamsMetrics metrics) {
    if (gap.isNegative()) {
      throw new IllegalArgumentException("wave.gap must not be negative, got " + gap);
    }
    this.reportsStoreName = reportsStoreName;
    this.gapMillis = gap.toMillis();
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, WaveSummary> context) {
    this.context = context;
    this.reports = context.getStateStore(reportsStoreName);
    this.waves = context.getStateStore(WaveStores.WAVES);
    waveEnds.clear();
    memberCache.clear();
    try (KeyValueIterator<Long, WaveSummary> it = waves.all()) {
      it.forEachRemaining(entry -> waveEnds.put(entry.key, entry.value.getEnd().toEpochMilli()));
    }
  }

  @Override
  public void process(Record<String, ReportChange<StrikeReport>> record) {
    ReportChange<StrikeReport> change = record.value();
    boolean wasMember = WaveMember.formsWaves(change.previous());
    boolean isMember = WaveMember.formsWaves(change.current());
    memberCache.remove(change.id());
    if (!wasMember && !isMember) {
      return; // date-only reports join no wave
    }

    Map<Long, WaveSummary> affected = new LinkedHashMap<>();
    if (wasMember) {
      WaveSummary holder = waveHolding(change.previous());
      if (holder == null) {
        LOG.warn("Strike report {} was counted in no wave; state and reports store disagree, re-clustering around it only",
            change.id());
      } else {
        affected.put(holder.getStart().toEpochMilli(), holder);
      }
    }
    WaveMember current = isMember ? WaveMember.of(change.current()) : null;
    if (isMember) {
      collectWavesNear(current.start(), current.end(), affected);
    }

    Map<String, WaveMember> members = new HashMap<>();
    Map<String, Long> formerWave = new HashMap<>();
    for (Map.Entry<Long, WaveSummary> wave : affected.entrySet()) {
      for (String memberId : wave.getValue().getReportIds()) {
        if (memberId.equals(change.id())) {
          continue;
        }
        WaveMember member = member(memberId);
        if (member == null) {
          LOG.warn("Wave {} lists report {} that the reports store does not hold with a time; dropping it from the wave",
              wave.getValue().getId(), memberId);
          continue;
        }
        members.put(memberId, member);
        formerWave.put(memberId, wave.getKey());
      }
    }
    if (isMember) {
      members.put(change.id(), current);
      memberCache.put(change.id(), current);
    }

    List<List<WaveMember>> clusters = WaveClustering.cluster(members.values(), gapMillis);
    countTransitions(clusters, affected.keySet(), formerWave);

    Instant updatedAt = Instant.ofEpochMilli(record.timestamp());
    List<WaveSummary> updated = new ArrayList<>(clusters.size());
    Set<Long> updatedKeys = new HashSet<>();
    for (List<WaveMember> cluster : clusters) {
      WaveSummary summary = WaveSummaries.summarize(cluster, updatedAt);
      updated.add(summary);
      updatedKeys.add(summary.getStart().toEpochMilli());
    }
    // Tombstones first: a wave merged away disappears before the wave that absorbed it grows.
    for (Map.Entry<Long, WaveSummary> wave : affected.entrySet()) {
      if (!updatedKeys.contains(wave.getKey())) {
        waves.delete(wave.getKey());
        waveEnds.remove(wave.getKey());
        context.forward(record.withKey(wave.getValue().getId()).withValue(null));
      }
    }
    for (WaveSummary summary : updated) {
      long key = summary.getStart().toEpochMilli();
      if (WaveSummaries.sameContent(affected.get(key), summary)) {
        continue;
      }
      waves.put(key, summary);
      waveEnds.put(key, summary.getEnd().toEpochMilli());
      context.forward(record.withKey(summary.getId()).withValue(summary));
    }
  }

  /** The current version of a report as a wave member, or null if the store holds none with a time. */
  private WaveMember member(String id) {
    WaveMember cached = memberCache.get(id);
    if (cached != null) {
      return cached;
    }
    StrikeReport report = reports.get(id);
    if (!WaveMember.formsWaves(report)) {
      return null;
    }
    WaveMember member = WaveMember.of(report);
    memberCache.put(id, member);
    return member;
  }

  /** The wave that counts this report: the last wave starting at or before it, if it lists the id. */
  private WaveSummary waveHolding(StrikeReport report) {
    Long start = waveEnds.floorKey(report.getTimeStart().toEpochMilli());
    if (start == null) {
      return null;
    }
    WaveSummary candidate = waves.get(start);
    return Collections.binarySearch(candidate.getReportIds(), report.getId()) >= 0 ? candidate : null;
  }

  /** Adds the waves whose window lies within gap of {@code [start, end]}. */
  private void collectWavesNear(long start, long end, Map<Long, WaveSummary> into) {
    long earliestEnd = start - gapMillis;
    for (Map.Entry<Long, Long> wave : waveEnds.headMap(WaveClustering.saturatedAdd(end, gapMillis), true)
        .descendingMap().entrySet()) {
      if (wave.getValue() < earliestEnd) {
        break; // waves are disjoint: every earlier wave ends earlier still
      }
      if (!into.containsKey(wave.getKey())) {
        into.put(wave.getKey(), waves.get(wave.getKey()));
      }
    }
  }

  private void countTransitions(List<List<WaveMember>> clusters, Set<Long> formerKeys, Map<String, Long> formerWave) {
    Map<Long, Integer> clustersPerFormerWave = new HashMap<>();
    for (List<WaveMember> cluster : clusters) {
      Set<Long> sources = new HashSet<>();
      for (WaveMember member : cluster) {
        Long source = formerWave.get(member.id());
        if (source != null) {
          sources.add(source);
        }
      }
      if (sources.isEmpty()) {
        metrics.wavesOpened(1);
      } else if (sources.size() > 1) {
        metrics.wavesMerged(sources.size() - 1);
      }
      sources.forEach(source -> clustersPerFormerWave.merge(source, 1, Integer::sum));
    }
    for (Long former : formerKeys) {
      int parts = clustersPerFormerWave.getOrDefault(former, 0);
      if (parts == 0) {
        metrics.wavesClosed(1);
      } else if (parts > 1) {
        metrics.wavesSplit(parts - 1);
      }
    }
  }
}
