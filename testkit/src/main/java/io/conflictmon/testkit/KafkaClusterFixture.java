package io.conflictmon.testkit;

import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.test.api.TestKitDefaults;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A real multi-broker KRaft cluster in this JVM for fault tests: one dedicated controller node and N
 * broker nodes, built on Kafka's own {@link KafkaClusterTestKit}. Controllers are NOT combined with
 * brokers: a 3-node combined cluster is broken in Kafka 4.3.1, and a separate controller also means
 * stopping a broker never touches the metadata quorum.
 *
 * <p>Defaults are the durability settings the pipeline runs with in production: default replication
 * factor 3, {@code min.insync.replicas=2}, internal topics (offsets, transactions) with replication 3 and
 * min ISR 2; with fewer than 3 brokers they are capped at the broker count. Automatic topic creation is
 * off, as on the embedded broker.
 *
 * <p>{@link #stopBroker(int)} is a clean, controlled shutdown (leadership moves off the broker first);
 * {@link #startBroker(int)} brings the same broker back on the same port and data, the way
 * {@code ClusterInstance#startBroker} in Kafka's own tests does.
 */
public final class KafkaClusterFixture implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaClusterFixture.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** The id TestKitNodes gives the first (here: only) controller when it is not combined with a broker. */
    private static final int CONTROLLER_ID = TestKitDefaults.BROKER_ID_OFFSET + TestKitDefaults.CONTROLLER_ID_OFFSET;

    private final KafkaClusterTestKit cluster;
    /** Broker id to its client port; the test kit re-binds the same port when a broker restarts. */
    private final SortedMap<Integer, Integer> brokerPorts;
    private final String bootstrapServers;
    private final Admin admin;

    private KafkaClusterFixture(KafkaClusterTestKit cluster, SortedMap<Integer, Integer> brokerPorts) {
        this.cluster = cluster;
        this.brokerPorts = Collections.unmodifiableSortedMap(brokerPorts);
        this.bootstrapServers = brokerPorts.values().stream()
                .map(port -> "localhost:" + port)
                .collect(Collectors.joining(","));
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "cluster-fixture-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }

    /** Starts one controller and {@code brokers} brokers with the durability defaults; waits until all are ready. */
    public static KafkaClusterFixture start(int brokers) {
        return start(brokers, Map.of());
    }

    /**
     * Starts one controller and {@code brokers} brokers; {@code brokerConfigOverrides} replace the defaults
     * (on every node, the controller included). Waits until every broker is registered, unfenced and known to every other broker.
     */
    public static KafkaClusterFixture start(int brokers, Map<String, String> brokerConfigOverrides) {
        if (brokers < 1) {
            throw new IllegalArgumentException("A cluster needs at least one broker, asked for " + brokers);
        }
        long startNanos = System.nanoTime();
        // controller-role settings go to the controller only: Kafka warns about them on brokers. Per-node
        // settings win over cluster-wide ones in the test kit, so the overrides are repeated here.
        Map<String, String> controllerConfigs = controllerConfigs(brokers);
        controllerConfigs.putAll(brokerConfigOverrides);
        Map<Integer, Map<String, String>> perNodeConfigs = Map.of(CONTROLLER_ID, controllerConfigs);
        TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                .setCombined(false)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(brokers)
                .setPerServerProperties(perNodeConfigs)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        commonConfigs(brokers).forEach(builder::setConfigProp);
        brokerConfigOverrides.forEach(builder::setConfigProp);

        KafkaClusterTestKit cluster = null;
        try {
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            SortedMap<Integer, Integer> ports = new TreeMap<>();
            ListenerName listener = ListenerName.normalised(nodes.brokerListenerName().value());
            for (Map.Entry<Integer, BrokerServer> broker : cluster.brokers().entrySet()) {
                ports.put(broker.getKey(), broker.getValue().boundPort(listener));
            }
            KafkaClusterFixture fixture = new KafkaClusterFixture(cluster, ports);
            log.info("Kafka cluster ready at {} (brokers {}, controller {}, started in {} ms)",
                    fixture.bootstrapServers, ports.keySet(), cluster.controllers().keySet(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return fixture;
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot start a Kafka cluster of " + brokers + " brokers: " + e.getMessage(), e);
        }
    }

    /** Settings every node gets (brokers use them; harmless on the controller). */
    private static Map<String, String> commonConfigs(int brokers) {
        String replication = Integer.toString(Math.min(3, brokers));
        String minIsr = Integer.toString(Math.min(2, brokers));
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("min.insync.replicas", minIsr);
        configs.put("offsets.topic.replication.factor", replication);
        configs.put("transaction.state.log.replication.factor", replication);
        configs.put("transaction.state.log.min.isr", minIsr);
        configs.put("share.coordinator.state.topic.replication.factor", replication);
        configs.put("share.coordinator.state.topic.min.isr", minIsr);
        configs.put("auto.create.topics.enable", "false");
        configs.put("group.initial.rebalance.delay.ms", "0");
        // fewer internal partitions: the first group join / transaction would otherwise create 50 of them × RF
        configs.put("offsets.topic.num.partitions", "5");
        configs.put("transaction.state.log.num.partitions", "5");
        // a stopped broker's controlled shutdown and its re-registration ride on heartbeats (default every 2 s)
        configs.put("broker.heartbeat.interval.ms", "500");
        // the test kit enables unstable features by default; the pipeline runs on released ones
        configs.put("unstable.feature.versions.enable", "false");
        configs.put("unstable.api.versions.enable", "false");
        return configs;
    }

    /** Settings only the controller reads (topic defaults, broker liveness). */
    private static Map<String, String> controllerConfigs(int brokers) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("default.replication.factor", Integer.toString(Math.min(3, brokers)));
        // a restarted broker can only register again once its previous session expired (default 9 s);
        // 4 s keeps restarts quick and still tolerates GC pauses of a busy 2-core test machine
        configs.put("broker.session.timeout.ms", "4000");
        return configs;
    }

    /** The metadata and feature levels a freshly formatted production 4.3.1 cluster would have. */
    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> featureLevels = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            featureLevels.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, featureLevels, "conflictmon cluster fixture");
    }

    /** Every broker's {@code localhost:PORT}, stopped ones included (clients skip those). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Ids of all brokers, running or stopped (the controller is not among them). */
    public SortedSet<Integer> brokerIds() {
        return new TreeSet<>(brokerPorts.keySet());
    }

    /** Ids of the brokers that are running now. */
    public SortedSet<Integer> runningBrokerIds() {
        return cluster.brokers().entrySet().stream()
                .filter(broker -> !broker.getValue().isShutdown())
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Stops a broker with a controlled shutdown and waits until it is down. No-op if already stopped. */
    public void stopBroker(int id) {
        BrokerServer broker = broker(id);
        long startNanos = System.nanoTime();
        broker.shutdown();
        broker.awaitShutdown();
        log.info("Broker {} stopped in {} ms", id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Starts a stopped broker again on its old port and data, and waits until it is registered and unfenced.
     * It catches up on its replicas afterwards; wait for the ISR if the test depends on it.
     */
    public void startBroker(int id) {
        BrokerServer broker = broker(id);
        long startNanos = System.nanoTime();
        broker.startup();
        log.info("Broker {} started again in {} ms", id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The id of the current leader of a partition, or -1 when it has none (all replicas down). */
    public int leaderOf(String topic, int partition) {
        TopicPartitionInfo info = partitionInfo(topic, partition);
        Node leader = info.leader();
        return leader == null || leader.isEmpty() ? -1 : leader.id();
    }

    /** Ids of the in-sync replicas of a partition. */
    public SortedSet<Integer> inSyncReplicasOf(String topic, int partition) {
        return partitionInfo(topic, partition).isr().stream()
                .map(Node::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Creates a topic (replication factor and topic configs as given) and waits for the controller to accept it. */
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(configs);
        await(admin.createTopics(List.of(topic)).all(), "create topic " + name);
    }

    /** An Admin client on this cluster; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Stops all brokers, then the controller, and deletes the cluster's data.
     *
     * @throws IllegalStateException also when Kafka reported a fault during the cluster's life (the test kit
     *                               records faults instead of halting the JVM, and rethrows the first here)
     */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka cluster did not shut down cleanly: " + e.getMessage(), e);
        }
    }

    private TopicPartitionInfo partitionInfo(String topic, int partition) {
        TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(),
                "describe topic " + topic).get(topic);
        return description.partitions().stream()
                .filter(info -> info.partition() == partition)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Topic " + topic + " has no partition " + partition
                        + "; it has " + description.partitions().size()));
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = cluster.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + id + " in this cluster; brokers are " + brokerPorts.keySet());
        }
        return broker;
    }

    private static <T> T await(KafkaFuture<T> future, String action) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot " + action + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot " + action + " within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + action, e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("Kafka cluster did not shut down cleanly after a failed start", e);
        }
    }
}
