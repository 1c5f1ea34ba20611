package io.conflictmon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"ingest\" password=\"pa55-word-x\";";

    @Test
    void loadsAClientPropertiesFileAndPutsItOnTopOfAClientsOwnSettings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "# SASL over TLS\nsecurity.protocol=SASL_SSL\n"
                + "sasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=" + JAAS + "\nssl.truststore.password=store-pw-y\n");
        KafkaClientSecurity security = KafkaClientSecurity.load(file);
        Map<String, Object> producer = security.applyTo(Map.of("bootstrap.servers", "b:9093", "acks", "all"));
        assertThat(producer).containsEntry("bootstrap.servers", "b:9093").containsEntry("acks", "all")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS);
        assertThat(security.username()).hasValue("ingest");
        assertThat(security.toString()).contains("SASL_SSL", "SCRAM-SHA-512").doesNotContain("pa55-word-x", "store-pw-y");
    }

    @Test
    void refusesKeysEachClientSetsItself() {
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("bootstrap.servers", "x:1", "group.id", "g")))
                .hasMessageContaining("[bootstrap.servers, group.id]");
        assertThat(KafkaClientSecurity.of(Map.of())).isSameAs(KafkaClientSecurity.none());
    }

    @Test
    void explainsAFailedLoginFoundAmongTheCausesAndNothingElse() {
        KafkaClientSecurity security = KafkaClientSecurity.of(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS));
        Exception wrapped = new ExecutionException(new KafkaException("send failed",
                new SaslAuthenticationException("Authentication failed: invalid credentials")));
        assertThat(security.explainAuthenticationFailure(wrapped)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("Kafka authentication failed for user 'ingest' (SASL_SSL, SCRAM-SHA-512")
                .contains("invalid credentials").doesNotContain("pa55-word-x"));
        assertThat(security.explainAuthenticationFailure(new KafkaException("timeout"))).isEmpty();
    }
}
