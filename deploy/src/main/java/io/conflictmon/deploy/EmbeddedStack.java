package io.conflictmon.deploy;

import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real Kafka broker and a schema registry stored in it, both in this JVM,
 * with the pipeline's topics created. State lives in {@code dataDir} and survives a restart.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;

    private EmbeddedStack(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /** Starts broker and registry on the data dir; port 0 picks a free one (kept for later restarts). */
    public static EmbeddedStack start(Path dataDir, int kafkaPort, int registryPort) {
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(kafkaPort).build().start();
        try {
            broker.createTopics(topics());
            EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.onKafka("127.0.0.1", registryPort, broker.bootstrapServers());
            log.info("Embedded stack ready in {} ms: Kafka {}, registry {}",
                    (System.nanoTime() - t0) / 1_000_000, broker.bootstrapServers(), registry.url());
            return new EmbeddedStack(broker, registry);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The pipeline's topics on a single broker (DESIGN.md, "Topics"). */
    static List<NewTopic> topics() {
        return topics((short) 1);
    }

    /** The pipeline's topics with the given replication factor (a real cluster: 3, with {@code min.insync.replicas=2}). */
    public static List<NewTopic> topics(short replication) {
        return TopicLayout.ALL.stream().map(t -> t.newTopic(replication)).toList();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }

    /** Topic shapes: partitions and whether the topic is compacted. */
    record TopicLayout(String name, int partitions, boolean compacted) {
        static final List<TopicLayout> ALL = List.of(
                new TopicLayout(io.conflictmon.schemas.Topics.STRIKE_REPORTS, 6, true),
                new TopicLayout(io.conflictmon.schemas.Topics.CASUALTY_REPORTS, 3, true),
                new TopicLayout(io.conflictmon.schemas.Topics.INGEST_DLQ, 3, false),
                new TopicLayout(io.conflictmon.schemas.Topics.WAVES, 3, true),
                new TopicLayout(io.conflictmon.schemas.Topics.STRIKE_TOTALS, 3, true),
                new TopicLayout(io.conflictmon.schemas.Topics.CASUALTY_TOTALS, 3, true),
                new TopicLayout(io.conflictmon.schemas.Topics.ALERTS, 3, false));

        NewTopic newTopic(short replication) {
            // Compacted topics keep the latest value per key forever; the others keep everything (retention -1):
            // bad input and alerts are the audit trail.
            Map<String, String> configs = compacted
                    ? Map.of("cleanup.policy", "compact")
                    : Map.of("cleanup.policy", "delete", "retention.ms", "-1");
            return new NewTopic(name, partitions, replication).configs(configs);
        }
    }
}
