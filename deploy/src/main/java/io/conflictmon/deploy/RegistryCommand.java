package io.conflictmon.deploy;

import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conflictmon registry}: our Confluent-compatible schema registry, stored in a Kafka cluster's {@code _schemas} topic. */
@Command(name = "registry", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run the schema registry (Confluent REST API) on a Kafka cluster.")
final class RegistryCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers holding the _schemas topic.")
    String bootstrapServers;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on.")
    String host;

    @Option(names = "--port", defaultValue = "8081", description = "HTTP port.")
    int port;

    @Mixin
    ConfigOption config = new ConfigOption();

    @Override
    public Integer call() throws InterruptedException {
        ShutdownSignal shutdown = ShutdownSignal.install();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.onKafka(host, port, bootstrapServers,
                config.kafkaProperties())) {
            System.out.println("Schema registry at " + registry.url() + " (store: _schemas on " + bootstrapServers + ")");
            shutdown.awaitStopRequest();
        } finally {
            shutdown.finished();
        }
        return 0;
    }
}
