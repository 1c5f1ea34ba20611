package io.conflictmon.deploy.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.ingest.importer.ImportFormat;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.importer.Importer;
import io.conflictmon.ingest.importer.ReportKind;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.streams.app.ConflictTopology;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two streams instances, each in a JVM of its own ({@link StreamsChildProcess}), one application id, a standby of
 * every store. While they aggregate the real attack log plus 10,000 synthetic reports, the instance that owns the
 * strike totals is killed ({@code destroyForcibly}: no close, no commit, its transaction left open). The survivor keeps
 * answering queries and takes the work over; the killed instance is started again on its old state directory. In the
 * end both answer every Kyiv day and year total exactly as summed here from the inputs: exactly-once across a crash.
 */
@Tag("fault")
class StreamsCrashTest {
    private static final int SYNTHETIC = 10_000;

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tempDir;

    private final List<Process> children = new ArrayList<>();

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void theSurvivorAnswersAndTakesOverAndTheRestartedInstanceCountsNothingTwice() throws Exception {
        List<String> topics = createTopics();
        ExpectedStrikeTotals expected = new ExpectedStrikeTotals();
        Path attackLog = ExpectedStrikeTotals.sharedData().resolve("missile_attacks_daily.csv");
        expected.addAttackLog(attackLog);
        Path synthetic = tempDir.resolve("synthetic.jsonl");
        SyntheticReports.writeJsonLines(SYNTHETIC, synthetic, expected);
        Map<String, String> expectedDays = periods(expected.asText(), 10);
        Map<String, String> expectedYears = periods(expected.asText(), 4);
        String applicationId = KafkaBrokerExtension.uniqueTopic("crash-app");

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
             HttpSchemaRegistryClient registryClient = registry.newClient()) {
            TopicSerdes serdes = new TopicSerdes(registryClient, true);
            Topology topology = ConflictTopology.buildTopology(StreamsChildProcess.topology(serdes, topics));
            String totalsTask = taskOf(topology, StrikeTotalsStores.TOTALS);
            StreamsChildProcess.Options a = options(registry, applicationId, "a", topics);
            StreamsChildProcess.Options b = options(registry, applicationId, "b", topics);
            Path log = tempDir.resolve("children.log");
            try {
                children.add(StreamsChildProcess.launch(a, log));
                children.add(StreamsChildProcess.launch(b, log));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> "RUNNING".equals(state(a)) && "RUNNING".equals(state(b)));

                CompletableFuture<Void> imports = CompletableFuture.runAsync(() -> importAll(serdes, topics, attackLog, synthetic));
                // the owner of the totals: kill it once it has counted some reports, long before all
                AtomicLong countedAtKill = new AtomicLong();
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    countedAtKill.set(reportCount(owner(a, b, totalsTask)));
                    return countedAtKill.get() > 1_000;
                });
                StreamsChildProcess.Options killed = owner(a, b, totalsTask);
                StreamsChildProcess.Options survivor = killed == a ? b : a;
                Process killedProcess = children.get(killed == a ? 0 : 1);
                countedAtKill.set(reportCount(killed));
                StreamsChildProcess.kill(killedProcess);
                long killedAt = System.nanoTime();

                // the survivor answers throughout: from its standby while the group has not noticed, then as owner
                Map<Integer, Integer> statuses = new TreeMap<>();
                AtomicLong firstAnswerMillis = new AtomicLong(-1);
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    HttpResponse<String> answer = get(survivor, "/v1/totals/strikes?granularity=year");
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    if (answer.statusCode() == 200 && firstAnswerMillis.get() < 0) {
                        firstAnswerMillis.set(FaultFigures.millisSince(killedAt));
                    }
                    return imports.isDone() && answer.statusCode() == 200 && totals(answer).equals(expectedYears);
                });
                long survivorExactMillis = FaultFigures.millisSince(killedAt);
                imports.join();
                assertThat(countedAtKill.get()).as("killed while processing").isLessThan(expected.reports());
                assertThat(firstAnswerMillis.get()).as("the survivor's first answer after the kill, ms")
                        .isBetween(0L, 15_000L);

                // the killed instance comes back on its old state directory and port
                long restartedAt = System.nanoTime();
                children.add(StreamsChildProcess.launch(killed, log));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> "RUNNING".equals(state(killed)));
                StreamsProgress.awaitCaughtUp(KAFKA.bootstrapServers(), applicationId, topology, Duration.ofMinutes(4));
                long restartMillis = FaultFigures.millisSince(restartedAt);

                for (StreamsChildProcess.Options instance : List.of(killed, survivor)) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                        assertThat(totals(get(instance, "/v1/totals/strikes?granularity=year")))
                                .as("year totals on %s", instance.httpPort()).isEqualTo(expectedYears);
                        assertThat(totals(get(instance, "/v1/totals/strikes?granularity=day")))
                                .as("day totals on %s", instance.httpPort()).isEqualTo(expectedDays);
                    });
                }
                System.out.printf("streams crash: owner killed after counting %d of %d reports; survivor's first answer "
                                + "%d ms after the kill, exact totals after %d ms, answers by status %s; the killed instance "
                                + "restarted, RUNNING and caught up in %d ms%n", countedAtKill.get(), expected.reports(),
                        firstAnswerMillis.get(), survivorExactMillis, statuses, restartMillis);
            } catch (AssertionError | RuntimeException e) {
                System.out.println("child JVM output:\n" + Files.readString(log));
                throw e;
            } finally {
                for (Process child : children) {
                    StreamsChildProcess.kill(child);
                }
            }
        }
    }

    private static List<String> createTopics() {
        List<String> names = new ArrayList<>();
        int[] partitions = {6, 3, 1, 3, 3, 3, 1};
        String[] prefixes = {"crash-strikes", "crash-casualties", "crash-dlq", "crash-waves", "crash-strike-totals",
            "crash-casualty-totals", "crash-alerts"};
        for (int i = 0; i < prefixes.length; i++) {
            String name = KafkaBrokerExtension.uniqueTopic(prefixes[i]);
            KAFKA.broker().createTopic(name, partitions[i]);
            names.add(name);
        }
        return names;
    }

    private static void importAll(TopicSerdes serdes, List<String> topics, Path attackLog, Path synthetic) {
        ImportTopics importTopics = new ImportTopics(topics.get(0), topics.get(1), topics.get(2));
        try (ReportPublisher publisher = ReportPublisher.create(KAFKA.bootstrapServers(),
                SpecificRecordSerializer.of(serdes), Map.of())) {
            Importer importer = new Importer(publisher, Importer.kafkaIndexLoader(KAFKA.bootstrapServers(), serdes,
                    importTopics, Duration.ofSeconds(60)), WeaponClassifier.bundled(), Clock.systemUTC(), importTopics);
            importer.importFile(attackLog, ImportProgressListener.NONE);
            importer.importFile(synthetic, ImportFormat.JSONL, ReportKind.STRIKE, ImportProgressListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StreamsChildProcess.Options options(EmbeddedSchemaRegistry registry, String applicationId, String name,
            List<String> topics) {
        return new StreamsChildProcess.Options(KAFKA.bootstrapServers(), registry.url(), applicationId,
                tempDir.resolve("state-" + name), HttpCalls.freePort(), topics);
    }

    /** The id of the task whose processors use the store, e.g. {@code 1_0} (the store has one partition). */
    private static String taskOf(Topology topology, String store) {
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p && p.stores().contains(store)) {
                    return sub.id() + "_0";
                }
            }
        }
        throw new IllegalStateException("no processor uses " + store);
    }

    private static StreamsChildProcess.Options owner(StreamsChildProcess.Options a, StreamsChildProcess.Options b,
            String task) {
        for (StreamsChildProcess.Options instance : List.of(a, b)) {
            if (json(get(instance, StreamsChildProcess.TASKS_PATH)).get("active").toString().contains("\"" + task + "\"")) {
                return instance;
            }
        }
        return null;
    }

    private static long reportCount(StreamsChildProcess.Options instance) {
        if (instance == null) {
            return 0;
        }
        HttpResponse<String> answer = get(instance, "/v1/totals/strikes?granularity=year");
        long count = 0;
        if (answer.statusCode() == 200) {
            for (JsonNode total : json(answer).get("totals")) {
                count += total.get("reportCount").asLong();
            }
        }
        return count;
    }

    private static String state(StreamsChildProcess.Options instance) {
        try {
            return json(get(instance, StreamsChildProcess.TASKS_PATH)).get("state").asText();
        } catch (UncheckedIOException e) {
            return "not listening";
        }
    }

    private static Map<String, String> totals(HttpResponse<String> answer) {
        Map<String, String> totals = new TreeMap<>();
        if (answer.statusCode() == 200) {
            for (JsonNode total : json(answer).get("totals")) {
                totals.put(total.get("period").asText(),
                        ExpectedStrikeTotals.text(total.get("drones").asLong(), total.get("missiles").asLong()));
            }
        }
        return totals;
    }

    private static Map<String, String> periods(Map<String, String> all, int keyLength) {
        Map<String, String> selected = new TreeMap<>();
        all.forEach((period, text) -> {
            if (period.length() == keyLength) {
                selected.put(period, text);
            }
        });
        return selected;
    }

    private static HttpResponse<String> get(StreamsChildProcess.Options instance, String path) {
        return HttpCalls.get("http://127.0.0.1:" + instance.httpPort() + path);
    }

    private static JsonNode json(HttpResponse<String> answer) {
        return HttpCalls.json(answer);
    }
}
