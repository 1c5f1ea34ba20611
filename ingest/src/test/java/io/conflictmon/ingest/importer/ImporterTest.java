package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.Fingerprints;
import io.conflictmon.ingest.publish.PublishException;
import io.conflictmon.ingest.publish.PublishedIndex;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.ingest.testutil.AttackLogSums;
import io.conflictmon.ingest.testutil.SharedData;
import io.conflictmon.schemas.TopicSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import pipeline's bookkeeping over Kafka's own {@link MockProducer} (no broker): counts, dead letters,
 * duplicates, corrections, re-imports and failures. The same flows run against a real broker in ImportIT.
 */
class ImporterTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);
    static final WeaponClassifier CLASSIFIER = WeaponClassifier.bundled();

    final MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null, new StringSerializer(),
            SpecificRecordSerializer.of(TopicSerdes.inMemory()));
    final ReportPublisher publisher = new ReportPublisher(producer);

    /** An index loader over what the mock producer was sent, as a real loader would read it back from the topic. */
    PublishedIndex.Loader fromHistory() {
        return (topic, keyFilter) -> {
            PublishedIndex index = PublishedIndex.empty();
            for (ProducerRecord<String, SpecificRecord> sent : producer.history()) {
                if (sent.topic().equals(topic) && keyFilter.test(sent.key())) {
                    index.put(sent.key(), Fingerprints.of(sent.value()));
                }
            }
            return index;
        };
    }

    Importer importer(PublishedIndex.Loader loader) {
        return new Importer(publisher, loader, CLASSIFIER, CLOCK, ImportTopics.DEFAULT);
    }

    List<ProducerRecord<String, SpecificRecord>> sentTo(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Test
    void importsTheAttackLogThenAReImportPublishesNothing() throws Exception {
        Path file = SharedData.file(SharedData.ATTACKS);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        ImportSummary first = importer(fromHistory()).importFile(file, ImportProgressListener.NONE);

        assertThat(first.format()).isEqualTo(ImportFormat.AIR_FORCE_CSV);
        assertThat(first.read()).isEqualTo(lines.size() - 1);
        assertThat(first.published() + first.unchanged() + first.rejected()).isEqualTo(first.read());
        assertThat(first.unchanged()).isZero();
        long withoutLaunched = AttackLogSums.withoutLaunched(file);
        assertThat(first.rejected()).isEqualTo(withoutLaunched).isPositive();
        assertThat(first.deadLettered()).isEqualTo(first.rejected());
        assertThat(sentTo(ImportTopics.DEFAULT.strikeReports())).hasSize((int) first.published())
                .allMatch(r -> r.key().equals(((StrikeReport) r.value()).getId()));
        List<ProducerRecord<String, SpecificRecord>> letters = sentTo(ImportTopics.DEFAULT.deadLetters());
        assertThat(letters).hasSize((int) first.rejected());
        for (ProducerRecord<String, SpecificRecord> sent : letters) {
            RejectedRecord letter = (RejectedRecord) sent.value();
            int line = letter.getLineNumber().intValue();
            assertThat(sent.key()).isEqualTo("missile_attacks_daily.csv:" + line).isEqualTo(letter.getSourceId());
            assertThat(letter.getSource()).isEqualTo("import:missile_attacks_daily.csv");
            assertThat(letter.getReasonCode()).isEqualTo(ParsedRow.VALIDATION);
            assertThat(letter.getFieldErrors()).extracting(e -> e.getPath()).containsExactly("launched");
            assertThat(text(letter.getPayload())).isEqualTo(lines.get(line - 1));
            assertThat(letter.getRejectedAt()).isEqualTo(CLOCK.instant());
        }

        int sentBefore = producer.history().size();
        ImportSummary second = importer(fromHistory()).importFile(file, ImportProgressListener.NONE);
        assertThat(second.published()).isZero();
        assertThat(second.unchanged()).isEqualTo(first.published());
        assertThat(second.rejected()).isEqualTo(first.rejected());
        assertThat(second.deadLettered()).isZero();
        assertThat(producer.history()).hasSize(sentBefore);
    }

    @Test
    void reportsProgressRowByRow() throws Exception {
        Path file = SharedData.file(SharedData.CASUALTIES_MONTHLY);
        List<String> events = new java.util.ArrayList<>();
        long[] last = new long[2];
        ImportSummary summary = importer(fromHistory()).importFile(file, new ImportProgressListener() {
            @Override
            public void started(String name, ImportFormat format, long totalBytes) {
                events.add("started " + name + " " + format + " " + totalBytes);
            }

            @Override
            public void progressed(long rowsRead, long bytesRead) {
                assertThat(rowsRead).isEqualTo(last[0] + 1);
                assertThat(bytesRead).isGreaterThan(last[1]);
                last[0] = rowsRead;
                last[1] = bytesRead;
            }

            @Override
            public void finished(ImportSummary done) {
                events.add("finished " + done.read());
            }
        });
        long size = Files.size(file);
        assertThat(events).containsExactly("started " + file.getFileName() + " OHCHR_MONTHLY " + size,
                "finished " + summary.read());
        assertThat(last[0]).isEqualTo(summary.read());
        String header = Files.readAllLines(file).get(0);
        // every byte but the header's, less one per line for files with CRLF line ends (this one has them)
        assertThat(last[1]).isBetween(size - header.length() - 2 - summary.read(), size - header.length() - 1);
    }

    @Test
    void exactDuplicatesAreUnchangedAndConflictingDuplicatesAreRefused(@TempDir Path dir) throws Exception {
        String a = AirForceCsvParserTest.row("2026-01-08 19:30", "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "22.0",
                "10.0", "kpszsu/posts/p");
        String conflicting = a.replace("22.0", "24.0");
        Path file = dir.resolve("missile_attacks_daily_dups.csv");
        Files.writeString(file, AirForceCsvParserTest.HEADER + String.join("\n", a, a, conflicting) + "\n");

        ImportSummary summary = importer(fromHistory()).importFile(file, ImportProgressListener.NONE);
        assertThat(summary.read()).isEqualTo(3);
        assertThat(summary.published()).isEqualTo(1);
        assertThat(summary.unchanged()).isEqualTo(1);
        assertThat(summary.rejected()).isEqualTo(1);
        RejectedRecord letter = (RejectedRecord) sentTo(ImportTopics.DEFAULT.deadLetters()).get(0).value();
        assertThat(letter.getReasonCode()).isEqualTo(ParsedRow.DUPLICATE_CONFLICT);
        assertThat(letter.getLineNumber()).isEqualTo(4L);
        assertThat(letter.getReason()).contains("line 2");
        assertThat(((StrikeReport) sentTo(ImportTopics.DEFAULT.strikeReports()).get(0).value()).getLaunched()).isEqualTo(22);
    }

    @Test
    void aCorrectedRowIsPublishedAgainUnderTheSameId(@TempDir Path dir) throws Exception {
        String row = AirForceCsvParserTest.row("2026-01-08 19:30", "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "22.0",
                "10.0", "kpszsu/posts/p");
        Path file = dir.resolve("missile_attacks_daily.csv");
        Files.writeString(file, AirForceCsvParserTest.HEADER + row + "\n");
        importer(fromHistory()).importFile(file, ImportProgressListener.NONE);
        Files.writeString(file, AirForceCsvParserTest.HEADER + row.replace("10.0", "12.0") + "\n");
        ImportSummary corrected = importer(fromHistory()).importFile(file, ImportProgressListener.NONE);

        assertThat(corrected.published()).isEqualTo(1);
        List<ProducerRecord<String, SpecificRecord>> sent = sentTo(ImportTopics.DEFAULT.strikeReports());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).key()).isEqualTo(sent.get(0).key());
        assertThat(((StrikeReport) sent.get(1).value()).getDestroyed()).isEqualTo(12);
    }

    @Test
    void importsBothCasualtyFilesToTheCasualtyTopic() throws Exception {
        ImportSummary monthly = importer(fromHistory()).importFile(SharedData.file(SharedData.CASUALTIES_MONTHLY),
                ImportProgressListener.NONE);
        ImportSummary annual = importer(fromHistory()).importFile(SharedData.file(SharedData.CASUALTIES_ANNUAL),
                ImportProgressListener.NONE);
        assertThat(monthly.format()).isEqualTo(ImportFormat.OHCHR_MONTHLY);
        assertThat(annual.format()).isEqualTo(ImportFormat.OHCHR_ANNUAL);
        long rows = Files.readAllLines(SharedData.file(SharedData.CASUALTIES_MONTHLY)).stream().skip(1)
                .filter(l -> !l.isBlank()).count();
        assertThat(monthly.published()).isEqualTo(rows);
        assertThat(annual.published()).isEqualTo(2);
        assertThat(sentTo(ImportTopics.DEFAULT.casualtyReports())).hasSize((int) (rows + 2));
        assertThat(sentTo(ImportTopics.DEFAULT.strikeReports())).isEmpty();
    }

    @Test
    void aFailedSendStopsTheImportWithAnException(@TempDir Path dir) throws Exception {
        producer.sendException = new TimeoutException("broker unreachable");
        Path file = dir.resolve("missile_attacks_daily.csv");
        Files.writeString(file, AirForceCsvParserTest.HEADER + AirForceCsvParserTest.row("2026-01-08 19:30",
                "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "22.0", "10.0", "kpszsu/posts/p") + "\n");
        assertThatThrownBy(() -> importer(fromHistory()).importFile(file, ImportProgressListener.NONE))
                .isInstanceOf(PublishException.class).hasMessageContaining("broker unreachable");
    }

    /** A JSON line with a time window of its own (so an id of its own) unless {@code window} repeats one. */
    static String jsonLine(int window, int launched) {
        Instant start = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(600L * window);
        return "{\"source\": \"kpszsu\", \"timeStart\": \"" + start + "\", \"timeEnd\": \"" + start.plusSeconds(300)
                + "\", \"weaponModel\": \"Shahed-136/131\", \"launched\": " + launched + ", \"destroyed\": 0}";
    }

    @Test
    void parsingOnSeveralThreadsKeepsTheFileOrder(@TempDir Path dir) throws Exception {
        // Every 7th line is bad (alternately broken JSON and a negative count), every 11th repeats the last published
        // line (an exact duplicate, unchanged) and every 13th its window with another count (a conflict, refused).
        List<String> lines = new java.util.ArrayList<>();
        List<Integer> published = new java.util.ArrayList<>();
        List<Long> refused = new java.util.ArrayList<>();
        int unchanged = 0;
        for (int line = 1; line <= 2_000; line++) {
            if (line % 7 == 0) {
                lines.add(line % 2 == 0 ? "{\"source\": \"kpszsu\", \"launched\": " : jsonLine(line, -line));
                refused.add((long) line);
            } else if (line % 11 == 0) {
                lines.add(lines.get(published.get(published.size() - 1) - 1));
                unchanged++;
            } else if (line % 13 == 0) {
                lines.add(jsonLine(published.get(published.size() - 1), 4_999));
                refused.add((long) line);
            } else {
                lines.add(jsonLine(line, line)); // launched = line number: the order of the sends shows
                published.add(line);
            }
        }
        Path file = dir.resolve("strikes.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);

        Importer importer = new Importer(publisher, fromHistory(), CLASSIFIER, CLOCK, ImportTopics.DEFAULT, 3, 5);
        ImportSummary summary = importer.importFile(file, ImportProgressListener.NONE);

        assertThat(summary.read()).isEqualTo(lines.size());
        assertThat(summary.published()).isEqualTo(published.size());
        assertThat(summary.unchanged()).isEqualTo(unchanged).isPositive();
        assertThat(summary.rejected()).isEqualTo(refused.size());
        assertThat(sentTo(ImportTopics.DEFAULT.strikeReports())).extracting(r -> ((StrikeReport) r.value()).getLaunched())
                .containsExactlyElementsOf(published);
        assertThat(sentTo(ImportTopics.DEFAULT.deadLetters())).extracting(r -> ((RejectedRecord) r.value()).getLineNumber())
                .containsExactlyElementsOf(refused);
    }

    @Test
    void aFormatThatCannotHoldTheKindIsRefused() {
        Path file = SharedData.file(SharedData.ATTACKS);
        assertThatThrownBy(() -> importer(fromHistory()).importFile(file, ImportFormat.AIR_FORCE_CSV, ReportKind.CASUALTY,
                ImportProgressListener.NONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STRIKE");
    }

    static String text(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }
}
