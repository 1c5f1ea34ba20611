package io.conflictmon.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.schemas.registry.InMemorySchemaRegistryClient;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class TopicSerdesTest {

    private record Case<T extends SpecificRecord>(String topic, Serde<T> serde, Supplier<T> sample) {
        void roundTrip() {
            T record = sample.get();
            byte[] bytes = serde.serializer().serialize(topic, record);
            assertThat(serde.deserializer().deserialize(topic, bytes)).as(topic).isEqualTo(record);
        }
    }

    @Test
    void everyTopicValueRoundTripsAndRegistersUnderItsValueSubject() {
        TopicSerdes serdes = TopicSerdes.inMemory();
        List<Case<?>> cases = List.of(
                new Case<>(Topics.STRIKE_REPORTS, serdes.strikeReport(), SampleRecords::strikeReport),
                new Case<>(Topics.CASUALTY_REPORTS, serdes.casualtyReport(), SampleRecords::casualtyReport),
                new Case<>(Topics.INGEST_DLQ, serdes.rejectedRecord(), SampleRecords::rejectedRecord),
                new Case<>(Topics.WAVES, serdes.waveSummary(), SampleRecords::waveSummary),
                new Case<>(Topics.STRIKE_TOTALS, serdes.strikeTotals(), SampleRecords::strikeTotals),
                new Case<>(Topics.CASUALTY_TOTALS, serdes.casualtyTotals(), SampleRecords::casualtyTotals),
                new Case<>(Topics.ALERTS, serdes.escalationAlert(), SampleRecords::escalationAlert));
        cases.forEach(Case::roundTrip);

        assertThat(serdes.client().subjects()).containsExactlyInAnyOrderElementsOf(
                Topics.DATA_TOPICS.stream().map(topic -> Topics.subject(topic, false)).toList());
        assertThat(serdes.client()).isInstanceOf(InMemorySchemaRegistryClient.class);
    }

    @Test
    void keysArePlainUtf8() {
        TopicSerdes serdes = TopicSerdes.inMemory();
        String id = "kpszsu-2026-01-09-шахед";
        byte[] bytes = serdes.key().serializer().serialize(Topics.STRIKE_REPORTS, id);
        assertThat(bytes).isEqualTo(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void topicNamesFollowTheDesign() {
        assertThat(Topics.DATA_TOPICS).allSatisfy(topic -> assertThat(topic).startsWith("conflict.").endsWith(".v1"));
        assertThat(Topics.subject(Topics.WAVES, true)).isEqualTo("conflict.waves.v1-key");
        assertThat(Topics.subject(Topics.WAVES, false)).isEqualTo("conflict.waves.v1-value");
    }
}
