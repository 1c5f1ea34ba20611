package io.conflictmon.deploy;

import io.conflictmon.security.KafkaClientSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that talks to a running cluster: where Kafka and the schema registry are. */
final class ClusterOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092",
            description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "http://127.0.0.1:8081",
            description = "Confluent-compatible schema registry (default: ${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(names = "--kafka-config", description = "Kafka client properties file (security.protocol, sasl.*, ssl.*) "
            + "applied to every Kafka client; also " + KafkaClientSecurity.ENVIRONMENT_VARIABLE + ".")
    Path kafkaConfig;

    /** The TLS and SASL settings of every Kafka client, from {@code --kafka-config}. */
    KafkaClientSecurity kafkaSecurity() {
        return KafkaClientSecurity.loadOrNone(kafkaConfig);
    }
}
