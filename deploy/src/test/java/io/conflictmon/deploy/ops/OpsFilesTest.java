package io.conflictmon.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.conflictmon.deploy.DemoStack;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.streams.alerts.sink.AlertSinkSettings;
import io.conflictmon.streams.alerts.sink.AlertWebhookSink;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops files under {@code deploy/ops} (Prometheus scrape config and alerting rules, Grafana dashboard, Alertmanager
 * receiver) parse, hang together, and read only metrics our services really export: the names are collected from a
 * real {@code /metrics} scrape of the running demo stack after a valid report, an invalid one and an undecodable
 * record went through it, plus the meters of a running alert webhook sink. A renamed meter fails this test.
 */
class OpsFilesTest {
    private static final Path OPS = Path.of("ops");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Series Prometheus itself adds to every target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    @TempDir
    static Path dataDir;

    private static Map<String, Set<String>> usedByFile;
    private static Set<String> exported;

    @BeforeAll
    static void scrapeTheRunningStack() throws Exception {
        usedByFile = metricsUsedByOpsFiles();
        Set<String> used = new TreeSet<>();
        usedByFile.values().forEach(used::addAll);
        used.removeAll(PROMETHEUS_SERIES);
        HttpClient http = HttpClient.newHttpClient();
        try (DemoStack demo = DemoStack.start(dataDir, 0, 0, 0);
             HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(demo.registryUrl())) {
            PrometheusMeterRegistry sinkMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (AlertWebhookSink sink = AlertWebhookSink.start(AlertSinkSettings.fromUrls(demo.bootstrapServers(),
                    "http://127.0.0.1:9/api/v2/alerts"), new TopicSerdes(registry, false), sinkMeters)) {
                assertThat(post(http, demo, VALID_REPORT)).isEqualTo(202);
                assertThat(post(http, demo, "{\"source\": \"kpszsu\", \"launched\": -1}")).isEqualTo(400);
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(Topics.STRIKE_REPORTS, "garbage".getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8))).get();
                }
                Supplier<Set<String>> scrape = () -> {
                    Set<String> names = seriesNames(get(http, demo.httpUrl() + "/metrics"));
                    names.addAll(seriesNames(sinkMeters.scrape()));
                    return names;
                };
                // Some meters appear with their first event (a dead letter, a processed record): wait for them, within
                // a bound, then report whatever is still missing.
                try {
                    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                            .until(() -> scrape.get().containsAll(used));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // the assertions below name what is missing
                }
                exported = scrape.get();
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "exported-metrics.txt"), exported);
    }

    @Test
    void everyMetricTheOpsFilesReadIsExported() {
        assertThat(usedByFile).isNotEmpty();
        usedByFile.forEach((file, names) -> {
            assertThat(names).as("metrics read by %s", file).isNotEmpty();
            Set<String> missing = new TreeSet<>(names);
            missing.removeAll(exported);
            missing.removeAll(PROMETHEUS_SERIES);
            assertThat(missing).as("metrics %s reads that /metrics does not export (see target/exported-metrics.txt)", file)
                    .isEmpty();
        });
    }

    @Test
    void theRulesCoverTheOperatorsQuestionsAndCarrySeverityAndSummary() throws IOException {
        List<JsonNode> rules = alertRules();
        assertThat(rules).extracting(rule -> rule.path("alert").asText()).contains(
                "ConflictmonIngestStalled", "ConflictmonDeadLettersGrowing", "ConflictmonStreamsLagHigh",
                "ConflictmonStreamsNotRunning", "ConflictmonAlertSinkFailing", "ConflictmonHttp5xx",
                "ConflictmonInstanceDown");
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertThat(rule.path("expr").asText()).as("expr of %s", name).isNotBlank();
            assertThat(rule.path("for").asText()).as("for of %s", name).matches("\\d+[smh]");
            assertThat(rule.path("labels").path("severity").asText()).as("severity of %s", name)
                    .isIn("info", "warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as("summary of %s", name).isNotBlank();
        }
    }

    @Test
    void prometheusScrapesBothServicesLoadsTheRulesAndTalksToAlertmanager() throws IOException {
        JsonNode config = YAML.readTree(OPS.resolve("prometheus/prometheus.yml").toFile());
        List<String> ruleFiles = new ArrayList<>();
        config.path("rule_files").forEach(f -> ruleFiles.add(f.asText()));
        assertThat(ruleFiles).contains("conflictmon-alerts.yml");
        Map<String, String> jobs = new TreeMap<>();
        config.path("scrape_configs").forEach(job -> jobs.put(job.path("job_name").asText(),
                job.path("metrics_path").asText("/metrics")));
        assertThat(jobs).containsEntry("conflictmon-ingest", "/metrics").containsEntry("conflictmon-streams", "/metrics");
        assertThat(config.path("alerting").path("alertmanagers").size()).isPositive();
    }

    @Test
    void alertmanagerRoutesOnlyToReceiversItDefines() throws IOException {
        JsonNode config = YAML.readTree(OPS.resolve("alertmanager/alertmanager.yml").toFile());
        Set<String> receivers = new TreeSet<>();
        config.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
        List<String> routed = new ArrayList<>();
        collectReceivers(config.path("route"), routed);
        assertThat(routed).isNotEmpty();
        assertThat(receivers).containsAll(routed);
    }

    @Test
    void theDashboardHasUniquePanelsOnTheDatasourceVariable() throws IOException {
        JsonNode dashboard = JSON.readTree(OPS.resolve("grafana/conflictmon-dashboard.json").toFile());
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(8);
        assertThat(panels.stream().map(p -> p.path("id").asInt()).distinct().count()).isEqualTo(panels.size());
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", panel.path("title"))
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets").size()).as("queries of %s", panel.path("title")).isPositive();
        }
    }

    // ---- reading the ops files ----

    private static Map<String, Set<String>> metricsUsedByOpsFiles() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        Set<String> rules = new TreeSet<>();
        for (JsonNode rule : alertRules()) {
            rules.addAll(PromQlMetricNames.of(rule.path("expr").asText()));
        }
        used.put("prometheus/conflictmon-alerts.yml", rules);
        Set<String> dashboard = new TreeSet<>();
        JsonNode json = JSON.readTree(OPS.resolve("grafana/conflictmon-dashboard.json").toFile());
        for (JsonNode panel : panels(json)) {
            panel.path("targets").forEach(target -> dashboard.addAll(PromQlMetricNames.of(target.path("expr").asText())));
        }
        json.path("templating").path("list").forEach(variable -> {
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            if (query.startsWith("label_values(")) { // label_values(metric, label): the metric must exist
                dashboard.addAll(PromQlMetricNames.of(query.substring("label_values(".length(), query.indexOf(','))));
            }
        });
        used.put("grafana/conflictmon-dashboard.json", dashboard);
        return used;
    }

    private static List<JsonNode> alertRules() throws IOException {
        JsonNode file = YAML.readTree(OPS.resolve("prometheus/conflictmon-alerts.yml").toFile());
        List<JsonNode> rules = new ArrayList<>();
        file.path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add); // panels of a collapsed row
        });
        return panels;
    }

    private static void collectReceivers(JsonNode route, List<String> into) {
        if (route.hasNonNull("receiver")) {
            into.add(route.path("receiver").asText());
        }
        route.path("routes").forEach(child -> collectReceivers(child, into));
    }

    // ---- the running stack ----

    private static final String VALID_REPORT = "{\"source\": \"kpszsu\", \"timeStart\": \"2026-02-10T19:30:00+02:00\","
            + " \"timeEnd\": \"2026-02-11T07:00:00+02:00\", \"timePrecision\": \"MINUTE\", \"weaponModel\": \"Shahed-136/131\","
            + " \"weaponClass\": \"ATTACK_DRONE\", \"launched\": 120, \"destroyed\": 100}";

    private static int post(HttpClient http, DemoStack demo, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(demo.httpUrl() + "/v1/strikes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String get(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The series names of a Prometheus text exposition (histogram parts included: _bucket, _count, _sum). */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
