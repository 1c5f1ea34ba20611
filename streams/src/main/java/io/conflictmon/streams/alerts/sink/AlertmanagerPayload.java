package io.conflictmon.streams.alerts.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.EscalationAlert;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of Alertmanager's {@code POST /api/v2/alerts}: a JSON array of
 * {@code {labels, annotations, startsAt, endsAt, generatorURL}}.
 *
 * <p>Labels: the alert's own labels (names made valid Prometheus label names), then {@code alertname} (the rule),
 * {@code severity} (lower case) and {@code subject}, which win over an own label of the same name. Annotations:
 * {@code summary}, {@code value}, {@code threshold}, {@code alert_id}. {@code startsAt} is the time the status was
 * reached; a RESOLVED alert carries {@code endsAt} = that time, which is how Alertmanager is told an alert is over. A
 * FIRING alert carries no {@code endsAt}: Alertmanager keeps it for its {@code resolve_timeout} (5 min by default), as
 * it does with any alert not sent again; an escalation is an event, not a lasting condition.
 */
final class AlertmanagerPayload {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final Pattern NOT_LABEL_CHAR = Pattern.compile("[^a-zA-Z0-9_]");

  private AlertmanagerPayload() {
  }

  static byte[] body(List<EscalationAlert> alerts, String generatorUrl) {
    try {
      return MAPPER.writeValueAsBytes(alerts.stream().map(alert -> alert(alert, generatorUrl)).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write alerts as JSON", e);
    }
  }

  static Map<String, Object> alert(EscalationAlert alert, String generatorUrl) {
    Map<String, String> labels = new LinkedHashMap<>();
    alert.getLabels().forEach((name, value) -> labels.put(labelName(name.toString()), String.valueOf(value)));
    labels.put("alertname", alert.getRule());
    labels.put("severity", alert.getSeverity().name().toLowerCase(Locale.ROOT));
    labels.put("subject", alert.getSubject());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", alert.getSummary());
    annotations.put("value", number(alert.getValue()));
    annotations.put("threshold", number(alert.getThreshold()));
    annotations.put("alert_id", alert.getId());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("labels", labels);
    body.put("annotations", annotations);
    body.put("startsAt", alert.getFiredAt().toString());
    if (alert.getStatus() == AlertStatus.RESOLVED) {
      body.put("endsAt", alert.getFiredAt().toString());
    }
    if (generatorUrl != null) {
      body.put("generatorURL", generatorUrl);
    }
    return body;
  }

  /** 242.0 as "242", 0.125 as "0.125": what a person reads in a notification. */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*. */
  static String labelName(String name) {
    String valid = NOT_LABEL_CHAR.matcher(name).replaceAll("_");
    return valid.isEmpty() || Character.isDigit(valid.charAt(0)) ? "_" + valid : valid;
  }
}
