package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conflictmon.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        IngestConfig config = IngestConfig.defaults();
        assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.maxItems()).isEqualTo(1_000);
        assertThat(config.topics().strikeReports()).isEqualTo(Topics.STRIKE_REPORTS);
        assertThat(config.topics().casualtyReports()).isEqualTo(Topics.CASUALTY_REPORTS);
        assertThat(config.topics().deadLetters()).isEqualTo(Topics.INGEST_DLQ);
        assertThat(config.authEnabled()).isFalse();
        assertThat(config.sendTimeout()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void toStringHidesSecrets() {
        IngestConfig config = IngestConfig.builder()
                .bearerTokens(List.of("very-secret-token"))
                .kafkaProperties(Map.of("sasl.jaas.config", "... password=\"hunter2\";", "security.protocol", "SASL_SSL"))
                .build();
        assertThat(config.toString()).doesNotContain("very-secret-token", "hunter2").contains("SASL_SSL");
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> IngestConfig.builder().sendTimeout(Duration.ofMillis(10)).build())
                .hasMessageContaining("sendTimeout");
        assertThatThrownBy(() -> IngestConfig.builder().maxItems(0).build()).hasMessageContaining("maxItems");
        assertThatThrownBy(() -> IngestConfig.builder().bearerTokens(List.of(" ")).build())
                .hasMessageContaining("blank");
    }

    @Test
    void producerTimeoutsFollowTheSendTimeout() {
        Map<String, Object> producer = RecordSender.producerConfig(
                IngestConfig.builder().sendTimeout(Duration.ofSeconds(3)).build());
        assertThat(producer).containsEntry("delivery.timeout.ms", 3000).containsEntry("max.block.ms", 3000)
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true);
        assertThat((Integer) producer.get("request.timeout.ms")).isLessThanOrEqualTo(3000 - RecordSender.LINGER_MS);
    }
}
