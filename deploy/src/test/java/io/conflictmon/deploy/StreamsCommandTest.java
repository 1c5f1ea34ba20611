package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conflictmon streams} against a cluster it did not start: it serves queries, the API documents, health and
 * metrics, and its results on conflict.waves.v1 are what the README's consumer example reads.
 */
class StreamsCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theStreamsCommandServesItsResultsAndTheConsumerExampleReadsThem() throws Exception {
        try (EmbeddedStack cluster = EmbeddedStack.start(dir.resolve("cluster"), 0, 0)) {
            int port = freePort();
            String url = "http://127.0.0.1:" + port;
            CompletableFuture<ConfigurationTest.Run> command = CompletableFuture.supplyAsync(() -> ConfigurationTest.run(
                    Map.of("CONFLICTMON_SCHEMA_REGISTRY_URL", cluster.registryUrl()),
                    "streams", "--bootstrap-servers", cluster.bootstrapServers(), "--http-port", String.valueOf(port),
                    "--replication-factor", "1", "--state-dir", dir.resolve("state").toString(),
                    "--advertised-url", "http://127.0.0.1:" + port, "--wave-gap", "3h"));
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .failFast(command::isDone)
                        .until(() -> status(url + "/health/ready") == 200);
                assertThat(body(url + AsyncApiRoute.PATH)).isEqualTo(new String(AsyncApiRoute.document()));
                assertThat(status(url + "/openapi.json")).isEqualTo(200);
                assertThat(status(url + "/health/live")).isEqualTo(200);
                assertThat(body(url + "/metrics")).contains("kafka_stream");

                importSampleStrikes(cluster);
                Map<String, WaveSummary> latest = new ConcurrentHashMap<>();
                AtomicBoolean more = new AtomicBoolean(true);
                CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> WavesConsumerExample.consumeWaves(
                        cluster.bootstrapServers(), cluster.registryUrl(), "readme-example", more::get, (id, wave) -> {
                            if (wave == null) {
                                latest.remove(id);
                            } else {
                                latest.put(id, wave);
                            }
                        }));
                try {
                    // The API and the topic converge on the same waves once the topology has processed the import.
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).failFast(consumer::isDone)
                            .until(() -> !latest.isEmpty() && new TreeSet<>(latest.keySet()).equals(apiWaves(url)));
                } finally {
                    more.set(false);
                    consumer.get(10, TimeUnit.SECONDS);
                }
                JsonNode first = JSON.readTree(body(url + "/v1/waves/" + latest.keySet().iterator().next()));
                assertThat(first.get("drones").asInt()).isEqualTo(latest.get(first.get("id").asText()).getDrones());
            } finally {
                ShutdownSignal.requestStopOfAll();
                ConfigurationTest.Run run = command.get(60, TimeUnit.SECONDS);
                assertThat(run.exit()).as("exit; stderr %s", run.err()).isZero();
                assertThat(run.out()).containsPattern("advertised-url +=  ?http://127.0.0.1:" + port + "  \\(flag\\)")
                        .containsPattern("schema-registry-url += " + cluster.registryUrl() + "  \\(env CONFLICTMON_SCHEMA_REGISTRY_URL\\)")
                        .contains("(advertised as 127.0.0.1:" + port + ")");
            }
        }
    }

    private void importSampleStrikes(EmbeddedStack cluster) throws IOException {
        Path file = dir.resolve(DemoCommand.SAMPLE_FILES.get(0));
        try (InputStream in = StreamsCommandTest.class.getResourceAsStream("/sample/" + file.getFileName())) {
            Files.copy(in, file);
        }
        try (HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(cluster.registryUrl());
                IngestWiring ingest = new IngestWiring(cluster.bootstrapServers(), new TopicSerdes(client, true))) {
            ImportSummary summary = ingest.importer.importFile(file, ImportProgressListener.NONE);
            assertThat(summary.toString()).contains("rejected 0");
        }
    }

    private static Set<String> apiWaves(String url) throws IOException, InterruptedException {
        Set<String> ids = new TreeSet<>();
        JSON.readTree(body(url + "/v1/waves?limit=1000")).get("waves").forEach(w -> ids.add(w.get("id").asText()));
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return response.body();
    }
}
