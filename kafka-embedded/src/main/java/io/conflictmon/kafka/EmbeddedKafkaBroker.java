package io.conflictmon.kafka;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Apache Kafka KRaft server (broker and controller roles in one node) running in this
 * JVM, listening on 127.0.0.1 only.
 *
 * <p>Data lives under {@code <dataDir>/kafka} and survives {@link #close()}: a new instance (or
 * {@link #start()} again on this one) on the same data directory finds its topics, offsets and cluster id
 * again. The storage is formatted only on the first start (no {@code meta.properties} yet).
 *
 * <p>Why this class assembles {@link SharedServer}, {@link ControllerServer} and {@link BrokerServer}
 * itself instead of calling {@link KafkaRaftServer}: it is the same assembly, in the same start and stop
 * order, with two differences an embedded server needs. (1) {@code KafkaRaftServer} hard-wires Kafka's
 * standard fault handler, which halts the JVM on a fatal fault, even on a port conflict at startup; here
 * the fault is logged and {@code start()} fails with it. (2) Listener sockets are bound before Kafka
 * starts ({@link LoopbackServerSocketFactory}), so "pick a free port" has no race. Kafka's own
 * {@code KafkaClusterTestKit} assembles its nodes the same way.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
 *     kafka.createTopic("conflict.strike-reports.v1", 6);
 *     String bootstrap = kafka.bootstrapServers();   // "127.0.0.1:<port>"
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The node id of the single combined broker+controller node. */
    public static final int NODE_ID = 1;
    /** The host every listener binds to and advertises. */
    public static final String HOST = "127.0.0.1";

    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Sub-directory of the data dir holding Kafka's log dir (and metadata log). */
    static final String KAFKA_DIR = "kafka";
    /** File in the data dir remembering the ports chosen on the first start. */
    static final String PORTS_FILE = "embedded-broker.properties";
    private static final String PORTS_FILE_BROKER_KEY = "broker.port";
    private static final String PORTS_FILE_CONTROLLER_KEY = "controller.port";

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Broker settings this class owns: they wire the node's identity, listeners and storage together and
     * are not overridable through {@link Builder#brokerProperty}.
     */
    private static final Set<String> MANAGED_PROPERTIES = Set.of(
            "process.roles", "node.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "listeners", "advertised.listeners", "listener.security.protocol.map", "controller.listener.names",
            "inter.broker.listener.name", "log.dir", "log.dirs", "metadata.log.dir");

    private final Path dataDir;
    private final Path logDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> brokerProperties;
    /** Extra client listeners (name to security protocol), e.g. a SASL_SSL one beside PLAINTEXT. */
    private final Map<String, String> extraListeners;
    private final Duration startupTimeout;

    // guarded by this
    private RunningNode node;
    private int port = -1;
    private int controllerPort = -1;
    private Map<String, Integer> extraPorts = Map.of();
    private String clusterId;
    private NonHaltingFaultHandlerFactory lastFaultHandlers;

    private record RunningNode(ControllerServer controller, BrokerServer broker,
                               LoopbackServerSocketFactory sockets) {
    }

    private EmbeddedKafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.logDir = dataDir.resolve(KAFKA_DIR);
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.extraListeners = new LinkedHashMap<>(builder.extraListeners);
        this.startupTimeout = builder.startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the node and waits until an Admin client gets an answer to {@code describeCluster}.
     * Does nothing when already running; starts again after {@link #close()}.
     *
     * @return this, for chaining
     * @throws IllegalStateException when the node cannot start (port taken, storage of another node, timeout)
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (node != null) {
            return this;
        }
        long startNanos = System.nanoTime();
        createDirectories(logDir);
        Map<String, Integer> ports = resolvePorts();
        LoopbackServerSocketFactory sockets = LoopbackServerSocketFactory.bind(ports);
        NonHaltingFaultHandlerFactory faultHandlers = new NonHaltingFaultHandlerFactory();
        lastFaultHandlers = faultHandlers;
        ControllerServer controller = null;
        BrokerServer broker = null;
        Metrics metrics = null;
        try {
            int boundPort = sockets.port(BROKER_LISTENER);
            int boundControllerPort = sockets.port(CONTROLLER_LISTENER);
            persistPorts(boundPort, boundControllerPort);
            Map<String, Integer> boundExtraPorts = new LinkedHashMap<>();
            extraListeners.keySet().forEach(name -> boundExtraPorts.put(name, sockets.port(name)));

            KafkaConfig config = new KafkaConfig(serverProperties(boundPort, boundControllerPort, boundExtraPorts), false);
            boolean formatted = formatStorageIfNew();
            Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> storage =
                    KafkaRaftServer.initializeLogDirs(config, log, "[embedded kafka " + dataDir + "] ");
            MetaPropertiesEnsemble metaProperties = storage._1();
            String storedClusterId = metaProperties.clusterId().orElseThrow(() ->
                    new IllegalStateException("meta.properties in " + logDir + " has no cluster id"));

            metrics = Server.initializeMetrics(config, Time.SYSTEM, storedClusterId);
            SharedServer shared = new SharedServer(config, metaProperties, Time.SYSTEM, metrics,
                    CompletableFuture.completedFuture(
                            QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                    QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                    faultHandlers, sockets);
            controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), storage._2());
            broker = new BrokerServer(shared);
            // same order as KafkaRaftServer: the broker needs the controller's endpoints
            controller.startup();
            broker.startup();
            awaitClusterAnswers(boundPort, storedClusterId, startNanos);

            node = new RunningNode(controller, broker, sockets);
            port = boundPort;
            controllerPort = boundControllerPort;
            extraPorts = Map.copyOf(boundExtraPorts);
            clusterId = storedClusterId;
            if (formatted) {
                log.info("Formatted new KRaft storage in {} with cluster id {}", logDir, storedClusterId);
            }
            log.info("Kafka broker ready at {} (data dir {}, started in {} ms)",
                    bootstrapServers(), dataDir, elapsedMillis(startNanos));
            return this;
        } catch (RuntimeException e) {
            stopQuietly(broker, controller);
            sockets.close();
            // normally the shared server closes it; not when the failure came before it started
            Utils.closeQuietly(metrics, "embedded kafka metrics");
            String fault = faultHandlers.firstFatalFault().map(f -> "; fatal fault: " + f.getMessage()).orElse("");
            throw new IllegalStateException("Kafka broker on data dir " + dataDir + " failed to start: "
                    + e.getMessage() + fault, e);
        }
    }

    /**
     * Stops the node cleanly (controlled shutdown, logs flushed) and waits until its threads are done and
     * its ports are free. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        RunningNode running = node;
        if (running == null) {
            return;
        }
        node = null;
        long stopNanos = System.nanoTime();
        stopQuietly(running.broker(), running.controller());
        running.sockets().close();
        log.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), elapsedMillis(stopNanos));
    }

    /** {@code 127.0.0.1:PORT}; known once the node has started (it stays the same across restarts). */
    public synchronized String bootstrapServers() {
        return HOST + ":" + port();
    }

    /** The client (PLAINTEXT) port. */
    public synchronized int port() {
        requireStartedOnce();
        return port;
    }

    /** {@code 127.0.0.1:PORT} of an extra listener added with {@link Builder#listener}; its port is new on each start. */
    public synchronized String bootstrapServers(String listenerName) {
        requireStartedOnce();
        Integer extra = extraPorts.get(listenerName);
        if (extra == null) {
            throw new IllegalArgumentException("no listener " + listenerName + "; extra listeners: " + extraPorts.keySet());
        }
        return HOST + ":" + extra;
    }

    /** The controller (KRaft quorum) port. */
    public synchronized int controllerPort() {
        requireStartedOnce();
        return controllerPort;
    }

    /** The cluster id, written to {@code meta.properties} by the first start and kept by every restart. */
    public synchronized String clusterId() {
        requireStartedOnce();
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return node != null;
    }

    /**
     * The first fatal fault Kafka reported during the current or last run, if any. A standalone broker
     * would have halted the JVM on it; tests can assert that there was none.
     */
    public synchronized Optional<Throwable> fatalFault() {
        return lastFaultHandlers == null ? Optional.empty() : lastFaultHandlers.firstFatalFault();
    }

    /** Creates a topic with the broker's default settings, unless it exists. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with the given topic configs (e.g. {@code cleanup.policy=compact}), unless it exists. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs)));
    }

    /** Creates each topic that does not exist yet; existing topics are left as they are. */
    public void createTopics(NewTopic... topics) {
        createTopics(List.of(topics));
    }

    /** Creates each topic that does not exist yet; existing topics are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig(bootstrapServers(), ADMIN_TIMEOUT))) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + result.getKey() + " on "
                                + bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                    log.debug("Topic {} exists already", result.getKey());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics on " + bootstrapServers(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating topics on " + bootstrapServers() + " took longer than "
                    + ADMIN_TIMEOUT, e);
        }
    }

    @Override
    public String toString() {
        synchronized (this) {
            return "EmbeddedKafkaBroker[" + (port > 0 ? HOST + ":" + port : "not started")
                    + ", dataDir=" + dataDir + (node != null ? ", running" : "") + "]";
        }
    }

    // ---------------------------------------------------------------- start-up steps

    /**
     * Ports: an explicitly requested port wins; otherwise the port persisted by an earlier start on this
     * data dir; otherwise 0 (a free port, then persisted).
     *
     * <p>Why persist a chosen port: the bootstrap address is the node's identity for everything around it.
     * Clients that outlive a broker restart (a Kafka Streams app, a consumer in a restart test, the demo's
     * services) hold {@code 127.0.0.1:PORT} and must find the broker there again. The controller port
     * sits in {@code controller.quorum.voters}, and the KRaft quorum must stay addressable where the
     * node's metadata expects it: with a static voter set it comes from config, but with a dynamic quorum
     * (KIP-853) it is written into the metadata log itself and a new port would orphan the node.
     */
    private Map<String, Integer> resolvePorts() {
        Properties persisted = readPortsFile();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(CONTROLLER_LISTENER, choosePort(requestedControllerPort, persisted, PORTS_FILE_CONTROLLER_KEY));
        ports.put(BROKER_LISTENER, choosePort(requestedPort, persisted, PORTS_FILE_BROKER_KEY));
        extraListeners.keySet().forEach(name -> ports.put(name, 0));
        return ports;
    }

    private int choosePort(int requested, Properties persisted, String key) {
        if (requested > 0) {
            return requested;
        }
        String stored = persisted.getProperty(key);
        if (stored == null) {
            return 0;
        }
        try {
            return Integer.parseInt(stored.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Bad " + key + " '" + stored + "' in " + dataDir.resolve(PORTS_FILE), e);
        }
    }

    private Properties readPortsFile() {
        Path file = dataDir.resolve(PORTS_FILE);
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return properties;
    }

    private void persistPorts(int brokerPort, int brokerControllerPort) {
        Path file = dataDir.resolve(PORTS_FILE);
        Properties properties = new Properties();
        properties.setProperty(PORTS_FILE_BROKER_KEY, Integer.toString(brokerPort));
        properties.setProperty(PORTS_FILE_CONTROLLER_KEY, Integer.toString(brokerControllerPort));
        Path tmp = dataDir.resolve(PORTS_FILE + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                properties.store(out, "Ports of the embedded Kafka node; a restart on this data dir reuses them");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private Map<String, Object> serverProperties(int brokerPort, int brokerControllerPort, Map<String, Integer> extra) {
        Map<String, Object> props = new LinkedHashMap<>();
        // defaults for one node on a developer machine; brokerProperty(...) overrides them
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // internal topics must fit on one broker, or groups and transactions (EOS) never work
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // 50 partitions each (the default) make the first group join / first transaction slow on one node
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.streams.initial.rebalance.delay.ms", "0");
        // small segments so compaction of the compacted report topics actually happens in a demo
        props.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        // the cleaner allocates this buffer on the heap up front; the default 128 MiB is a lot for a demo JVM
        props.put("log.cleaner.dedupe.buffer.size", Long.toString(8L * 1024 * 1024));
        props.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

        brokerProperties.forEach(props::put);

        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + brokerControllerPort);
        StringBuilder listeners = new StringBuilder(BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        StringBuilder protocols = new StringBuilder(BROKER_LISTENER + ":PLAINTEXT");
        extra.forEach((name, extraPort) -> {
            listeners.append(',').append(name).append("://").append(HOST).append(':').append(extraPort);
            protocols.append(',').append(name).append(':').append(extraListeners.get(name));
        });
        props.put("listeners", listeners + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + brokerControllerPort);
        props.put("advertised.listeners", listeners.toString());
        props.put("listener.security.protocol.map", protocols + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        return props;
    }

    /** Formats the log dir when it has no {@code meta.properties} yet; returns whether it did. */
    private boolean formatStorageIfNew() {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return false;
        }
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format KRaft storage in " + logDir + ": " + e.getMessage(), e);
        }
        log.debug("Formatter output:\n{}", formatterOutput.toString(StandardCharsets.UTF_8));
        return true;
    }

    /** Readiness as a client sees it: an Admin client on the bootstrap address gets the cluster described. */
    private void awaitClusterAnswers(int brokerPort, String expectedClusterId, long startNanos) {
        Duration remaining = startupTimeout.minusMillis(elapsedMillis(startNanos));
        if (remaining.isNegative() || remaining.isZero()) {
            remaining = Duration.ofSeconds(1);
        }
        String bootstrap = HOST + ":" + brokerPort;
        try (Admin admin = Admin.create(adminConfig(bootstrap, remaining))) {
            DescribeClusterResult cluster = admin.describeCluster();
            String answeredClusterId = cluster.clusterId().get(remaining.toMillis(), TimeUnit.MILLISECONDS);
            Collection<Node> nodes = cluster.nodes().get(remaining.toMillis(), TimeUnit.MILLISECONDS);
            if (!expectedClusterId.equals(answeredClusterId) || nodes.size() != 1) {
                throw new IllegalStateException("Broker at " + bootstrap + " answered cluster id " + answeredClusterId
                        + " with nodes " + nodes + ", expected cluster id " + expectedClusterId + " and one node");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Broker at " + bootstrap + " did not answer describeCluster: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Broker at " + bootstrap + " did not answer describeCluster within "
                    + startupTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker at " + bootstrap, e);
        }
    }

    private static Map<String, Object> adminConfig(String bootstrap, Duration timeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 15_000));
    }

    /** Same order as KafkaRaftServer: the broker first, it may need the controller for controlled shutdown. */
    private static void stopQuietly(BrokerServer broker, ControllerServer controller) {
        if (broker != null) {
            try {
                broker.shutdown();
            } catch (RuntimeException e) {
                log.warn("Kafka broker shutdown failed", e);
            }
        }
        if (controller != null) {
            try {
                controller.shutdown();
            } catch (RuntimeException e) {
                log.warn("Kafka controller shutdown failed", e);
            }
        }
        if (broker != null) {
            broker.awaitShutdown();
        }
        if (controller != null) {
            controller.awaitShutdown();
        }
    }

    private void requireStartedOnce() {
        if (port < 0) {
            throw new IllegalStateException("Embedded Kafka broker on " + dataDir + " has not been started");
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Settings of an {@link EmbeddedKafkaBroker}; only {@link #dataDir(Path)} is required. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, String> extraListeners = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofMinutes(2);

        private Builder() {
        }

        /** Where the node keeps its data ({@code <dataDir>/kafka}) and its port file. Required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Client port on 127.0.0.1; 0 (the default) reuses the port of the last start, or picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /** Controller (KRaft) port on 127.0.0.1; 0 (the default) as for {@link #port(int)}. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort, "controllerPort");
            return this;
        }

        /**
         * Any broker setting (e.g. {@code log.retention.ms}); overrides this class's defaults. The settings
         * that wire roles, listeners and storage are owned by this class and rejected here.
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (MANAGED_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException("Broker property " + key + " is set by EmbeddedKafkaBroker itself; "
                        + "use dataDir(..), port(..) or controllerPort(..) instead");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /**
         * An extra client listener on a free port of 127.0.0.1, e.g. {@code listener("SECURE", "SASL_SSL")}; its TLS and
         * SASL settings go in {@link #brokerProperty} with Kafka's {@code listener.name.<name>.} prefix. Brokers talk to
         * each other and to the controller over PLAINTEXT, which stays open for admin clients.
         */
        public Builder listener(String name, String securityProtocol) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(securityProtocol, "securityProtocol");
            if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals(BROKER_LISTENER) || name.equals(CONTROLLER_LISTENER)) {
                throw new IllegalArgumentException("listener name must be upper case and not " + BROKER_LISTENER
                        + " or " + CONTROLLER_LISTENER + ", was " + name);
            }
            extraListeners.put(name, securityProtocol);
            return this;
        }

        /** How long {@link #start()} waits for the node to answer; 2 minutes by default. */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            if (dataDir == null) {
                throw new IllegalStateException("EmbeddedKafkaBroker needs a dataDir");
            }
            if (port != 0 && port == controllerPort) {
                throw new IllegalStateException("port and controllerPort must differ, both are " + port);
            }
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
            }
            return port;
        }
    }
}
