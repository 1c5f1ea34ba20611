package io.conflictmon.streams.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of the query API (DESIGN.md "JSON shapes"), as records Jackson writes and reads back (a forwarding
 * instance parses its peers' answers to merge them). Avro's generated classes are not used directly: Jackson would
 * also write their schema, and instants must be ISO-8601 UTC strings.
 */
public final class QueryJson {

  /** Unknown fields are ignored so that a newer peer's answer still merges. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private QueryJson() {
  }

  public record Wave(String id, String start, String end, long durationMinutes, int drones, int missiles,
                     int destroyed, Double interceptionRate, Map<String, Integer> byClass,
                     Map<String, Integer> byModel, List<String> reportIds, int reportCount, String updatedAt) {

    public static Wave of(WaveSummary wave) {
      return new Wave(wave.getId(), wave.getStart().toString(), wave.getEnd().toString(), wave.getDurationMinutes(),
          wave.getDrones(), wave.getMissiles(), wave.getDestroyed(), wave.getInterceptionRate(),
          new TreeMap<>(wave.getByClass()), new TreeMap<>(wave.getByModel()), List.copyOf(wave.getReportIds()),
          wave.getReportCount(), wave.getUpdatedAt().toString());
    }

    /** Epoch millis of the start, the store key and the sort order. */
    long startMillis() {
      return Instant.parse(start).toEpochMilli();
    }
  }

  public record Waves(List<Wave> waves) {
  }

  public record StrikeTotal(String period, String granularity, long drones, long missiles, long destroyed,
                            Map<String, Long> byClass, int reportCount, String updatedAt) {

    public static StrikeTotal of(StrikeTotals totals) {
      return new StrikeTotal(totals.getPeriod(), totals.getGranularity().name(), totals.getDrones(),
          totals.getMissiles(), totals.getDestroyed(), new TreeMap<>(totals.getByClass()), totals.getReportCount(),
          totals.getUpdatedAt().toString());
    }
  }

  public record StrikeTotalsList(String granularity, List<StrikeTotal> totals) {
  }

  /** {@code month} null for a year total. */
  public record CasualtyTotal(String source, int year, Integer month, long killed, long injured, long total,
                              Long childrenKilled, Long childrenInjured, int monthsCovered, boolean complete,
                              String basis, Long previousKilled, Long previousInjured, Long previousTotal,
                              Double increasePct, Double killedIncreasePct, Double injuredIncreasePct,
                              String updatedAt) {

    public static CasualtyTotal of(CasualtyTotals totals) {
      return new CasualtyTotal(totals.getSource(), totals.getYear(), totals.getMonth(), totals.getKilled(),
          totals.getInjured(), totals.getTotal(), totals.getChildrenKilled(), totals.getChildrenInjured(),
          totals.getMonthsCovered(), totals.getComplete(), totals.getBasis().name(), totals.getPreviousKilled(),
          totals.getPreviousInjured(), totals.getPreviousTotal(), round2(totals.getIncreasePct()),
          round2(totals.getKilledIncreasePct()), round2(totals.getInjuredIncreasePct()),
          totals.getUpdatedAt().toString());
    }
  }

  public record CasualtyTotalsList(String source, List<CasualtyTotal> totals) {
  }

  /** {@code GET /v1/casualties/yoy}: the DESIGN.md shape plus the comparison basis. */
  public record YearOnYear(String source, int year, long killed, long injured, long total, Long previousTotal,
                           Double increasePct, Double killedIncreasePct, Double injuredIncreasePct,
                           boolean complete, String basis) {

    public static YearOnYear of(CasualtyTotals totals) {
      return new YearOnYear(totals.getSource(), totals.getYear(), totals.getKilled(), totals.getInjured(),
          totals.getTotal(), totals.getPreviousTotal(), round2(totals.getIncreasePct()),
          round2(totals.getKilledIncreasePct()), round2(totals.getInjuredIncreasePct()), totals.getComplete(),
          totals.getBasis().name());
    }
  }

  /** An escalation alert as {@code /v1/stream} sends it and {@code GET /v1/alerts} lists it. */
  public record Alert(String id, String rule, String severity, String status, String subject, double value,
                      double threshold, String summary, Map<String, String> labels, String firedAt) {

    public static Alert of(EscalationAlert alert) {
      return new Alert(alert.getId(), alert.getRule(), alert.getSeverity().name(), alert.getStatus().name(),
          alert.getSubject(), alert.getValue(), alert.getThreshold(), alert.getSummary(),
          new TreeMap<>(alert.getLabels()), alert.getFiredAt().toString());
    }
  }

  public record Alerts(List<Alert> alerts) {
  }

  /** Percentages are given to two decimals (30.5455 -> 30.55), half up as people round; no finite value -> null. */
  static Double round2(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  static byte[] write(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
    }
  }

  static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a " + type.getSimpleName() + " JSON answer: " + e.getMessage(), e);
    }
  }
}
