package io.conflictmon.bench;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.schemas.Topics;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.metrics.StreamsMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of the conflict topology (exactly-once, the production {@link StreamsSettings}) against Kafka's own
 * consumer benchmark over the same input topic, on the same broker in the same run.
 *
 * <p>Loads N synthetic strike reports (nights of several reports each, so that waves form) into the strike-reports
 * topic (6 partitions). Per round: (1) a new {@link StreamsService} with a new application id and state directory
 * runs the topology from the beginning; the time from {@code start()} until every input record is consumed and
 * committed, through both sub-topologies (the screen and, behind the single-partition repartition topic, upsert,
 * waves and totals), gives records per second; (2) the pass-through baseline ({@link #runPassThrough}): the least any
 * exactly-once Streams application with one repartition hop and the same settings costs here; (3)
 * {@code ConsumerPerformance} reads the same N records with a new group. The order alternates between rounds. A warm-up on a small topic comes first and is not counted.
 *
 * <p>Usage: {@code StreamsBench [N=200000] [rounds=3]}.
 */
public final class StreamsBench {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsBench.class);
    private static final long SEED = 20260120L;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
    static final String OVERRIDE_PREFIX = "bench.streams.";
    static final String PASS_THROUGH_OUTPUT = "bench.pass-through-output";
    /** Repartition topic {@code <application.id>-pass-through-repartition} of the pass-through baseline. */
    static final String PASS_THROUGH_REPARTITION = "pass-through";

    private StreamsBench() {
    }

    /**
     * One round. {@code streamsSeconds} runs from {@code start()} to all committed; {@code startupSeconds} to RUNNING
     * (group join, internal topics, stores); ConsumerPerformance's own rates with and without its group join.
     */
    public record Round(int round, int records, double streamsSeconds, double startupSeconds,
            double consumerPerformanceRecordsPerSecond, double consumerPerformanceFetchRecordsPerSecond,
            double passThroughSeconds, double passThroughStartupSeconds) {
        public double streamsRecordsPerSecond() {
            return records / streamsSeconds;
        }

        /** Records per second once RUNNING: the group join and store set-up left out. */
        public double streamsRunningRecordsPerSecond() {
            return records / (streamsSeconds - startupSeconds);
        }

        public double ratio() {
            return streamsRecordsPerSecond() / consumerPerformanceRecordsPerSecond;
        }

        public double runningRatio() {
            return streamsRunningRecordsPerSecond() / consumerPerformanceFetchRecordsPerSecond;
        }

        /** The minimal exactly-once Streams application with the same settings: bytes through a repartition topic. */
        public double passThroughRecordsPerSecond() {
            return records / passThroughSeconds;
        }

        public double passThroughRatio() {
            return streamsRecordsPerSecond() / passThroughRecordsPerSecond();
        }

        public double passThroughRunningRecordsPerSecond() {
            return records / (passThroughSeconds - passThroughStartupSeconds);
        }

        public double passThroughRunningRatio() {
            return streamsRunningRecordsPerSecond() / passThroughRunningRecordsPerSecond();
        }
    }

    public record Result(int records, List<Round> rounds) {
        public double medianRatio() {
            return Table.median(rounds.stream().map(Round::ratio).toList());
        }
    }

    /** Exits with status 1 on failure: a thread a failed Kafka tool left behind must not keep the JVM waiting. */
    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (BenchEnvironment env = BenchEnvironment.start()) {
            Result result = run(env, records, rounds, System.out);
            System.out.printf(Locale.ROOT, "%nTarget: streams / ConsumerPerformance >= 0.25; median %.2f (%s)%n",
                    result.medianRatio(), result.medianRatio() >= 0.25 ? "met" : "NOT met");
        } catch (Exception e) {
            LOG.error("StreamsBench failed", e);
            System.exit(1);
        }
    }

    /** Runs the benchmark on that environment (which must not hold the pipeline's topics yet); prints to {@code out}. */
    public static Result run(BenchEnvironment env, int records, int rounds, PrintStream out) throws Exception {
        if (records < 1 || rounds < 1) {
            throw new IllegalArgumentException("need at least 1 record and 1 round, got " + records + " and " + rounds);
        }
        String warmUpTopic = "bench.strike-reports-warm-up";
        env.createTopics(List.of(BenchEnvironment.topic(Topics.STRIKE_REPORTS, 6, true),
                BenchEnvironment.topic(Topics.CASUALTY_REPORTS, 3, true),
                BenchEnvironment.topic(Topics.INGEST_DLQ, 3, false),
                BenchEnvironment.topic(Topics.WAVES, 3, true),
                BenchEnvironment.topic(Topics.STRIKE_TOTALS, 3, true),
                BenchEnvironment.topic(Topics.CASUALTY_TOTALS, 3, true),
                BenchEnvironment.topic(Topics.ALERTS, 3, false),
                BenchEnvironment.topic(PASS_THROUGH_OUTPUT, 3, false),
                BenchEnvironment.topic(warmUpTopic, 6, true)));
        List<StrikeReport> reports = SyntheticStrikes.avro(SyntheticStrikes.inputs(records, SEED), Instant.now());
        load(env, Topics.STRIKE_REPORTS, reports);
        long waveReports = reports.stream().filter(r -> r.getTimePrecision() == io.conflictmon.avro.TimePrecision.MINUTE).count();
        out.printf(Locale.ROOT, "StreamsBench: %,d strike reports in %s (%,d with a time window, in %s), %d rounds%n",
                records, Topics.STRIKE_REPORTS, waveReports, reports.get(0).getTimeStart() + " .. "
                        + reports.get(reports.size() - 1).getTimeEnd(), rounds);

        // Warm-up: JIT, class loading, RocksDB; not counted.
        int warmUp = Math.max(1, records / 10);
        load(env, warmUpTopic, SyntheticStrikes.avro(SyntheticStrikes.inputs(warmUp, SEED + 1), Instant.now()));
        runStreams(env, "bench-streams-warm-up", warmUpTopic, warmUp);
        runPassThrough(env, "bench-pass-through-warm-up", warmUpTopic, warmUp);
        consumerPerformance(env, warmUpTopic, "bench-perf-warm-up", warmUp);
        LOG.info("Warm-up with {} reports done", warmUp);

        List<Round> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            StreamsRun streams;
            StreamsRun passThrough;
            KafkaTools.ConsumerResult perf;
            if (round % 2 == 1) {
                streams = runStreams(env, "bench-streams-r" + round, Topics.STRIKE_REPORTS, records);
                passThrough = runPassThrough(env, "bench-pass-through-r" + round, Topics.STRIKE_REPORTS, records);
                perf = consumerPerformance(env, Topics.STRIKE_REPORTS, "bench-perf-r" + round, records);
            } else {
                perf = consumerPerformance(env, Topics.STRIKE_REPORTS, "bench-perf-r" + round, records);
                passThrough = runPassThrough(env, "bench-pass-through-r" + round, Topics.STRIKE_REPORTS, records);
                streams = runStreams(env, "bench-streams-r" + round, Topics.STRIKE_REPORTS, records);
            }
            Round result = new Round(round, records, streams.seconds(), streams.startupSeconds(), perf.recordsPerSecond(),
                    perf.fetchRecordsPerSecond(), passThrough.seconds(), passThrough.startupSeconds());
            LOG.info("Round {}: {}", round, result);
            results.add(result);
        }
        Result result = new Result(records, results);
        print(result, out);
        return result;
    }

    private static void print(Result result, PrintStream out) {
        Table table = new Table("round", "streams rec/s", "ConsumerPerformance rec/s", "ratio",
                "streams rec/s once RUNNING", "ConsumerPerformance fetch rec/s", "ratio (steady)", "streams startup s",
                "pass-through EOS rec/s", "streams / pass-through", "pass-through once RUNNING", "ratio (steady)");
        for (Round round : result.rounds()) {
            table.row(Integer.toString(round.round()), round.streamsRecordsPerSecond(),
                    round.consumerPerformanceRecordsPerSecond(), round.ratio(), round.streamsRunningRecordsPerSecond(),
                    round.consumerPerformanceFetchRecordsPerSecond(), round.runningRatio(), round.startupSeconds(),
                    round.passThroughRecordsPerSecond(), round.passThroughRatio(), round.passThroughRunningRecordsPerSecond(),
                    round.passThroughRunningRatio());
        }
        List<Round> rounds = result.rounds();
        table.row("median", Table.median(rounds.stream().map(Round::streamsRecordsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::consumerPerformanceRecordsPerSecond).toList()),
                result.medianRatio(),
                Table.median(rounds.stream().map(Round::streamsRunningRecordsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::consumerPerformanceFetchRecordsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::runningRatio).toList()),
                Table.median(rounds.stream().map(Round::startupSeconds).toList()),
                Table.median(rounds.stream().map(Round::passThroughRecordsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::passThroughRatio).toList()),
                Table.median(rounds.stream().map(Round::passThroughRunningRecordsPerSecond).toList()),
                Table.median(rounds.stream().map(Round::passThroughRunningRatio).toList()));
        out.println();
        table.print(out);
    }

    static void load(BenchEnvironment env, String topic, List<StrikeReport> reports) {
        try (ReportPublisher publisher = ReportPublisher.create(env.bootstrapServers(),
                SpecificRecordSerializer.of(env.serdes()), Map.of())) {
            ReportPublisher.Batch batch = publisher.batch();
            reports.forEach(report -> batch.send(topic, report.getId(), report));
            long acknowledged = batch.flush();
            if (acknowledged != reports.size()) {
                throw new IllegalStateException("Kafka acknowledged " + acknowledged + " of " + reports.size() + " reports");
            }
        }
    }

    /**
     * StreamsConfig properties to try against the production settings without a rebuild: every system property
     * {@code bench.streams.<name>} (e.g. {@code -Dbench.streams.commit.interval.ms=200}); none by default.
     */
    static Map<String, Object> overrides() {
        Map<String, Object> overrides = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(OVERRIDE_PREFIX))
                .forEach(name -> overrides.put(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name)));
        if (!overrides.isEmpty()) {
            LOG.info("StreamsConfig overrides: {}", overrides);
        }
        return overrides;
    }

    private record StreamsRun(double seconds, double startupSeconds) {
    }

    /** Runs the topology with a new application id over {@code inputTopic} until it has committed all of it. */
    private static StreamsRun runStreams(BenchEnvironment env, String applicationId, String inputTopic, int records)
            throws Exception {
        Admin admin = env.admin();
        Map<TopicPartition, Long> inputEnd = endOffsets(admin, partitionsOf(admin, inputTopic), IsolationLevel.READ_UNCOMMITTED);
        long total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
        if (total != records) {
            throw new IllegalStateException(inputTopic + " holds " + total + " records, expected " + records);
        }
        Path stateDir = env.workDir().resolve("streams-state").resolve(applicationId);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TopologySettings topology = TopologySettings.defaults(env.serdes(), meters)
                .withTopics(inputTopic, Topics.CASUALTY_REPORTS, Topics.INGEST_DLQ, Topics.WAVES, Topics.STRIKE_TOTALS,
                        Topics.CASUALTY_TOTALS, Topics.ALERTS);
        StreamsSettings settings = StreamsSettings.of(applicationId, env.bootstrapServers()).withStateDir(stateDir.toString())
                .withOverrides(overrides());
        StreamsRun run;
        try (StreamsService service = new StreamsService(settings, topology)) {
            run = runUntilCommitted(service.kafkaStreams(), service::start, "topology " + applicationId, env,
                    applicationId, service.topology(), records);
            Counter upserted = meters.find(StreamsMetrics.RECORDS_PROCESSED).tag(StreamsMetrics.TAG_KIND, "strike").counter();
            double upsertedCount = upserted == null ? 0 : upserted.count();
            if (upsertedCount < records) {
                throw new IllegalStateException(applicationId + " committed its input but upserted only " + upsertedCount
                        + " of " + records + " reports");
            }
            LOG.info("{}: {} upserts", applicationId, upsertedCount);
        }
        Utils.delete(stateDir.toFile());
        return run;
    }

    /** Starts the application and times it from start until it has committed all of its input (and to RUNNING). */
    private static StreamsRun runUntilCommitted(KafkaStreams streams, Runnable start, String what, BenchEnvironment env,
            String applicationId, Topology topology, int records) {
        long[] runningAt = {0};
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING && runningAt[0] == 0) {
                runningAt[0] = System.nanoTime();
            }
        });
        long startedAt = System.nanoTime();
        start.run();
        try (StreamsProgress.CaughtUpProbe probe = new StreamsProgress.CaughtUpProbe(env.bootstrapServers(), applicationId,
                topology)) {
            Awaitility.await(what + " to commit all " + records + " input records")
                    .atMost(RUN_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("Kafka Streams stopped: " + applicationId, () -> streams.state() == KafkaStreams.State.ERROR
                            || streams.state() == KafkaStreams.State.NOT_RUNNING)
                    .until(probe::caughtUp);
        }
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        double startupSeconds = runningAt[0] == 0 ? 0 : (runningAt[0] - startedAt) / 1e9;
        LOG.info("{}: {} records in {} s ({} s to RUNNING)", what, records, String.format(Locale.ROOT, "%.2f", seconds),
                String.format(Locale.ROOT, "%.2f", startupSeconds));
        return new StreamsRun(seconds, startupSeconds);
    }

    /**
     * The floor of any exactly-once Kafka Streams application of this shape, with the production {@link StreamsSettings}
     * (commit interval, cache, producer settings): the input as bytes (nothing decoded) through a one-partition
     * repartition topic into an output topic; no state. Timed like {@link #runStreams}.
     */
    private static StreamsRun runPassThrough(BenchEnvironment env, String applicationId, String inputTopic, int records)
            throws Exception {
        Admin admin = env.admin();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("pass-through-source"))
                .repartition(Repartitioned.<String, byte[]>as(PASS_THROUGH_REPARTITION).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()).withNumberOfPartitions(1))
                .to(PASS_THROUGH_OUTPUT, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("pass-through-sink"));
        Path stateDir = env.workDir().resolve("streams-state").resolve(applicationId);
        TopologySettings topology = TopologySettings.defaults(env.serdes(), new SimpleMeterRegistry());
        Properties config = StreamsSettings.of(applicationId, env.bootstrapServers()).withStateDir(stateDir.toString())
                .withOverrides(overrides()).streamsConfig(topology);
        Topology passThrough = builder.build();
        StreamsRun run;
        try (KafkaStreams streams = new KafkaStreams(passThrough, config)) {
            run = runUntilCommitted(streams, streams::start, "pass-through " + applicationId, env, applicationId,
                    passThrough, records);
        }
        Utils.delete(stateDir.toFile());
        return run;
    }

    static List<TopicPartition> partitionsOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions, IsolationLevel isolation)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin
                .listOffsets(latest, new ListOffsetsOptions(isolation)).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** ConsumerPerformance over the topic with a new group, from the earliest offset. */
    private static KafkaTools.ConsumerResult consumerPerformance(BenchEnvironment env, String topic, String group, int records) {
        KafkaTools.ConsumerResult result = KafkaTools.consumerPerformance(List.of("--bootstrap-server", env.bootstrapServers(),
                "--topic", topic, "--num-records", Integer.toString(records), "--group", group, "--timeout", "30000"));
        if (result.records() != records) {
            throw new IllegalStateException("ConsumerPerformance read " + result.records() + " of " + records + " records");
        }
        LOG.info("ConsumerPerformance {}: {} records/s ({} fetching)", group, result.recordsPerSecond(),
                result.fetchRecordsPerSecond());
        return result;
    }
}
