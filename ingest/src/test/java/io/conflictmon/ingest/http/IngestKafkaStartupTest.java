package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest service started while no broker listens at its bootstrap address: it serves at once, answers 503 on
 * {@code /health/ready} and on POST (with {@code Retry-After}), says so in one log line per attempt without a stack
 * trace, and once a broker comes up at that address it is ready and accepts reports without a restart.
 */
class IngestKafkaStartupTest {
    private static final String WATCH_LOGGER = KafkaStartupWatch.class.getName();

    @TempDir
    Path dataDir;

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private AbstractAppender capture;

    @BeforeEach
    void captureLogs() {
        capture = new AbstractAppender("startup-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(capture.getName());
        context.updateLoggers();
        capture.stop();
    }

    @Test
    void servesAndSays503UntilTheBrokerIsUpThenAcceptsWithoutARestart() {
        int kafkaPort = freePort();
        String bootstrap = EmbeddedKafkaBroker.HOST + ":" + kafkaPort;
        ImportTopics topics = new ImportTopics("startup-strikes", "startup-casualties", "startup-dlq");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(kafkaPort).build();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
             IngestServer server = IngestServer.start(IngestConfig.builder()
                     .bootstrapServers(bootstrap).schemaRegistryUrl(registry.url()).topics(topics)
                     .host("127.0.0.1").port(0).sendTimeout(Duration.ofSeconds(2)).retryAfter(Duration.ofSeconds(3))
                     .build(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpTestClient http = new HttpTestClient(server.url());
            HttpResponse<String> notReady = http.get("/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(HttpTestClient.json(notReady).get("message").textValue()).startsWith("Kafka");

            ObjectNode report = IngestApiIntegrationTest.strike();
            HttpResponse<String> refused = http.postJson("/v1/strikes", report.toString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("3");

            // at least two attempts logged before the broker comes: the watch keeps trying, one line each time
            await().atMost(Duration.ofSeconds(30)).until(() -> watchLines(Level.WARN).size() >= 2);
            assertThat(server.waitingForKafka()).isTrue();

            broker.start();
            broker.createTopic(topics.strikeReports(), 3);
            broker.createTopic(topics.casualtyReports(), 1);
            broker.createTopic(topics.deadLetters(), 1);
            long upNanos = System.nanoTime();
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                    .until(() -> http.get("/health/ready").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.waitingForKafka());
            System.out.printf("ingest ready %d ms after the broker came up; start-up attempts logged: %d%n",
                    Duration.ofNanos(System.nanoTime() - upNanos).toMillis(), watchLines(Level.WARN).size());

            HttpResponse<String> accepted = http.postJson("/v1/strikes", report.toString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            List<LogEvent> waiting = watchLines(Level.WARN);
            assertThat(waiting).allSatisfy(event -> {
                String line = event.getMessage().getFormattedMessage();
                assertThat(line).contains(bootstrap).contains("cannot take reports yet").doesNotContain("\n");
                assertThat(event.getThrown()).isNull();
            });
            assertThat(watchLines(Level.INFO)).singleElement().satisfies(event ->
                    assertThat(event.getMessage().getFormattedMessage()).contains(bootstrap).contains("ingest is ready"));
            assertThat(events).as("no stack trace from our code for an expected condition")
                    .filteredOn(event -> event.getLoggerName().startsWith("io.conflictmon") && event.getThrown() != null)
                    .isEmpty();
        } finally {
            broker.close();
        }
    }

    private List<LogEvent> watchLines(Level level) {
        return events.stream().filter(e -> e.getLoggerName().equals(WATCH_LOGGER) && e.getLevel() == level).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
