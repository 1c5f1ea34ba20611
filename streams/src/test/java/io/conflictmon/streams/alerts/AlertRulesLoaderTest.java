package io.conflictmon.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.conflictmon.avro.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertRulesLoaderTest {

  @TempDir
  Path dir;

  @Test
  void theBundledRulesHaveEveryKind() {
    AlertRules rules = AlertRulesLoader.defaults();
    assertThat(rules.rules()).extracting(AlertRule::kind).containsExactly(RuleKind.values());
    AlertRule drones = rules.ofKind(RuleKind.WAVE_DRONES).get(0);
    assertThat(drones.name()).isEqualTo("wave-drones");
    assertThat(drones.levels()).containsExactly(new AlertRule.Level(Severity.WARNING, 200),
        new AlertRule.Level(Severity.CRITICAL, 400));
    AlertRule surge = rules.ofKind(RuleKind.DRONE_SURGE).get(0);
    assertThat(surge.windowDays()).isEqualTo(7);
    assertThat(surge.baselineDays()).isEqualTo(28);
    assertThat(surge.levels()).containsExactly(new AlertRule.Level(Severity.WARNING, 1.5));
    assertThat(rules.ofKind(RuleKind.CASUALTY_YOY).get(0).levels()).containsExactly(new AlertRule.Level(Severity.WARNING, 25));
  }

  @Test
  void optionalFieldsHaveTheirDefaults() {
    AlertRules rules = AlertRulesLoader.parse("""
        rules:
          - rule: drone-surge
            levels: {warning: 1.5, CRITICAL: 3}
          - rule: casualty-yoy
            name: yoy-ohchr
            source: ohchr
            levels: {INFO: -10, WARNING: 25}
            labels: {team: un-desk}
        """, "test");
    AlertRule surge = rules.rules().get(0);
    assertThat(surge.name()).isEqualTo("drone-surge");
    assertThat(surge.windowDays()).isEqualTo(AlertRulesLoader.DEFAULT_WINDOW_DAYS);
    assertThat(surge.baselineDays()).isEqualTo(AlertRulesLoader.DEFAULT_BASELINE_DAYS);
    AlertRule yoy = rules.rules().get(1);
    assertThat(yoy.name()).isEqualTo("yoy-ohchr");
    assertThat(yoy.coversSource("ohchr")).isTrue();
    assertThat(yoy.coversSource("hrw")).isFalse();
    assertThat(yoy.labels()).containsEntry("team", "un-desk");
    assertThat(yoy.levels()).extracting(AlertRule.Level::severity).containsExactly(Severity.INFO, Severity.WARNING);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("rules: [ {rule: wave-drones, levels: {WARNING: 200}", List.of("not YAML")),
        Arguments.of("alerts: []", List.of("a list 'rules:'")),
        Arguments.of("rules:\n  - levels: {WARNING: 1}", List.of("rules[0]: rule: is required, one of wave-drones, wave-missiles, wave-record, drone-surge, casualty-yoy")),
        Arguments.of("rules:\n  - rule: wave-bombs\n    levels: {WARNING: 1}",
            List.of("rules[0] (wave-bombs): rule: unknown rule 'wave-bombs', allowed: wave-drones")),
        Arguments.of("rules:\n  - rule: wave-drones\n    levels: {SEVERE: 400}",
            List.of("rules[0] (wave-drones): levels.SEVERE: unknown severity, allowed: INFO, WARNING, CRITICAL")),
        Arguments.of("rules:\n  - rule: wave-drones\n    levels: {WARNING: 2.5}",
            List.of("rules[0] (wave-drones): levels.WARNING: must be a whole number >= 1 (drones in a wave), got 2.5")),
        Arguments.of("rules:\n  - rule: wave-missiles\n    levels: {WARNING: many}",
            List.of("rules[0] (wave-missiles): levels.WARNING: must be a number (missiles in a wave), got \"many\"")),
        Arguments.of("rules:\n  - rule: wave-drones\n    levels: {WARNING: 400, CRITICAL: 200}",
            List.of("rules[0] (wave-drones): levels.CRITICAL: must be above the threshold of WARNING (400), got 200")),
        Arguments.of("rules:\n  - rule: wave-record", List.of("rules[0] (wave-record): levels: is required")),
        Arguments.of("rules:\n  - rule: drone-surge\n    levels: {WARNING: 0}\n    windowDays: 0",
            List.of("rules[0] (drone-surge): levels.WARNING: must be > 0 (the factor k over the baseline), got 0",
                "rules[0] (drone-surge): windowDays: must be a whole number of days between 1 and 366, got 0")),
        Arguments.of("rules:\n  - rule: wave-drones\n    levels: {WARNING: 200}\n    windowDays: 7",
            List.of("rules[0] (wave-drones): windowDays: unknown field for wave-drones, allowed: labels, levels, name, rule")),
        Arguments.of("rules:\n  - rule: casualty-yoy\n    levels: {WARNING: -100}\n    source: 'a b'",
            List.of("levels.WARNING: must be > -100", "source: must be a source id")),
        Arguments.of("rules:\n  - rule: wave-drones\n    levels: {WARNING: 200}\n  - rule: wave-drones\n    levels: {WARNING: 300}",
            List.of("rules[1] (wave-drones): name: 'wave-drones' is used by an earlier rule; names must be unique")),
        Arguments.of("rules:\n  - rule: wave-drones\n    name: Big/Waves\n    levels: {WARNING: 200}",
            List.of("rules[0] (Big/Waves): name: must be 1-100 lower-case letters")));
  }

  @ParameterizedTest
  @MethodSource("badFiles")
  void aBadFileIsRefusedNamingTheRuleTheFieldAndWhatIsAllowed(String yaml, List<String> expected) {
    assertThatThrownBy(() -> AlertRulesLoader.parse(yaml, "rules.yaml"))
        .isInstanceOf(AlertRulesException.class)
        .hasMessageStartingWith("invalid alert rules in rules.yaml:")
        .satisfies(e -> expected.forEach(fragment -> assertThat(e.getMessage()).contains(fragment)));
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnce() {
    AlertRulesException e = (AlertRulesException) catchThrowable(() ->
        AlertRulesLoader.parse("rules:\n  - rule: wave-drones\n    levels: {WARNING: 0}\n  - rule: nope\n", "f"));
    assertThat(e.problems()).containsExactly(
        "rules[0] (wave-drones): levels.WARNING: must be a whole number >= 1 (drones in a wave), got 0",
        "rules[1] (nope): rule: unknown rule 'nope', allowed: " + RuleKind.allowed());
  }

  @Test
  void reloadKeepsTheRulesInForceWhenTheNewFileIsBad() throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, "rules:\n  - rule: wave-drones\n    levels: {WARNING: 200}\n");
    try (AlertRulesHolder holder = AlertRulesHolder.fromFile(file)) {
      AlertRules first = holder.current();
      Files.writeString(file, "rules:\n  - rule: wave-drones\n    levels: {WARNING: lots}\n");
      assertThat(holder.reload()).isFalse();
      assertThat(holder.current()).isSameAs(first);

      Files.writeString(file, "rules:\n  - rule: wave-drones\n    levels: {WARNING: 300}\n");
      assertThat(holder.reload()).isTrue();
      assertThat(holder.current().rules().get(0).levels().get(0).threshold()).isEqualTo(300);
    }
  }

  @Test
  void aWatchedFileIsReloadedWhenItChanges() throws IOException {
    Path file = dir.resolve("watched.yaml");
    Files.writeString(file, "rules:\n  - rule: wave-drones\n    levels: {WARNING: 200}\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    try (AlertRulesHolder holder = AlertRulesHolder.fromFile(file).watch(Duration.ofMillis(20))) {
      Files.writeString(file, "rules:\n  - rule: wave-missiles\n    levels: {WARNING: 30}\n");
      await().atMost(Duration.ofSeconds(5))
          .until(() -> holder.current().has(RuleKind.WAVE_MISSILES) && !holder.current().has(RuleKind.WAVE_DRONES));
    }
  }

  @Test
  void aBadFileFailsStartUp() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "rules:\n  - rule: wave-drones\n");
    assertThatThrownBy(() -> AlertRulesHolder.fromFile(file)).isInstanceOf(AlertRulesException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("rules[0] (wave-drones): levels: is required");
  }
}
