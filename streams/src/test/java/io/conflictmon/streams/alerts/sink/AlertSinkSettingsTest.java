package io.conflictmon.streams.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of webhook lists, backoff, and the label and number forms of the Alertmanager body. */
class AlertSinkSettingsTest {

  @Test
  void aCommaListGivesNamedTargetsWithCredentialsMovedIntoTheHeader() {
    AlertSinkSettings settings = AlertSinkSettings.fromUrls("localhost:9092",
        " http://alertmanager:9093/api/v2/alerts , pager=https://ops:p%40ss@hooks.example.org/conflict ,, ");
    List<WebhookTarget> targets = settings.targets();
    assertThat(targets).extracting(WebhookTarget::name).containsExactly("alertmanager-9093-api-v2-alerts", "pager");
    assertThat(targets.get(0).authorization()).isNull();
    assertThat(targets.get(1).url()).isEqualTo(URI.create("https://hooks.example.org/conflict"));
    assertThat(targets.get(1).authorization()).isEqualTo("Basic "
        + Base64.getEncoder().encodeToString("ops:p@ss".getBytes(StandardCharsets.UTF_8)));
    assertThat(targets.get(1).toString()).doesNotContain("p@ss").doesNotContain("Basic");
    assertThat(settings.groupId(targets.get(1))).isEqualTo(AlertSinkSettings.DEFAULT_GROUP_PREFIX + "-pager");
    assertThat(targets.get(0).withBearerToken("t0k").authorization()).isEqualTo("Bearer t0k");
  }

  @Test
  void badListsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> WebhookTarget.parseList("a=http://x/1,a=http://y/2")).hasMessageContaining("two webhooks");
    assertThatThrownBy(() -> WebhookTarget.parse("ftp://x/alerts")).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> WebhookTarget.parse("alerts")).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> WebhookTarget.parse("bad name=http://x/")).hasMessageContaining("webhook name");
    assertThatThrownBy(() -> AlertSinkSettings.fromUrls("k:9092", "http://x/").withBackoff(Duration.ofSeconds(2),
        Duration.ofSeconds(1))).hasMessageContaining("maxBackoff");
  }

  @Test
  void backoffDoublesFromTheMinimumUpToTheCap() {
    AlertSinkSettings settings = AlertSinkSettings.fromUrls("k:9092", "http://x/");
    long min = settings.minBackoff().toMillis();
    for (int failures = 1; failures <= 40; failures++) {
      long expected = Math.min(settings.maxBackoff().toMillis(), (long) (min * Math.pow(2, failures - 1)));
      assertThat(settings.backoff(failures).toMillis()).as("after %d failures", failures).isEqualTo(expected);
    }
  }

  @Test
  void labelNamesAndNumbersReadAsPrometheusAndPeopleExpect() {
    assertThat(AlertmanagerPayload.labelName("wave-id")).isEqualTo("wave_id");
    assertThat(AlertmanagerPayload.labelName("7day")).isEqualTo("_7day");
    assertThat(AlertmanagerPayload.labelName("region")).isEqualTo("region");
    assertThat(AlertmanagerPayload.number(242.0)).isEqualTo("242");
    assertThat(AlertmanagerPayload.number(30.55)).isEqualTo("30.55");
    assertThat(AlertmanagerPayload.number(1e7)).isEqualTo("10000000");
  }
}
