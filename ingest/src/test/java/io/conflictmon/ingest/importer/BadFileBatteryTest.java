package io.conflictmon.ingest.importer;

import static io.conflictmon.ingest.importer.AirForceCsvParserTest.HEADER;
import static io.conflictmon.ingest.importer.AirForceCsvParserTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.ingest.testutil.TopicContents;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.testkit.KafkaBrokerExtension;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-file battery of issue 8: malformed files imported into a real broker through the registry over HTTP. A file
 * that is not in its format at all (wrong columns, empty, UTF-16) is refused whole with {@link ImportFormatException}
 * and leaves every topic as it was; in a readable file each bad row becomes exactly one dead letter with its reason
 * code and line, the good rows are published, and nothing else reaches the report topics.
 */
class BadFileBatteryTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static final String GOOD = row("2026-01-08 19:30", "2026-01-09 09:00", "Shahed-136/131", "Primorsko-Akhtarsk",
            "Kyiv oblast", "242", "226", "kpszsu/posts/good");
    static final AtomicInteger FILES = new AtomicInteger();

    static EmbeddedSchemaRegistry registry;
    static HttpSchemaRegistryClient client;
    static TopicSerdes serdes;
    static ImportTopics topics;
    static ReportPublisher publisher;
    static Importer importer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        client = registry.newClient();
        serdes = new TopicSerdes(client, true);
        topics = new ImportTopics(KAFKA.createUniqueTopic("file-strikes", 2), KAFKA.createUniqueTopic("file-casualties", 2),
                KAFKA.createUniqueTopic("file-dlq", 2));
        publisher = ReportPublisher.create(KAFKA.bootstrapServers(), SpecificRecordSerializer.of(serdes), Map.of());
        importer = new Importer(publisher, Importer.kafkaIndexLoader(KAFKA.bootstrapServers(), serdes, topics,
                Duration.ofSeconds(30)), WeaponClassifier.bundled(), Clock.systemUTC(), topics);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        client.close();
        registry.close();
    }

    /**
     * A file (its name picks the format), and either the message
     * of its whole refusal or the reason codes of its rejected rows by line number and how many rows are published.
     */
    record BadFile(String name, String fileName, byte[] content, String refusal, Map<Long, String> rejectedLines,
            int published) {
        @Override
        public String toString() {
            return name;
        }
    }

    static BadFile refused(String name, String fileName, String content, Charset charset, String refusal) {
        return new BadFile(name, fileName, content.getBytes(charset), refusal, Map.of(), 0);
    }

    static BadFile rows(String name, String fileName, String content, Map<Long, String> rejectedLines, int published) {
        return new BadFile(name, fileName, content.getBytes(StandardCharsets.UTF_8), null, rejectedLines, published);
    }

    static Stream<BadFile> files() {
        String attacks = "missile_attacks_daily.csv";
        String good2 = GOOD.replace("kpszsu/posts/good", "kpszsu/posts/other");
        byte[] windows1251 = (HEADER + GOOD + "\n" + row("2026-01-10 19:30", "2026-01-11 09:00", "Shahed-136/131", "Курськ",
                "Київська область", "10", "9", "kpszsu/posts/cp1251") + "\n").getBytes(Charset.forName("windows-1251"));
        return Stream.of(
                refused("missing column", attacks, HEADER.replace("launched,", "") + GOOD, StandardCharsets.UTF_8,
                        "lacks the required column(s) [launched]"),
                refused("monthly file with the annual header", "casualties_monthly.csv", "year,killed,injured\n2025,1,2",
                        StandardCharsets.UTF_8, "lacks the required column(s) [month]"),
                refused("empty file", attacks, "", StandardCharsets.UTF_8, "empty file"),
                refused("UTF-16 file", attacks, HEADER + GOOD, StandardCharsets.UTF_16, "lacks the required column(s)"),
                new BadFile("Windows-1251 row", attacks, windows1251, null, Map.of(3L, ParsedRow.ENCODING), 1),
                rows("too few fields", attacks, HEADER + GOOD + "\n2026-01-08 19:30,2026-01-09 09:00,Shahed", Map.of(3L,
                        ParsedRow.PARSE), 1),
                rows("unterminated quote", attacks, HEADER + GOOD + "\n\"2026-01-08 19:30,x\n" + good2,
                        Map.of(3L, ParsedRow.PARSE), 1),
                rows("negative, fractional, absurd counts", attacks, HEADER + GOOD
                        + "\n" + good2.replace(",242,", ",-5,").replace(",226,", ",,")
                        + "\n" + good2.replace(",242,", ",3.5,").replace("/other", "/frac")
                        + "\n" + good2.replace(",242,", ",1e9,").replace("/other", "/absurd"),
                        Map.of(3L, ParsedRow.VALIDATION, 4L, ParsedRow.VALIDATION, 5L, ParsedRow.VALIDATION), 1),
                rows("end before start and far future", attacks, HEADER + GOOD
                        + "\n" + good2.replace("2026-01-09 09:00", "2026-01-08 09:00")
                        + "\n" + good2.replace("2026-01-08 19:30", "2999-01-08 19:30").replace("2026-01-09", "2999-01-09"),
                        Map.of(3L, ParsedRow.VALIDATION, 4L, ParsedRow.VALIDATION), 1),
                rows("same id, other figures", attacks, HEADER + GOOD + "\n" + GOOD.replace(",242,", ",250,"),
                        Map.of(3L, ParsedRow.DUPLICATE_CONFLICT), 1),
                rows("monthly figures that are not numbers", "casualties_monthly.csv",
                        "month,killed,injured\n2025-01,164,910\n2025-02,many,910\n2025-13,1,1\n2025-03,-1,5", Map.of(
                        3L, ParsedRow.VALIDATION, 4L, ParsedRow.VALIDATION, 5L, ParsedRow.VALIDATION), 1),
                rows("JSON Lines: broken, wrong type, duplicate key", "strikes.jsonl", String.join("\n",
                        "{\"source\": \"kpszsu\", \"launched\": ",
                        "{\"source\": \"kpszsu\", \"timeStart\": \"2026-01-08T19:30:00+02:00\", \"timeEnd\": "
                                + "\"2026-01-09T09:00:00+02:00\", \"weaponModel\": \"Shahed-136/131\", \"launched\": \"12\"}",
                        "{\"source\": \"kpszsu\", \"launched\": 1, \"launched\": 2}",
                        "{\"source\": \"kpszsu\", \"timeStart\": \"2026-01-08T19:30:00+02:00\", \"timeEnd\": "
                                + "\"2026-01-09T09:00:00+02:00\", \"weaponModel\": \"Shahed-136/131\", \"launched\": 12}"),
                        Map.of(1L, ParsedRow.PARSE, 2L, ParsedRow.VALIDATION, 3L, ParsedRow.PARSE), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void eachBadFileOrRowIsRefusedWithItsReason(BadFile bad) throws Exception {
        // A unique file name and sourceRef per case: dead letters are keyed by file, and ids derive from the row.
        int n = FILES.incrementAndGet();
        int dot = bad.fileName().lastIndexOf('.');
        Path file = dir.resolve(bad.fileName().substring(0, dot) + "-t" + n + bad.fileName().substring(dot));
        String bytesAsLatin1 = new String(bad.content(), StandardCharsets.ISO_8859_1); // keeps every byte as it is
        Files.write(file, bytesAsLatin1.replace("kpszsu/posts/", "kpszsu/posts/t" + n + "-")
                .getBytes(StandardCharsets.ISO_8859_1));
        long reportsBefore = reportRecords();
        long lettersBefore = TopicContents.endOffsetSum(KAFKA.bootstrapServers(), topics.deadLetters());

        if (bad.refusal() != null) {
            assertThatThrownBy(() -> importer.importFile(file, ImportProgressListener.NONE))
                    .isInstanceOf(ImportFormatException.class).hasMessageContaining(bad.refusal());
            assertThat(reportRecords()).isEqualTo(reportsBefore);
            assertThat(TopicContents.endOffsetSum(KAFKA.bootstrapServers(), topics.deadLetters())).isEqualTo(lettersBefore);
            return;
        }
        ImportSummary summary = importer.importFile(file, ImportProgressListener.NONE);

        assertThat(summary.rejected()).isEqualTo(bad.rejectedLines().size());
        assertThat(summary.published()).isEqualTo(bad.published());
        assertThat(summary.read()).isEqualTo(summary.published() + summary.unchanged() + summary.rejected());
        assertThat(reportRecords()).as("records on the report topics").isEqualTo(reportsBefore + bad.published());
        String prefix = file.getFileName() + ":";
        List<RejectedRecord> letters = TopicContents.read(KAFKA.bootstrapServers(), topics.deadLetters(),
                        serdes.rejectedRecord().deserializer()).stream()
                .filter(e -> e.key().startsWith(prefix)).map(TopicContents.Entry::value).toList();
        assertThat(letters).hasSize(bad.rejectedLines().size()).allSatisfy(letter -> {
            assertThat(letter.getReasonCode()).isEqualTo(bad.rejectedLines().get(letter.getLineNumber()));
            assertThat(letter.getReason()).isNotBlank();
            assertThat(letter.getPayload().remaining()).isPositive();
        });
    }

    static long reportRecords() {
        return TopicContents.endOffsetSum(KAFKA.bootstrapServers(), topics.strikeReports())
                + TopicContents.endOffsetSum(KAFKA.bootstrapServers(), topics.casualtyReports());
    }
}
