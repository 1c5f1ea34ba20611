package io.conflictmon.bench;

import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.schemas.serde.AvroSerializablePackages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every end-to-end benchmark runs on: a real in-process Kafka broker and a schema registry stored in it (the
 * demo's stack), in a temporary directory that is deleted on {@link #close()}, plus the schema-registry serdes of the
 * pipeline's topics over HTTP, as the services use them.
 */
public final class BenchEnvironment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BenchEnvironment.class);

    private final Path workDir;
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final HttpSchemaRegistryClient registryClient;
    private final TopicSerdes serdes;
    private final Admin admin;

    private BenchEnvironment(Path workDir, EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
        this.workDir = workDir;
        this.broker = broker;
        this.registry = registry;
        this.registryClient = new HttpSchemaRegistryClient(registry.url());
        this.serdes = new TopicSerdes(registryClient, true);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /** Starts a broker and a registry in a new temporary directory. */
    public static BenchEnvironment start() {
        AvroSerializablePackages.ensure();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("conflictmon-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the benchmark: " + e.getMessage(), e);
        }
        EmbeddedKafkaBroker broker = null;
        try {
            broker = EmbeddedKafkaBroker.builder().dataDir(workDir.resolve("kafka")).build().start();
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, broker.bootstrapServers());
            LOG.info("Benchmark stack ready: Kafka {}, registry {}, work dir {}", broker.bootstrapServers(), registry.url(),
                    workDir);
            return new BenchEnvironment(workDir, broker, registry);
        } catch (RuntimeException | Error e) { // also a linkage error: a broker left running keeps the JVM alive
            if (broker != null) {
                broker.close();
            }
            deleteQuietly(workDir);
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The schema registry's base URL, for services that bring their own client. */
    public String registryUrl() {
        return registry.url();
    }

    public TopicSerdes serdes() {
        return serdes;
    }

    public Admin admin() {
        return admin;
    }

    /** A directory for the benchmark's files; deleted on close. */
    public Path workDir() {
        return workDir;
    }

    /** The shape of a topic: compacted or kept forever, like the pipeline's topics. */
    public static NewTopic topic(String name, int partitions, boolean compacted) {
        Map<String, String> configs = compacted
                ? Map.of("cleanup.policy", "compact")
                : Map.of("cleanup.policy", "delete", "retention.ms", "-1");
        return new NewTopic(name, partitions, (short) 1).configs(configs);
    }

    /**
     * Creates the topics and waits until every partition has a leader. Benchmarks create all their topics up front:
     * a producer that starts on a topic created a moment ago may meet NOT_LEADER_OR_FOLLOWER and retry, which is not
     * what a benchmark should measure (and it once left ProducerPerformance's idempotent producer stuck on an
     * out-of-order sequence).
     */
    public void createTopics(List<NewTopic> topics) {
        broker.createTopics(topics);
        List<String> names = topics.stream().map(NewTopic::name).toList();
        Awaitility.await("leaders of " + names).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
    }

    @Override
    public void close() {
        try {
            admin.close();
            registryClient.close();
            registry.close();
        } finally {
            broker.close();
            deleteQuietly(workDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete the benchmark directory {}: {}", dir, e.getMessage());
        }
    }

    /** CPU time of this whole JVM (broker, registry, our code, Kafka's tools, GC and JIT) so far, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The JVM's CPU time since {@code startCpuNanos} (a {@link #processCpuNanos()}), in microseconds per row. */
    static double cpuMicrosPerRow(long startCpuNanos, long rows) {
        return (processCpuNanos() - startCpuNanos) / 1e3 / rows;
    }
}
