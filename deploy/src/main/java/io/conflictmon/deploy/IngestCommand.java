package io.conflictmon.deploy;

import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conflictmon ingest}: the HTTP ingest service on a real cluster and registry. */
@Command(name = "ingest", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Run the HTTP ingest API (POST /v1/strikes, /v1/casualties) publishing to Kafka.")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on.")
    String host;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port.")
    int port;

    @Mixin
    AccessOptions access = new AccessOptions();

    @Override
    public Integer call() throws InterruptedException {
        IngestConfig ingest = IngestConfig.builder().bootstrapServers(cluster.bootstrapServers).schemaRegistryUrl(cluster.registryUrl)
                .host(host).port(port).bearerTokens(access.tokenSpecs()).rateLimit(access.rateLimit())
                .kafkaProperties(config.kafkaStrings()).build();
        ShutdownSignal shutdown = ShutdownSignal.install();
        try (IngestServer server = IngestServer.start(ingest)) {
            System.out.println("HTTP ingest at " + server.url() + " (" + ingest + ")");
            shutdown.awaitStopRequest();
        } finally {
            shutdown.finished();
        }
        return 0;
    }
}
