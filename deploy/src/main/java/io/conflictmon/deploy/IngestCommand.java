package io.conflictmon.deploy;

import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conflictmon ingest}: the HTTP ingest service on a real cluster and registry. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run the HTTP ingest API (POST /v1/strikes, /v1/casualties) publishing to Kafka.")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    AccessOptions access = new AccessOptions();

    @Override
    public Integer call() throws InterruptedException {
        IngestConfig config = IngestConfig.builder().bootstrapServers(cluster.bootstrapServers).schemaRegistryUrl(cluster.registryUrl)
                .host(host).port(port).bearerTokens(access.tokenSpecs()).rateLimit(access.rateLimit())
                .kafkaProperties(cluster.kafkaSecurity().properties()).build();
        ShutdownSignal shutdown = ShutdownSignal.install();
        try (IngestServer server = IngestServer.start(config)) {
            System.out.println("HTTP ingest at " + server.url() + " (" + config + ")");
            shutdown.awaitStopRequest();
        } finally {
            shutdown.finished();
        }
        return 0;
    }
}
