package io.conflictmon.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsAndClusterIdSurviveARestartOnTheSameDataDirAndPort() throws Exception {
        String topic = "restart-" + UUID.randomUUID();
        String value = "report-" + UUID.randomUUID();
        String firstBootstrap;
        String firstClusterId;
        int firstPort;
        RecordMetadata written;

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();
        try {
            assertThat(broker.start()).isSameAs(broker);
            broker.start(); // idempotent
            assertThat(broker.isRunning()).isTrue();
            firstBootstrap = broker.bootstrapServers();
            firstPort = broker.port();
            firstClusterId = broker.clusterId();
            assertThat(firstBootstrap).isEqualTo("127.0.0.1:" + firstPort);
            assertThat(Files.exists(dataDir.resolve("kafka/meta.properties"))).isTrue();

            broker.createTopic(topic, 2);
            broker.createTopic(topic, 2); // present already: no error
            written = send(firstBootstrap, new ProducerRecord<>(topic, 1, "key-1", value));
            assertThat(readAll(firstBootstrap, new TopicPartition(topic, 1), 1, IsolationLevel.READ_UNCOMMITTED))
                    .extracting(ConsumerRecord::value).containsExactly(value);
        } finally {
            broker.close();
        }
        broker.close(); // safe twice
        assertThat(broker.isRunning()).isFalse();
        assertPortIsFree(firstPort);
        assertPortIsFree(broker.controllerPort());

        // no port given: the restart must find the port the first start persisted
        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            assertThat(restarted.bootstrapServers()).isEqualTo(firstBootstrap);
            assertThat(restarted.clusterId()).isEqualTo(firstClusterId);
            List<ConsumerRecord<String, String>> records = readAll(restarted.bootstrapServers(),
                    new TopicPartition(topic, 1), 1, IsolationLevel.READ_UNCOMMITTED);
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("key-1");
                assertThat(record.value()).isEqualTo(value);
                assertThat(record.offset()).isEqualTo(written.offset());
            });
            assertThat(restarted.fatalFault()).isEmpty();
        }

        // the same port given explicitly works as well
        try (EmbeddedKafkaBroker samePort = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(firstPort).build()
                .start()) {
            assertThat(samePort.bootstrapServers()).isEqualTo(firstBootstrap);
            assertThat(samePort.clusterId()).isEqualTo(firstClusterId);
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnlyOnOneBroker() throws Exception {
        String topic = "tx-" + UUID.randomUUID();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start()) {
            broker.createTopic(topic, 1);
            String bootstrap = broker.bootstrapServers();
            Map<String, Object> producerConfig = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test-" + UUID.randomUUID(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                         new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "a", "aborted"));
                producer.flush();
                producer.abortTransaction();

                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "c1", "committed-1"));
                producer.send(new ProducerRecord<>(topic, "c2", "committed-2"));
                producer.commitTransaction();
            }

            TopicPartition partition = new TopicPartition(topic, 0);
            assertThat(readAll(bootstrap, partition, 2, IsolationLevel.READ_COMMITTED))
                    .extracting(ConsumerRecord::value).containsExactly("committed-1", "committed-2");
            // the aborted record is in the log; only read_committed hides it
            assertThat(readAll(bootstrap, partition, 3, IsolationLevel.READ_UNCOMMITTED))
                    .extracting(ConsumerRecord::value).containsExactly("aborted", "committed-1", "committed-2");
            assertThat(broker.fatalFault()).isEmpty();
        }
    }

    @Test
    void startFailsWithAClearMessageWhenTheGivenPortIsTaken() throws IOException {
        try (ServerSocket occupier = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int takenPort = occupier.getLocalPort();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(takenPort).build();
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PLAINTEXT")
                    .hasMessageContaining("127.0.0.1:" + takenPort);
            assertThat(broker.isRunning()).isFalse();
            broker.close();
        }
    }

    @Test
    void builderRejectsSettingsTheBrokerOwns() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataDir");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().dataDir(dataDir).build().bootstrapServers())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not been started");
    }

    private static RecordMetadata send(String bootstrap, ProducerRecord<String, String> record) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            return producer.send(record).get();
        }
    }

    /** Reads the partition from the beginning until {@code expected} records arrived (or times out). */
    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, TopicPartition partition,
                                                                int expected, IsolationLevel isolation) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // one more poll: nothing beyond the expected records may show up
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static void assertPortIsFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(probe.getLocalPort()).isEqualTo(port);
        }
    }
}
