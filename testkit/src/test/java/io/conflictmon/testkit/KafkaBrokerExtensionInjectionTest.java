package io.conflictmon.testkit;

import io.conflictmon.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionInjectionTest {

    @Test
    void injectsTheRunningSuiteBroker(EmbeddedKafkaBroker broker) {
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(SuiteBrokerSeen.firstOr(broker)).isSameAs(broker);
    }

    @Test
    void producesAndConsumesOnAUniqueTopic(EmbeddedKafkaBroker broker) throws Exception {
        String topic = KafkaBrokerExtension.uniqueTopic("injection");
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get();
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaBrokerExtension.uniqueTopic("group"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return !values.isEmpty();
            });
        }
        assertThat(values).containsExactly("v");
    }

    @Test
    void uniqueTopicNamesAreDistinctAndValidated() {
        List<String> names = IntStream.range(0, 100).mapToObj(i -> KafkaBrokerExtension.uniqueTopic("t")).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(name -> name.startsWith("t-"));
        assertThatThrownBy(() -> KafkaBrokerExtension.uniqueTopic("no spaces"))
                .isInstanceOf(InvalidTopicException.class);
    }
}
