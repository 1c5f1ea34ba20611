package io.conflictmon.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.schemas.TopicSerdes;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ReportPublisherTest {
    static CasualtyReport report(String id) {
        return CasualtyReport.newBuilder().setId(id).setSource("ohchr").setReportedAt(Instant.EPOCH)
                .setPeriodStart(LocalDate.of(2025, 1, 1)).setPeriodEnd(LocalDate.of(2025, 12, 31))
                .setKilled(2514).setInjured(12142).build();
    }

    @Test
    void countsCompletionsAndSurfacesAFailureOnFlush() {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(false, null, new StringSerializer(),
                SpecificRecordSerializer.of(TopicSerdes.inMemory()));
        ReportPublisher publisher = new ReportPublisher(producer);
        ReportPublisher.Batch batch = publisher.batch();
        for (int i = 0; i < 5; i++) {
            batch.send("t", "k" + i, report("k" + i));
        }
        assertThat(batch.sent()).isEqualTo(5);
        assertThat(batch.acknowledged()).isZero();
        producer.errorNext(new NotEnoughReplicasException("only 1 of 3 replicas in sync"));
        assertThatThrownBy(batch::flush).isInstanceOf(PublishException.class)
                .hasMessageContaining("1 of 5 records").hasMessageContaining("only 1 of 3 replicas");
        assertThat(batch.acknowledged()).isEqualTo(4);
        assertThat(batch.failed()).isEqualTo(1);
        assertThat(publisher.failed()).isEqualTo(1);
        // the batch stays failed: later sends refuse at once
        assertThatThrownBy(() -> batch.send("t", "k9", report("k9"))).isInstanceOf(PublishException.class);
        // a new batch on the same publisher is unaffected
        ReportPublisher.Batch next = publisher.batch();
        next.send("t", "k10", report("k10"));
        assertThat(next.flush()).isEqualTo(1);
    }

    @Test
    void aRecordOfAnUnknownTypeIsRefusedAtOnce() {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null, new StringSerializer(),
                SpecificRecordSerializer.builder().build());
        ReportPublisher publisher = new ReportPublisher(producer);
        assertThatThrownBy(() -> publisher.send("t", "k", report("k")))
                .isInstanceOf(PublishException.class).hasCauseInstanceOf(SerializationException.class)
                .hasMessageContaining("CasualtyReport");
    }

    @Test
    void producerSettingsAreDurableAndBatched() {
        Map<String, Object> config = ReportPublisher.producerConfig("localhost:9092");
        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        assertThat((Integer) config.get(ProducerConfig.LINGER_MS_CONFIG)).isBetween(5, 100);
        assertThat((Integer) config.get(ProducerConfig.BATCH_SIZE_CONFIG)).isBetween(64 * 1024, 256 * 1024);
    }

    @Test
    void fingerprintsIgnoreTheAcceptanceTimeButNotTheContent() {
        CasualtyReport report = report("a");
        CasualtyReport later = CasualtyReport.newBuilder(report).setReportedAt(Instant.now()).build();
        CasualtyReport corrected = CasualtyReport.newBuilder(report).setKilled(2515).build();
        assertThat(Fingerprints.of(later)).isEqualTo(Fingerprints.of(report));
        assertThat(Fingerprints.of(corrected)).isNotEqualTo(Fingerprints.of(report));
        assertThat(report.getReportedAt()).isEqualTo(Instant.EPOCH); // the record itself is not touched
    }
}
