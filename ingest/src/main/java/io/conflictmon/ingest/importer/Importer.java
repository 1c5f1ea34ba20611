package io.conflictmon.ingest.importer;

import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.Fingerprints;
import io.conflictmon.ingest.publish.PublishedIndex;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import io.conflictmon.schemas.TopicSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk import of one file: streams its rows, publishes each valid report keyed by its id, skips what the topic
 * already holds with the same content ({@link PublishedIndex}), and sends each refused row to the dead-letter topic
 * keyed by {@code <file>:<line>} with its raw text, so that {@code read = published + unchanged + rejected}.
 *
 * <p>Within one file, a second row with the same id and the same content is unchanged (an exact duplicate); a second
 * row with the same id and other figures is refused as {@value ParsedRow#DUPLICATE_CONFLICT}, and the first is kept
 * (the file contradicts itself, and letting the later row win would silently drop the earlier one's numbers).
 *
 * <p>Rows are parsed on {@link #DEFAULT_PARSER_THREADS} worker threads ({@link ParallelRows}), which also serialize
 * each report for its topic ({@link ReportPublisher#serializedFor}), while the importing thread checks them against
 * the index and sends them, in file order: counts, dead letters and their order are as if one thread did everything.
 *
 * <p>Files are UTF-8. Bytes that do not decode (a file saved as Windows-1251 or Latin-1, a damaged line) become
 * U+FFFD, and a row holding U+FFFD is refused as {@value ParsedRow#ENCODING} instead of stopping the import or
 * publishing mangled names; the rest of the file is read. (A file whose header does not decode is refused whole by its
 * parser, as its columns are then missing.)
 */
public final class Importer {
    private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
    /** Parser threads: the cores, at most 4 (beyond that the importing thread, which sends, is the limit). */
    public static final int DEFAULT_PARSER_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /** Rows handed to a parser thread at once: large enough that the hand-over costs little per row. */
    static final int CHUNK_ROWS = 256;
    /** What the decoder puts in place of bytes that are not UTF-8. */
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private final ReportPublisher publisher;
    private final PublishedIndex.Loader indexLoader;
    private final ReportMapper mapper;
    private final Clock clock;
    private final ImportTopics topics;
    private final int parserThreads;
    private final int chunkRows;

    public Importer(ReportPublisher publisher, PublishedIndex.Loader indexLoader, WeaponClassifier classifier, Clock clock,
            ImportTopics topics) {
        this(publisher, indexLoader, classifier, clock, topics, DEFAULT_PARSER_THREADS, CHUNK_ROWS);
    }

    Importer(ReportPublisher publisher, PublishedIndex.Loader indexLoader, WeaponClassifier classifier, Clock clock,
            ImportTopics topics, int parserThreads, int chunkRows) {
        this.parserThreads = parserThreads;
        this.chunkRows = chunkRows;
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.indexLoader = Objects.requireNonNull(indexLoader, "indexLoader");
        this.mapper = new ReportMapper(Objects.requireNonNull(classifier, "classifier"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    /**
     * The index loader of the import topics on a Kafka cluster, decoding each topic with its schema-registry serde.
     * Reading a topic to its end may take at most {@code timeout}.
     */
    public static PublishedIndex.Loader kafkaIndexLoader(String bootstrapServers, TopicSerdes serdes, ImportTopics topics,
            Duration timeout) {
        return kafkaIndexLoader(bootstrapServers, Map.of(), serdes, topics, timeout);
    }

    /** As {@link #kafkaIndexLoader(String, TopicSerdes, ImportTopics, Duration)}, with client settings (TLS, SASL). */
    public static PublishedIndex.Loader kafkaIndexLoader(String bootstrapServers, Map<String, ?> clientProperties,
            TopicSerdes serdes, ImportTopics topics, Duration timeout) {
        Map<String, Object> consumerConfig = new HashMap<>(clientProperties);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return kafkaIndexLoader(consumerConfig, serdes, topics, timeout);
    }

    /** As above, with a full consumer configuration (bootstrap servers plus e.g. security settings). */
    public static PublishedIndex.Loader kafkaIndexLoader(Map<String, Object> consumerConfig, TopicSerdes serdes,
            ImportTopics topics, Duration timeout) {
        Map<String, Deserializer<? extends SpecificRecord>> byTopic = Map.of(
                topics.strikeReports(), serdes.strikeReport().deserializer(),
                topics.casualtyReports(), serdes.casualtyReport().deserializer(),
                topics.deadLetters(), serdes.rejectedRecord().deserializer());
        return PublishedIndex.kafkaLoader(consumerConfig, topic -> {
            Deserializer<? extends SpecificRecord> deserializer = byTopic.get(topic);
            if (deserializer == null) {
                throw new IllegalArgumentException("not an import topic: " + topic + "; known: " + byTopic.keySet());
            }
            return deserializer;
        }, timeout);
    }

    /** Imports a file whose format (and, for JSON Lines, kind) is recognised from its name. */
    public ImportSummary importFile(Path file, ImportProgressListener progress) throws IOException {
        ImportFormat format = ImportFormat.of(file);
        return importFile(file, format, format.kindFor(file), progress);
    }

    /**
     * Imports a file of the given format holding reports of the given kind.
     *
     * @throws IllegalArgumentException when the format cannot hold that kind
     * @throws ImportFormatException    when the file as a whole is not in the format
     * @throws io.conflictmon.ingest.publish.PublishException when Kafka did not take a record (the import stops)
     */
    public ImportSummary importFile(Path file, ImportFormat format, ReportKind kind, ImportProgressListener progress)
            throws IOException {
        format.fixedKind().filter(k -> k != kind).ifPresent(k -> {
            throw new IllegalArgumentException(format.cliName() + " files hold " + k + " reports, not " + kind);
        });
        String fileName = file.getFileName().toString();
        long startNanos = System.nanoTime();
        Instant importTime = clock.instant();
        ReportValidator validator = new ReportValidator(clock);
        ReportFileParser<? extends SpecificRecord> parser = parser(format, kind, validator, importTime, fileName);
        String topic = topics.reportsOf(kind);
        progress.started(fileName, format, Files.size(file));
        Run run;
        try (Reader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8
                .newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
                Stream<? extends Supplier<? extends ParsedRow<? extends SpecificRecord>>> deferred = parser.deferredRows(reader);
                ParallelRows rows = new ParallelRows(deferred.iterator(), parserThreads, chunkRows,
                        report -> publisher.serializedFor(topic, report))) {
            rows.readAhead(); // the first rows are parsed while the index is read
            PublishedIndex published = indexLoader.load(topic, key -> true);
            LOG.info("Importing {} as {} into {} ({} reports already there)", fileName, format.cliName(), topic,
                    published.size());
            run = new Run(fileName, topic, published, publisher.batch(), importTime);
            for (ParallelRows.Prepared row = rows.next(); row != null; row = rows.next()) {
                run.accept(row);
                progress.progressed(run.read, run.bytes);
            }
        }
        run.batch.flush();
        ImportSummary summary = new ImportSummary(fileName, format, kind, run.read, run.publishedCount, run.unchanged,
                run.rejected, run.deadLettered, Duration.ofNanos(System.nanoTime() - startNanos));
        progress.finished(summary);
        LOG.info("Imported {}", summary);
        return summary;
    }

    private ReportFileParser<? extends SpecificRecord> parser(ImportFormat format, ReportKind kind,
            ReportValidator validator, Instant importTime, String fileName) {
        return switch (format) {
            case AIR_FORCE_CSV -> new AirForceCsvParser(mapper, validator, importTime, fileName);
            case OHCHR_MONTHLY -> new OhchrCsvParser(OhchrCsvParser.Table.MONTHLY, mapper, validator, importTime, fileName);
            case OHCHR_ANNUAL -> new OhchrCsvParser(OhchrCsvParser.Table.ANNUAL, mapper, validator, importTime, fileName);
            case JSONL -> kind == ReportKind.STRIKE
                    ? JsonLinesParser.strikes(mapper, validator, importTime, fileName)
                    : JsonLinesParser.casualties(mapper, validator, importTime, fileName);
        };
    }

    /** The dead letter of a refused row: raw text as payload, keyed and identified by {@code <file>:<line>}. */
    public static RejectedRecord deadLetter(ParsedRow.Rejected<?> row, String fileName, Instant rejectedAt) {
        return RejectedRecord.newBuilder()
                .setSource("import:" + fileName)
                .setSourceId(sourceId(fileName, row.lineNumber()))
                .setReasonCode(row.reasonCode())
                .setReason(row.reason())
                .setFieldErrors(row.fieldErrors().stream().map(FieldError::toAvro).toList())
                .setPayload(ByteBuffer.wrap(row.rawText().getBytes(StandardCharsets.UTF_8)))
                .setLineNumber(row.lineNumber())
                .setRejectedAt(rejectedAt)
                .build();
    }

    public static String sourceId(String fileName, long lineNumber) {
        return fileName + ":" + lineNumber;
    }

    /** The state of one import. */
    private final class Run {
        private record Seen(long fingerprint, long lineNumber) {
        }

        final String fileName;
        final String topic;
        final PublishedIndex index;
        final ReportPublisher.Batch batch;
        final Instant importTime;
        final Map<String, Seen> seenInFile = new HashMap<>();
        PublishedIndex deadLetters; // loaded at the first refusal: most imports have none
        long read;
        long bytes;
        long publishedCount;
        long unchanged;
        long rejected;
        long deadLettered;

        Run(String fileName, String topic, PublishedIndex published, ReportPublisher.Batch batch, Instant importTime) {
            this.fileName = fileName;
            this.topic = topic;
            this.index = published;
            this.batch = batch;
            this.importTime = importTime;
        }

        void accept(ParallelRows.Prepared prepared) {
            ParsedRow<? extends SpecificRecord> row = prepared.row();
            read++;
            bytes += prepared.utf8Bytes();
            if (row.rawText().indexOf(REPLACEMENT_CHARACTER) >= 0) {
                reject(new ParsedRow.Rejected<>(row.lineNumber(), row.rawText(), ParsedRow.ENCODING, "line "
                        + row.lineNumber() + " is not valid UTF-8 (the bytes that do not decode are shown as U+FFFD): "
                        + "save the file as UTF-8 and import it again", List.of()));
                return;
            }
            if (row instanceof ParsedRow.Rejected<?> refused) {
                reject(refused);
                return;
            }
            ParsedRow.Accepted<?> accepted = (ParsedRow.Accepted<?>) row;
            long fingerprint = prepared.fingerprint();
            Seen earlier = seenInFile.get(accepted.id());
            if (earlier != null) {
                if (earlier.fingerprint() == fingerprint) {
                    unchanged++;
                } else {
                    reject(new ParsedRow.Rejected<>(row.lineNumber(), row.rawText(), ParsedRow.DUPLICATE_CONFLICT,
                            "same id " + accepted.id() + " as line " + earlier.lineNumber() + " (same time window, "
                                    + "weapon, places and source, or same period and region) but other figures; "
                                    + "the row of line " + earlier.lineNumber() + " is kept",
                            List.of()));
                }
                return;
            }
            seenInFile.put(accepted.id(), new Seen(fingerprint, row.lineNumber()));
            if (index.contains(accepted.id(), fingerprint)) {
                unchanged++;
                return;
            }
            batch.send(topic, accepted.id(), prepared.value()); // the index is not updated: seenInFile has the id now
            publishedCount++;
        }

        private void reject(ParsedRow.Rejected<?> refused) {
            rejected++;
            if (deadLetters == null) {
                String prefix = fileName + ":";
                deadLetters = indexLoader.load(topics.deadLetters(), key -> key.startsWith(prefix));
            }
            RejectedRecord letter = deadLetter(refused, fileName, importTime);
            long fingerprint = Fingerprints.of(letter);
            if (deadLetters.contains(letter.getSourceId(), fingerprint)) {
                return; // this run's twin was dead-lettered by an earlier import of the same file
            }
            batch.send(topics.deadLetters(), letter.getSourceId(), letter);
            deadLetters.put(letter.getSourceId(), fingerprint);
            deadLettered++;
        }
    }
}
