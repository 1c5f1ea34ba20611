package io.conflictmon.streams.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.conflictmon.avro.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads and validates an alert rules file (YAML):
 *
 * <pre>
 * rules:
 *   - rule: wave-drones           # the kind: wave-drones, wave-missiles, wave-record, drone-surge, casualty-yoy
 *     name: wave-drones           # optional, defaults to the kind; unique; the "rule" of the alerts raised
 *     levels: {WARNING: 200, CRITICAL: 400}   # severity (INFO, WARNING, CRITICAL) -> threshold (value >= threshold)
 *     labels: {team: air-defence} # optional, copied into every alert
 *   - rule: drone-surge
 *     levels: {WARNING: 1.5}      # k: drones of the window >= k x daily mean of the baseline x windowDays
 *     windowDays: 7               # optional (7), drone-surge only
 *     baselineDays: 28            # optional (28), drone-surge only
 *   - rule: casualty-yoy
 *     levels: {WARNING: 25}       # percent above the previous year (or the same months of it)
 *     source: ohchr               # optional (every source), casualty-yoy only
 * </pre>
 * Thresholds: wave-drones and wave-missiles a whole number >= 1; wave-record a whole number >= 0, the fewest drones a
 * record wave must have to alert; drone-surge a factor > 0; casualty-yoy a percentage > -100. A higher severity needs a
 * higher threshold. Every problem of a file is reported at once, by rule index and name, field and what is allowed.
 *
 * <p>Validation is hand-written over Jackson's tree rather than bound to classes: a binding error names a Java
 * property, not the rule and what would be allowed.
 */
public final class AlertRulesLoader {

