package io.conflictmon.deploy;

import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.security.KafkaClientSecurity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conflictmon registry}: our Confluent-compatible schema registry, stored in a Kafka cluster's {@code _schemas} topic. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run the schema registry (Confluent REST API) on a Kafka cluster.")
final class RegistryCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers holding the _schemas topic.")
    String bootstrapServers;

    @Option(names = "--kafka-config", description = "Kafka client properties file (security.protocol, sasl.*, ssl.*); "
            + "also " + KafkaClientSecurity.ENVIRONMENT_VARIABLE + ".")
    Path kafkaConfig;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8081", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        ShutdownSignal shutdown = ShutdownSignal.install();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.onKafka(host, port, bootstrapServers,
                KafkaClientSecurity.loadOrNone(kafkaConfig).properties())) {
            System.out.println("Schema registry at " + registry.url() + " (store: _schemas on " + bootstrapServers + ")");
            shutdown.awaitStopRequest();
        } finally {
            shutdown.finished();
        }
        return 0;
    }
}
