package io.conflictmon.testkit;

import io.conflictmon.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gives a test class a real Kafka broker: one {@link EmbeddedKafkaBroker} per JVM, started lazily by the
 * first test class that asks for it and shared by every later one, closed (and its temporary data dir
 * deleted) when the JUnit run ends.
 *
 * <p>Either inject it:
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class IngestIT {
 *     @Test void publishes(EmbeddedKafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 * or register it:
 * <pre>{@code
 * @RegisterExtension static KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 * ... kafka.bootstrapServers() ...   // usable from @BeforeAll on
 * }</pre>
 *
 * <p>The broker is shared, so tests isolate themselves by topic: create topics named with
 * {@link #uniqueTopic(String)} (and consumer groups / transactional ids likewise). Never stop the shared
 * broker from a test.
 *
 * <p>A test that needs a broker of its own, e.g. to stop and restart it on the same data directory, does
 * not use this extension: it builds {@code EmbeddedKafkaBroker.builder().dataDir(tempDir).build().start()}
 * directly and closes it itself; a second start on the same {@code dataDir} keeps its data, cluster id and
 * port.
 *
 * <p>The broker lives in the root {@link ExtensionContext.Store}. It is stored as an {@link AutoCloseable},
 * which JUnit 5.13+ closes at the end of the run ({@code ExtensionContext.Store.CloseableResource} is
 * deprecated since 5.13 in favour of exactly that).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final String SUITE_BROKER_KEY = "suite-broker";

    private volatile EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = suiteBroker(context);
    }

    /** Also covers an extension registered in a non-static field, which never sees {@code beforeAll}. */
    @Override
    public void beforeEach(ExtensionContext context) {
        broker = suiteBroker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return suiteBroker(extensionContext);
    }

    /** The shared broker; available once JUnit has run this extension's {@code beforeAll}. */
    public EmbeddedKafkaBroker broker() {
        EmbeddedKafkaBroker current = broker;
        if (current == null) {
            throw new IllegalStateException("The suite Kafka broker is not started yet: register KafkaBrokerExtension "
                    + "with @RegisterExtension on a static field (or @ExtendWith) and use it from @BeforeAll on");
        }
        return current;
    }

    /** {@code 127.0.0.1:PORT} of the shared broker. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Creates {@code uniqueTopic(prefix)} with the given partitions on the shared broker and returns its name. */
    public String createUniqueTopic(String prefix, int partitions) {
        String topic = uniqueTopic(prefix);
        broker().createTopic(topic, partitions);
        return topic;
    }

    /** Creates {@code uniqueTopic(prefix)} with partitions and topic configs on the shared broker; returns its name. */
    public String createUniqueTopic(String prefix, int partitions, Map<String, String> configs) {
        String topic = uniqueTopic(prefix);
        broker().createTopic(topic, partitions, configs);
        return topic;
    }

    /**
     * A topic name no other test uses: {@code <prefix>-<random uuid>}. Also fine for consumer group ids and
     * transactional ids.
     *
     * @throws org.apache.kafka.common.errors.InvalidTopicException when the prefix makes an illegal topic name
     */
    public static String uniqueTopic(String prefix) {
        String topic = prefix + "-" + UUID.randomUUID();
        Topic.validate(topic);
        return topic;
    }

    private static EmbeddedKafkaBroker suiteBroker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SUITE_BROKER_KEY, key -> SuiteBroker.start(), SuiteBroker.class)
                .broker();
    }

    /** The JVM-wide broker and its temporary data dir; JUnit closes it when the root context closes. */
    private record SuiteBroker(EmbeddedKafkaBroker broker, Path dataDir) implements AutoCloseable {

        static SuiteBroker start() {
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("conflictmon-suite-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a data dir for the suite Kafka broker", e);
            }
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();
            try {
                broker.start();
            } catch (RuntimeException e) {
                deleteQuietly(dataDir);
                throw e;
            }
            log.info("Suite Kafka broker started at {} for this JVM's tests", broker.bootstrapServers());
            return new SuiteBroker(broker, dataDir);
        }

        @Override
        public void close() {
            try {
                broker.close();
            } finally {
                deleteQuietly(dataDir);
            }
        }

        private static void deleteQuietly(Path dir) {
            try {
                Utils.delete(dir.toFile());
            } catch (IOException e) {
                log.warn("Cannot delete the suite Kafka broker's data dir {}", dir, e);
            }
        }
    }
}
