package io.conflictmon.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaClusterFixtureTest {

    private static final int RECORDS_PER_PHASE = 50;

    @Test
    @Timeout(120)
    void acksAllWritesSurviveTheLossOfTheLeaderWithTwoInSyncReplicasLeft() throws Exception {
        try (KafkaClusterFixture cluster = KafkaClusterFixture.start(3)) {
            assertThat(cluster.brokerIds()).hasSize(3);
            assertThat(cluster.runningBrokerIds()).isEqualTo(cluster.brokerIds());

            String topic = KafkaBrokerExtension.uniqueTopic("durable");
            cluster.createTopic(topic, 1, 3, Map.of("min.insync.replicas", "2"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.inSyncReplicasOf(topic, 0).equals(cluster.brokerIds()));

            List<String> sent = new ArrayList<>();
            int stoppedLeader;
            try (KafkaProducer<String, String> producer = durableProducer(cluster.bootstrapServers())) {
                sent.addAll(sendAll(producer, topic, "before", RECORDS_PER_PHASE));

                stoppedLeader = cluster.leaderOf(topic, 0);
                assertThat(stoppedLeader).isIn(cluster.brokerIds());
                cluster.stopBroker(stoppedLeader);
                assertThat(cluster.runningBrokerIds()).doesNotContain(stoppedLeader).hasSize(2);

                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    int leader = cluster.leaderOf(topic, 0);
                    return leader >= 0 && leader != stoppedLeader;
                });
                assertThat(cluster.inSyncReplicasOf(topic, 0)).hasSize(2).doesNotContain(stoppedLeader);

                // two in-sync replicas meet min.insync.replicas=2: acks=all writes still succeed
                sent.addAll(sendAll(producer, topic, "after", RECORDS_PER_PHASE));
            }

            assertThat(readAll(cluster.bootstrapServers(), new TopicPartition(topic, 0), sent.size()))
                    .containsExactlyElementsOf(sent);

            // the stopped broker comes back on its old port and catches up into the ISR
            cluster.startBroker(stoppedLeader);
            assertThat(cluster.runningBrokerIds()).isEqualTo(cluster.brokerIds());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.inSyncReplicasOf(topic, 0).equals(cluster.brokerIds()));
        }
    }

    private static KafkaProducer<String, String> durableProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends {@code count} records and waits for every acknowledgement; returns the values sent. */
    private static List<String> sendAll(KafkaProducer<String, String> producer, String topic, String phase, int count)
            throws Exception {
        List<String> values = IntStream.range(0, count).mapToObj(i -> phase + "-" + i).toList();
        List<Future<?>> acks = new ArrayList<>();
        for (String value : values) {
            acks.add(producer.send(new ProducerRecord<>(topic, 0, value, value)));
        }
        for (Future<?> ack : acks) {
            ack.get();
        }
        return values;
    }

    private static List<String> readAll(String bootstrap, TopicPartition partition, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