  /** The rules bundled with the streams module, used when no file is configured. */
  public static final String DEFAULT_RULES_RESOURCE = "/alerts/default-rules.yaml";
  public static final int DEFAULT_WINDOW_DAYS = 7;
  public static final int DEFAULT_BASELINE_DAYS = 28;

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> COMMON_FIELDS = Set.of("rule", "name", "levels", "labels");
  private static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]{0,99}";
  private static final List<Severity> SEVERITIES = List.of(Severity.INFO, Severity.WARNING, Severity.CRITICAL);

  private AlertRulesLoader() {
  }

  public static AlertRules load(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AlertRulesException(file.toString(), List.of("cannot read the file: " + e));
    }
    return parse(yaml, file.toString());
  }

  public static AlertRules defaults() {
    try (InputStream in = AlertRulesLoader.class.getResourceAsStream(DEFAULT_RULES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled " + DEFAULT_RULES_RESOURCE + " is missing from the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RULES_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @param origin where the text came from, for messages */
  public static AlertRules parse(String yaml, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new AlertRulesException(origin, List.of("not YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject() || !root.path("rules").isArray()) {
      throw new AlertRulesException(origin, List.of("the file must be a mapping with a list 'rules:'"));
    }
    root.fieldNames().forEachRemaining(field -> {
      if (!field.equals("rules")) {
        problems.add(field + ": unknown top-level field, allowed: rules");
      }
    });
    List<AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int index = 0;
    for (JsonNode node : root.get("rules")) {
      RuleProblems rule = new RuleProblems(index++, node, problems);
      AlertRule parsed = rule.parse();
      if (parsed != null) {
        if (!names.add(parsed.name())) {
          rule.add("name", "'" + parsed.name() + "' is used by an earlier rule; names must be unique");
        } else {
          rules.add(parsed);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AlertRulesException(origin, problems);
    }
    return new AlertRules(rules);
  }

  /** Parses one rule, adding its problems to the file's list. */
  private static final class RuleProblems {
    private final int index;
    private final JsonNode node;
    private final List<String> problems;
    private final int problemsBefore;
    private String label;

    RuleProblems(int index, JsonNode node, List<String> problems) {
      this.index = index;
      this.node = node;
      this.problems = problems;
      this.problemsBefore = problems.size();
      this.label = "rules[" + index + "]";
    }

    void add(String field, String message) {
      problems.add(label + ": " + field + ": " + message);
    }

    AlertRule parse() {
      if (!node.isObject()) {
        problems.add(label + ": must be a mapping with rule, levels and optional name, labels");
        return null;
      }
      String kindName = text("rule");
      RuleKind kind = kindName == null ? null : RuleKind.byName(kindName).orElse(null);
      String name = node.has("name") ? text("name") : (kind == null ? null : kind.yamlName());
      label = "rules[" + index + "]" + (name != null ? " (" + name + ")" : kindName != null ? " (" + kindName + ")" : "");
      if (kindName == null) {
        add("rule", "is required, one of " + RuleKind.allowed());
      } else if (kind == null) {
        add("rule", "unknown rule '" + kindName + "', allowed: " + RuleKind.allowed());
      }
      if (node.has("name") && (name == null || !name.matches(NAME_PATTERN))) {
        add("name", "must be 1-100 lower-case letters, digits, '.', '_' or '-' starting with a letter or digit, got "
            + node.get("name"));
      }
      Set<String> allowed = new HashSet<>(COMMON_FIELDS);
      if (kind == RuleKind.DRONE_SURGE) {
        allowed.addAll(Set.of("windowDays", "baselineDays"));
      }
      if (kind == RuleKind.CASUALTY_YOY) {
        allowed.add("source");
      }
      node.fieldNames().forEachRemaining(field -> {
        if (!allowed.contains(field)) {
          add(field, "unknown field" + (kind == null ? "" : " for " + kind.yamlName()) + ", allowed: "
              + String.join(", ", new TreeSet<>(allowed)));
        }
      });
      List<AlertRule.Level> levels = kind == null ? List.of() : levels(kind);
      Map<String, String> labels = labels();
      int windowDays = kind == RuleKind.DRONE_SURGE ? days("windowDays", DEFAULT_WINDOW_DAYS, 366) : 0;
      int baselineDays = kind == RuleKind.DRONE_SURGE ? days("baselineDays", DEFAULT_BASELINE_DAYS, 3660) : 0;
      String source = null;
      if (kind == RuleKind.CASUALTY_YOY && node.has("source")) {
        source = text("source");
        if (source == null || !source.matches("[A-Za-z0-9._-]{1,100}")) {
          add("source", "must be a source id of letters, digits, '.', '_' or '-', got " + node.get("source"));
        }
      }
      if (problems.size() > problemsBefore) {
        return null;
      }
      return new AlertRule(name, kind, levels, labels, windowDays, baselineDays, source);
    }

    private String text(String field) {
      JsonNode value = node.get(field);
      return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }

    private List<AlertRule.Level> levels(RuleKind kind) {
      JsonNode levels = node.get("levels");
      String allowedSeverities = "INFO, WARNING, CRITICAL";
      if (levels == null || !levels.isObject() || levels.isEmpty()) {
        add("levels", "is required: a mapping of severity (" + allowedSeverities + ") to threshold, e.g. {WARNING: "
            + example(kind) + "}");
        return List.of();
      }
      Map<Severity, Double> bySeverity = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = levels.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> level = it.next();
        String field = "levels." + level.getKey();
        Severity severity = SEVERITIES.stream()
            .filter(s -> s.name().equals(level.getKey().trim().toUpperCase(Locale.ROOT))).findFirst().orElse(null);
        if (severity == null) {
          add(field, "unknown severity, allowed: " + allowedSeverities);
          continue;
        }
        JsonNode value = level.getValue();
        String problem = thresholdProblem(kind, value);
        if (problem != null) {
          add(field, problem + ", got " + value);
          continue;
        }
        if (bySeverity.put(severity, value.asDouble()) != null) {
          add(field, "severity given twice");
        }
      }
      List<AlertRule.Level> ordered = new ArrayList<>();
      bySeverity.forEach((severity, threshold) -> ordered.add(new AlertRule.Level(severity, threshold)));
      for (int i = 1; i < ordered.size(); i++) {
        if (ordered.get(i).threshold() <= ordered.get(i - 1).threshold()) {
          add("levels." + ordered.get(i).severity(), "must be above the threshold of "
              + ordered.get(i - 1).severity() + " (" + fmt(ordered.get(i - 1).threshold()) + "), got "
              + fmt(ordered.get(i).threshold()));
        }
      }
      return ordered;
    }

    private static String thresholdProblem(RuleKind kind, JsonNode value) {
      if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
        return "must be a number (" + describe(kind) + ")";
      }
      double threshold = value.asDouble();
      return switch (kind) {
        case WAVE_DRONES, WAVE_MISSILES -> value.canConvertToExactIntegral() && threshold >= 1 ? null
            : "must be a whole number >= 1 (" + describe(kind) + ")";
        case WAVE_RECORD -> value.canConvertToExactIntegral() && threshold >= 0 ? null
            : "must be a whole number >= 0 (" + describe(kind) + ")";
        case DRONE_SURGE -> threshold > 0 ? null : "must be > 0 (" + describe(kind) + ")";
        case CASUALTY_YOY -> threshold > -100 ? null : "must be > -100 (" + describe(kind) + ")";
      };
    }

    private static String describe(RuleKind kind) {
      return switch (kind) {
        case WAVE_DRONES -> "drones in a wave";
        case WAVE_MISSILES -> "missiles in a wave";
        case WAVE_RECORD -> "the fewest drones a record wave must have";
        case DRONE_SURGE -> "the factor k over the baseline";
        case CASUALTY_YOY -> "percent above the previous year";
      };
    }

    private static String example(RuleKind kind) {
      return switch (kind) {
        case WAVE_DRONES -> "200";
        case WAVE_MISSILES -> "30";
        case WAVE_RECORD -> "0";
        case DRONE_SURGE -> "1.5";
        case CASUALTY_YOY -> "25";
      };
    }

    private Map<String, String> labels() {
      JsonNode labels = node.get("labels");
      Map<String, String> out = new LinkedHashMap<>();
      if (labels == null) {
        return out;
      }
      if (!labels.isObject()) {
        add("labels", "must be a mapping of label name to text, got " + labels);
        return out;
      }
      labels.fields().forEachRemaining(label -> {
        if (!label.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
          add("labels." + label.getKey(), "a label name must match [a-zA-Z_][a-zA-Z0-9_]* (Prometheus/Alertmanager)");
        } else if (!label.getValue().isValueNode() || label.getValue().isNull()) {
          add("labels." + label.getKey(), "must be a text, got " + label.getValue());
        } else {
          out.put(label.getKey(), label.getValue().asText());
        }
      });
      return out;
    }

    private int days(String field, int defaultValue, int max) {
      JsonNode value = node.get(field);
      if (value == null) {
        return defaultValue;
      }
      if (!value.canConvertToExactIntegral() || value.asLong() < 1 || value.asLong() > max) {
        add(field, "must be a whole number of days between 1 and " + max + ", got " + value);
        return defaultValue;
      }
      return value.asInt();
    }
  }

  static String fmt(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
