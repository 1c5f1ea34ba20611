package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.security.RateLimit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's alert wiring: a rules file given with {@code --alert-rules} is the one the topology applies, and every
 * alert it raises reaches the {@code --alert-webhook} receiver exactly once, as {@code GET /v1/alerts} lists it.
 */
class DemoAlertsTest {
    private static final int THRESHOLD = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theRulesFileDecidesTheAlertsAndTheWebhookGetsEachOnce() throws Exception {
        Path rules = dataDir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - rule: wave-drones\n    levels: {WARNING: " + THRESHOLD + "}\n");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/api/v2/alerts", exchange -> {
            for (JsonNode alert : JSON.readTree(exchange.getRequestBody())) {
                received.add(alert.path("annotations").path("alert_id").asText());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String webhook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v2/alerts";
        try (DemoStack demo = DemoStack.start(dataDir.resolve("state"), 0, 0, 0, List.of(), RateLimit.OFF,
                new StreamsNode.Alerting(rules, webhook))) {
            for (Path file : DemoCommand.extractSample(dataDir.resolve("sample"))) {
                demo.importFile(file, ImportProgressListener.NONE);
            }
            demo.awaitProcessed(Duration.ofSeconds(60));
            // Expected: one WARNING per wave of the sample with at least THRESHOLD drones (from the wave query).
            JsonNode waves = get(demo.httpUrl() + "/v1/waves?limit=1000").path("waves");
            Set<String> expected = new HashSet<>();
            waves.forEach(wave -> {
                if (wave.path("drones").asInt() >= THRESHOLD) {
                    expected.add("wave-drones/" + wave.path("id").asText() + "/WARNING/FIRING");
                }
            });
            assertThat(expected).as("the sample has waves over the threshold").isNotEmpty();

            // A wave that existed only until a later report merged it into another fired and was resolved: the alerts
            // still open are exactly the expected ones; the webhook got what /v1/alerts lists, each alert once.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Set<String> listed = new HashSet<>();
                get(demo.httpUrl() + "/v1/alerts?limit=1000").path("alerts").forEach(a -> listed.add(a.path("id").asText()));
                assertThat(stillFiring(listed)).isEqualTo(expected);
                assertThat(new HashSet<>(received)).isEqualTo(listed);
            });
            assertThat(received).as("each alert delivered once").doesNotHaveDuplicates();
        } finally {
            receiver.stop(0);
        }
    }

    /** The FIRING alert ids without a RESOLVED alert of the same rule, subject and severity. */
    private static Set<String> stillFiring(Set<String> ids) {
        Set<String> firing = new HashSet<>();
        for (String id : ids) {
            if (id.endsWith("/FIRING") && !ids.contains(id.substring(0, id.length() - "FIRING".length()) + "RESOLVED")) {
                firing.add(id);
            }
        }
        return firing;
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
