package io.conflictmon.deploy.reliability;

import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.query.QueryApi;
import io.conflictmon.streams.query.QueryLocator;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * One streams instance in a JVM of its own, so that a test can kill it the way an operator's {@code kill -9} or an
 * OOM killer would ({@link Process#destroyForcibly()}: no close, no commit, no leaving the group). It runs the
 * topology with the query API on its {@code application.server} port, as the demo does, plus
 * {@code GET /test/tasks}: the ids of its active and standby tasks, so the test knows which instance to kill.
 */
public final class StreamsChildProcess {
    static final String TASKS_PATH = "/test/tasks";

    private StreamsChildProcess() {
    }

    /** The arguments {@link #main} takes. */
    record Options(String bootstrapServers, String registryUrl, String applicationId, Path stateDir, int httpPort,
                   List<String> topics) {
        List<String> args() {
            List<String> args = new ArrayList<>(List.of(bootstrapServers, registryUrl, applicationId,
                    stateDir.toString(), Integer.toString(httpPort)));
            args.addAll(topics);
            return args;
        }

        static Options of(String[] args) {
            return new Options(args[0], args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]),
                    List.of(args).subList(5, 12));
        }
    }

    /** The topology settings of {@code topics} (strike reports, casualty reports, DLQ, waves, strike and casualty totals, alerts). */
    static TopologySettings topology(TopicSerdes serdes, List<String> topics) {
        return TopologySettings.defaults(serdes, new SimpleMeterRegistry())
                .withTopics(topics.get(0), topics.get(1), topics.get(2), topics.get(3), topics.get(4), topics.get(5),
                        topics.get(6));
    }

    public static void main(String[] args) throws InterruptedException {
        Options options = Options.of(args);
        String applicationServer = "127.0.0.1:" + options.httpPort();
        HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(options.registryUrl());
        StreamsService service = new StreamsService(StreamsSettings.of(options.applicationId(), options.bootstrapServers())
                .withStateDir(options.stateDir().toString())
                .withApplicationServer(applicationServer)
                .withOverrides(Map.of(
                        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1,
                        // a killed instance leaves no LeaveGroup: the group notices it after the session timeout
                        // (45 s by default); 6 s, the broker's minimum, keeps the test short
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
                        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500)),
                topology(new TopicSerdes(registry, true), options.topics()));
        QueryApi api = QueryApi.create(service, QueryLocator.Settings.defaults(applicationServer));
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        app.get(TASKS_PATH, ctx -> {
            TreeSet<String> active = new TreeSet<>();
            TreeSet<String> standby = new TreeSet<>();
            for (ThreadMetadata thread : service.kafkaStreams().metadataForLocalThreads()) {
                thread.activeTasks().stream().map(TaskMetadata::taskId).forEach(id -> active.add(id.toString()));
                thread.standbyTasks().stream().map(TaskMetadata::taskId).forEach(id -> standby.add(id.toString()));
            }
            ctx.json(Map.of("state", service.state().name(), "active", active, "standby", standby));
        });
        api.register(app);
        app.start("127.0.0.1", options.httpPort());
        service.start();
        System.out.println("streams child started on " + applicationServer);
        // runs until killed; the test never closes it cleanly
        while (true) {
            TimeUnit.MINUTES.sleep(1);
        }
    }

    /** Starts {@link #main} in a new JVM with this JVM's class path; its output goes to {@code log}. */
    static Process launch(Options options, Path log) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path")));
        String avroPackages = System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES");
        if (avroPackages != null) {
            command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=" + avroPackages);
        }
        command.add(StreamsChildProcess.class.getName());
        command.addAll(options.args());
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a streams child JVM", e);
        }
    }

    /** Kills the child without letting it close anything; waits until the process is gone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child JVM " + process.pid() + " did not die");
        }
    }
}
