package io.conflictmon.streams.alerts;

import io.conflictmon.avro.EscalationAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Names of the alert state and the query over the raised alerts. The strike side (wave and drone-surge rules) and the
 * casualty side (casualty-yoy) each keep their own pair of stores: the two sides are separate sub-topologies (tasks),
 * and a store shared between them would fuse them into one.
 */
public final class AlertStores {

  /** {@code rule/subject} -> the severities firing now, e.g. {@code WARNING,CRITICAL} (strike-side rules). */
  public static final String STRIKE_ALERT_STATE = "alert-state-strikes";
  /** {@code rule/subject} -> the severities firing now (casualty-side rules). */
  public static final String CASUALTY_ALERT_STATE = "alert-state-casualties";
  /** {@link #historyKey} -> every alert raised by the strike-side rules, for {@code GET /v1/alerts}. */
  public static final String STRIKE_ALERTS = "alerts-strikes";
  /** {@link #historyKey} -> every alert raised by the casualty-side rules. */
  public static final String CASUALTY_ALERTS = "alerts-casualties";
  /** Wave start (epoch millis) -> drones, for every wave with more drones than every wave before it (wave-record). */
  public static final String RECORD_WAVES = "alert-record-waves";
  /** Kyiv day ({@code 2026-01-09}) -> drones launched that day, every day with a strike total (drone-surge). */
  public static final String DAILY_DRONES = "alert-daily-drones";

  private AlertStores() {
  }

  /** Sorts by the time the alert was raised, then by id: {@code 0000001767893400000/wave-drones/...}. */
  public static String historyKey(EscalationAlert alert) {
    return historyPrefix(alert.getFiredAt()) + "/" + alert.getId();
  }

  private static String historyPrefix(Instant firedAt) {
    return String.format("%019d", Math.max(0, firedAt.toEpochMilli()));
  }

  /** Alerts raised at or after {@code since} (null: all), newest first, at most limit. */
  public static List<EscalationAlert> raisedSince(ReadOnlyKeyValueStore<String, EscalationAlert> alerts, Instant since,
                                                  int limit) {
    List<EscalationAlert> found = new ArrayList<>();
    try (KeyValueIterator<String, EscalationAlert> it =
             alerts.reverseRange(since == null ? null : historyPrefix(since), null)) {
      while (it.hasNext() && found.size() < limit) {
        found.add(it.next().value);
      }
    }
    return found;
  }
}
