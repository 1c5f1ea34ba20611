package io.conflictmon.deploy;

import picocli.CommandLine.Option;

/** The options of every command that talks to a running cluster: where Kafka and the schema registry are. */
final class ClusterOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = "127.0.0.1:9092",
            description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081",
            description = "Confluent-compatible schema registry.")
    String registryUrl;
}
