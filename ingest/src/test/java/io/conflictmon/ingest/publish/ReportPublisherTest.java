package io.conflictmon.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.schemas.TopicSerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
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
    void aRecordSerializedAheadIsSentAsTheSameBytes() {
        TopicSerdes serdes = TopicSerdes.inMemory();
        SpecificRecordSerializer serializer = SpecificRecordSerializer.of(serdes);
        CasualtyReport report = report("ohchr-2025");
        SpecificRecordSerializer.Serialized ahead = serializer.serialized("casualties", report);
        assertThat(ahead.bytes()).isEqualTo(serializer.serialize("casualties", report));
        assertThat(serializer.serialize("casualties", ahead)).isSameAs(ahead.bytes());
        // another topic (another subject): serialized again, as the record itself would be
        assertThat(serializer.serialize("other", ahead)).isEqualTo(serializer.serialize("other", report));
        assertThat(serdes.casualtyReport().deserializer().deserialize("casualties", ahead.bytes())).isEqualTo(report);
        // read through as the record, never written to
        assertThat(ahead.getSchema()).isEqualTo(report.getSchema());
        assertThat(ahead.get(0)).isEqualTo("ohchr-2025");
        assertThatThrownBy(() -> ahead.put(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        // a publisher that does not know its producer's serializer sends the record itself
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null, new StringSerializer(), serializer);
        assertThat(new ReportPublisher(producer).serializedFor("casualties", report)).isSameAs(report);
    }

    @Test
    void aRecordThatCannotBeSerializedAheadIsLeftForTheSendToRefuse() {
        SpecificRecordSerializer failing = SpecificRecordSerializer.builder()
                .with(CasualtyReport.class, (topic, data) -> {
                    throw new SerializationException("registry unreachable");
                }).build();
        CasualtyReport report = report("ohchr-2025");
        try (ReportPublisher publisher = ReportPublisher.create("127.0.0.1:1", failing, Map.of())) {
            // the send serializes it again and fails as any send does (a PublishException naming the cause)
            assertThat(publisher.serializedFor("casualties", report)).isSameAs(report);
        }
        try (ReportPublisher publisher = ReportPublisher.create("127.0.0.1:1",
                SpecificRecordSerializer.of(TopicSerdes.inMemory()), Map.of())) {
            assertThat(publisher.serializedFor("casualties", report))
                    .isInstanceOfSatisfying(SpecificRecordSerializer.Serialized.class,
                            serialized -> assertThat(serialized.record()).isSameAs(report));
        }
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

    /** The definition: SHA-256 of the Avro encoding of a copy with the acceptance time set to the epoch. */
    static long fingerprintOfZeroedCopy(SpecificRecordBase record) throws IOException {
        SpecificRecordBase copy = record.getSpecificData().deepCopy(record.getSchema(), record);
        for (String name : Fingerprints.TIME_OF_ACCEPTANCE_FIELDS) {
            if (copy.getSchema().getField(name) != null) {
                copy.put(name, Instant.EPOCH);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SpecificRecordBase>(copy.getSchema(), copy.getSpecificData()).write(copy, encoder);
        encoder.flush();
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fingerprintsAreTheHashOfTheRecordWithItsAcceptanceTimeZeroed() throws Exception {
        StrikeReport strike = StrikeReport.newBuilder().setId("kpszsu-1").setSource("kpszsu")
                .setReportedAt(Instant.parse("2026-03-02T10:15:30.123Z")).setTimeStart(Instant.parse("2026-01-08T17:30:00Z"))
                .setTimeEnd(Instant.parse("2026-01-09T07:00:00Z")).setTimePrecision(TimePrecision.MINUTE)
                .setWeaponModel("Shahed-136/131").setWeaponClass(WeaponClass.ATTACK_DRONE).setLaunched(242)
                .setDestroyed(226).setLaunchArea("Kursk").setTargetRegions(List.of("Kyiv oblast", "Odesa oblast"))
                .setSourceRef("kpszsu/posts/pfbid0").build();
        RejectedRecord letter = RejectedRecord.newBuilder().setSource("import:a.csv").setSourceId("a.csv:7")
                .setReasonCode("validation").setReason("1 invalid field").setFieldErrors(List.of(
                        io.conflictmon.avro.FieldError.newBuilder().setPath("launched").setMessage("required").build()))
                .setPayload(ByteBuffer.wrap("x,y".getBytes(StandardCharsets.UTF_8))).setLineNumber(7L)
                .setRejectedAt(Instant.parse("2026-03-02T10:15:30Z")).build();
        CasualtyReport casualty = CasualtyReport.newBuilder(report("ohchr-2025")).setRegion("Kharkiv")
                .setReportedAt(Instant.now()).build();
        for (SpecificRecordBase record : List.of(strike, letter, casualty, report("ohchr-2024"))) {
            assertThat(Fingerprints.of(record)).as("%s", record).isEqualTo(fingerprintOfZeroedCopy(record));
        }
        assertThat(strike.getReportedAt()).isEqualTo(Instant.parse("2026-03-02T10:15:30.123Z"));
    }
}
