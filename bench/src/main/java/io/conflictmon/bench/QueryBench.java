package io.conflictmon.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import io.conflictmon.ingest.http.Readiness;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.query.QueryApi;
import io.conflictmon.streams.query.QueryLocator;
import io.conflictmon.streams.query.StreamEvents;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.streams.waves.WaveStores;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Latency of the query API on two streams instances, and from ingest to a visible wave.
 *
 * <p>Set-up: two instances of the application (one application id, each with its own state dir, its own HTTP port as
 * {@code application.server}, {@code num.standby.replicas=0} so that the instance without a store must forward), each
 * serving ingest, the query API and {@code /v1/stream} on one Javalin server as the demo does; then N synthetic strike
 * reports are published and the bench waits until the group has committed all of them (and checks the wave count
 * against the count computed from the reports).
 *
 * <p>Cases, each an open-loop load at a fixed rate: request i is due at {@code start + i / rate} and its latency runs
 * from that due time, not from when it was sent, so a stall shows in the figures instead of delaying the next
 * requests (no coordinated omission). Every case's warm-up (a fifth of its time at its rate, not counted) runs once
 * before any case is measured, and again right before its own measurement.
 * <ul>
 *   <li>{@code GET /v1/waves/{id}}: random ids of existing waves, against the instance that owns the key (local) and
 *       against the other one (forwarded);</li>
 *   <li>{@code GET /v1/waves?from=&to=&limit=100} and {@code GET /v1/totals/strikes?granularity=day&from=&to=} over a
 *       random month of the data, local and forwarded;</li>
 *   <li>end to end: batches of new reports {@code POST /v1/strikes}; each report's latency runs from its 202 to when
 *       a query on the owner of the stores shows it in its wave (the measure; polled every 2 ms, see
 *       {@code QueryablePoller}), and to the first {@code wave} event on {@code /v1/stream} that lists its id (a push).
 *       The stream reads the waves topic {@code read_committed}: this is when a downstream consumer sees the change,
 *       one exactly-once commit later than a query on the owner (its store holds the change before that commit).</li>
 * </ul>
 * HdrHistogram (on the class path through Kafka) records the latencies.
 *
 * <p>Usage: {@code QueryBench [reports=20000] [seconds=10] [keyRate=1000] [rangeRate=200] [postsPerSecond=20]
 * [reportsPerPost=100]}.
 */
public final class QueryBench {
    private static final Logger LOG = LoggerFactory.getLogger(QueryBench.class);
    private static final long SEED = 20260109L;
    private static final String APPLICATION_ID = "bench-query";
    /** Partitions of the strike reports topic, as DESIGN.md and the demo create it. */
    private static final int STRIKE_PARTITIONS = 6;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Requests open at once, per case: the client's connections (HTTP/1.1, one request per connection at a time). */
    static final int MAX_IN_FLIGHT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final double KEY_LOCAL_TARGET_MS = 5;
    public static final double KEY_FORWARDED_TARGET_MS = 15;
    public static final double END_TO_END_TARGET_MS = 200;

    private QueryBench() {
    }

    /** What to load and how hard to query. */
    public record Settings(int reports, Duration caseDuration, int keyRate, int rangeRate, int postsPerSecond,
            int reportsPerPost) {
        public Settings {
            if (reports < 1 || keyRate < 1 || rangeRate < 1 || postsPerSecond < 1 || reportsPerPost < 1
                    || caseDuration.toMillis() < 100) {
                throw new IllegalArgumentException("every count and rate must be >= 1 and a case must last >= 100 ms: "
                        + reports + " reports, " + caseDuration + ", rates " + keyRate + "/" + rangeRate + "/"
                        + postsPerSecond + " x " + reportsPerPost);
            }
        }

        public static Settings defaults() {
            return new Settings(20_000, Duration.ofSeconds(10), 1_000, 200, 20, 100);
        }

        /** Requests of a case at this rate. */
        int requests(int rate) {
            return (int) Math.max(1, rate * caseDuration.toMillis() / 1000);
        }
    }

    /**
     * One case's latencies in milliseconds, measured from each request's due time; for the query cases also the time in
     * the asked instance's route handler ({@code serverP50}, {@code serverP99}: from Javalin's before-handler to its
     * after-handler, so without Jetty's parsing and queueing and without the client) and the CPU the whole JVM spent
     * per request ({@code cpuMicros}, broker, JIT and GC included) and of it the load generator's
     * ({@code loadCpuMicros}); NaN where not measured.
     */
    public record Latency(String name, int rate, long requests, long errors, double p50, double p90, double p99,
            double max, double targetP99, double serverP50, double serverP99, double cpuMicros, double loadCpuMicros) {
        static Latency of(String name, int rate, long requests, long errors, Histogram nanos, double targetP99) {
            return new Latency(name, rate, requests, errors, ms(nanos.getValueAtPercentile(50)),
                    ms(nanos.getValueAtPercentile(90)), ms(nanos.getValueAtPercentile(99)), ms(nanos.getMaxValue()),
                    targetP99, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        Latency withServer(Histogram handlerNanos, CpuUse.Spent cpu) {
            return new Latency(name, rate, requests, errors, p50, p90, p99, max, targetP99,
                    ms(handlerNanos.getValueAtPercentile(50)), ms(handlerNanos.getValueAtPercentile(99)),
                    cpu.totalNanos() / 1e3 / requests, cpu.loadGeneratorNanos() / 1e3 / requests);
        }

        /** True when there is no target or p99 is within it. */
        public boolean met() {
            return Double.isNaN(targetP99) || p99 <= targetP99;
        }
    }

    /**
     * The end-to-end case: reports posted and accepted, reports found in a query of the owner's stores, reports whose
     * wave event arrived, the POST latencies (due time to 202) and the report latencies (202 to queryable, the issue's
     * measure, and 202 to wave event).
     */
    public record EndToEnd(long reportsPosted, long reportsAccepted, long reportsQueried, long reportsSeen, Latency post,
            Latency queryable, Latency visible) {
        /** Accepted reports that never showed up in a query or never in a wave event. */
        public long missing() {
            return 2 * reportsAccepted - reportsQueried - reportsSeen;
        }
    }

    public record Result(int waves, List<Latency> queries, EndToEnd endToEnd) {
    }

    /**
     * Exits with status 0 or 1 itself: Javalin's SSE async pool ({@code JavalinDefaultAsyncThreadPool}, not daemon, not
     * stopped by {@code Javalin.stop()}) would keep the JVM up for its one-minute idle time after everything is closed.
     */
    public static void main(String[] args) {
        Settings defaults = Settings.defaults();
        Settings settings = new Settings(intArg(args, 0, defaults.reports()),
                Duration.ofSeconds(intArg(args, 1, (int) defaults.caseDuration().toSeconds())),
                intArg(args, 2, defaults.keyRate()), intArg(args, 3, defaults.rangeRate()),
                intArg(args, 4, defaults.postsPerSecond()), intArg(args, 5, defaults.reportsPerPost()));
        try (BenchEnvironment env = BenchEnvironment.start()) {
            Result result = run(env, settings, System.out);
            boolean met = result.queries().stream().allMatch(Latency::met) && result.endToEnd().queryable().met();
            System.out.printf(Locale.ROOT, "%nTargets: p99 <= %.0f ms local, <= %.0f ms forwarded (key queries), "
                    + "<= %.0f ms end to end: %s%n", KEY_LOCAL_TARGET_MS, KEY_FORWARDED_TARGET_MS, END_TO_END_TARGET_MS,
                    met ? "met" : "NOT met");
        } catch (Exception e) {
            LOG.error("QueryBench failed", e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static int intArg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index].replace("_", "")) : fallback;
    }

    /** Runs the benchmark on that environment (which must not hold the pipeline's topics yet); prints to {@code out}. */
    public static Result run(BenchEnvironment env, Settings settings, PrintStream out) throws Exception {
        env.createTopics(List.of(BenchEnvironment.topic(Topics.STRIKE_REPORTS, STRIKE_PARTITIONS, true),
                BenchEnvironment.topic(Topics.CASUALTY_REPORTS, 3, true),
                BenchEnvironment.topic(Topics.INGEST_DLQ, 3, false),
                BenchEnvironment.topic(Topics.WAVES, 3, true),
                BenchEnvironment.topic(Topics.STRIKE_TOTALS, 3, true),
                BenchEnvironment.topic(Topics.CASUALTY_TOTALS, 3, true),
                BenchEnvironment.topic(Topics.ALERTS, 3, false)));
        List<StrikeReport> reports = SyntheticStrikes.avro(SyntheticStrikes.inputs(settings.reports(), SEED), Instant.now());
        int expectedWaves = countWaves(reports);

        // The load itself goes through HttpURLConnection (see send); keep one idle connection per sender for reuse.
        System.setProperty("http.maxConnections", Integer.toString(MAX_IN_FLIGHT));
        // Java 17's HttpClient (for /v1/stream) cannot be closed: its threads are ours, and stop with this executor.
        ExecutorService clientThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "bench-http-client");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (Node a = new Node(env, "a"); Node b = new Node(env, "b")) {
            // Both join before any data exists, so the assignment is settled and no state has to move later.
            a.start();
            b.start();
            Awaitility.await("both streams instances RUNNING").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> a.service.isRunning() && b.service.isRunning()
                            && a.service.kafkaStreams().metadataForAllStreamsClients().size() == 2);
            long loading = System.nanoTime();
            StreamsBench.load(env, Topics.STRIKE_REPORTS, reports);
            awaitProcessed(env, a, settings.reports());
            LOG.info("{} reports published and processed in {} ms", reports.size(), (System.nanoTime() - loading) / 1_000_000);

            List<Node> nodes = List.of(a, b);
            Node waveOwner = ownerOf(nodes, WaveStores.WAVES, 0L, new LongSerializer());
            Node totalsOwner = ownerOf(nodes, StrikeTotalsStores.TOTALS, "2020", new StringSerializer());
            List<String> waveIds = waveIds(waveOwner, expectedWaves);
            List<YearMonth> months = months(waveIds);
            out.printf(Locale.ROOT, "QueryBench: %,d strike reports, %,d waves (%s .. %s), %d months; waves on instance %s,"
                            + " strike totals on instance %s; %d s per case after a %d s warm-up%n", reports.size(),
                    waveIds.size(), waveIds.get(0), waveIds.get(waveIds.size() - 1), months.size(), waveOwner.name,
                    totalsOwner.name, settings.caseDuration().toSeconds(), warmUp(settings).toSeconds());

            double loadBefore = loadAverage();
            SplittableRandom random = new SplittableRandom(SEED);
            List<QueryCase> cases = new ArrayList<>();
            for (boolean local : List.of(true, false)) {
                Node target = local ? waveOwner : other(nodes, waveOwner);
                cases.add(new QueryCase("GET /v1/waves/{id} " + (local ? "local" : "forwarded"), target, settings.keyRate(),
                        local ? KEY_LOCAL_TARGET_MS : KEY_FORWARDED_TARGET_MS,
                        () -> target.url() + "/v1/waves/" + waveIds.get(random.nextInt(waveIds.size()))));
            }
            for (boolean local : List.of(true, false)) {
                Node target = local ? waveOwner : other(nodes, waveOwner);
                cases.add(new QueryCase("GET /v1/waves?from&to&limit=100 " + (local ? "local" : "forwarded"), target,
                        settings.rangeRate(), Double.NaN, () -> {
                            YearMonth month = months.get(random.nextInt(months.size()));
                            return target.url() + "/v1/waves?from=" + month.atDay(1) + "&to=" + month.atEndOfMonth()
                                    + "&limit=100";
                        }));
            }
            for (boolean local : List.of(true, false)) {
                Node target = local ? totalsOwner : other(nodes, totalsOwner);
                cases.add(new QueryCase("GET /v1/totals/strikes?granularity=day " + (local ? "local" : "forwarded"),
                        target, settings.rangeRate(), Double.NaN, () -> {
                            YearMonth month = months.get(random.nextInt(months.size()));
                            return target.url() + "/v1/totals/strikes?granularity=day&from=" + month.atDay(1) + "&to="
                                    + month.atEndOfMonth();
                        }));
            }
            // Every path warmed up once before any is measured: without it, the first case measured after the load
            // showed stalls the later ones did not. (Whichever key case is measured first still has the longer tail,
            // also after a full unmeasured run of every case; GC pauses stay under 30 ms. Not explained yet.)
            for (QueryCase query : cases) {
                openLoopGet(query, settings, false);
            }
            List<Latency> queries = new ArrayList<>();
            for (QueryCase query : cases) {
                queries.add(openLoopGet(query, settings, true));
            }
            printQueries(queries, out);

            EndToEnd endToEnd = endToEnd(client, a, waveOwner, settings);
            printEndToEnd(endToEnd, settings, out);
            // The machine is shared: the load says whether other work competed with the bench for the CPUs.
            out.printf(Locale.ROOT, "%nMachine: %d CPUs, load average %.2f before the cases, %.2f after (1 min); JVM %s %s%n",
                    Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
                    System.getProperty("java.vm.version"),
                    String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
            return new Result(waveIds.size(), queries, endToEnd);
        } finally {
            clientThreads.shutdownNow();
        }
    }

    // ---- the stack ----

    /**
     * One application instance as the demo wires it (DemoStack, which bench may not depend on): a {@link StreamsService}
     * whose {@code application.server} is the port of an {@link IngestServer} that also serves the {@link QueryApi} and
     * {@link StreamEvents}. The port is picked before the service is built because Kafka Streams needs it in its config.
     */
    private static final class Node implements AutoCloseable {
        final String name;
        final int port;
        final StreamsService service;
        private final List<AutoCloseable> closeInReverse = new ArrayList<>();
        private StreamEvents events;
        private IngestServer http;
        /** Route handler times (ns) of the requests from the load, since the last reset. */
        final Histogram handlerTimes = new ConcurrentHistogram(3);
        private static final String HANDLER_START = "bench.handlerStart";

        Node(BenchEnvironment env, String name) {
            this.name = name;
            this.port = freePort();
            String applicationServer = "127.0.0.1:" + port;
            try {
                HttpSchemaRegistryClient registryClient = register(new HttpSchemaRegistryClient(env.registryUrl()));
                PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                Path stateDir = env.workDir().resolve("streams-state").resolve(name);
                this.service = register(new StreamsService(StreamsSettings.of(APPLICATION_ID, env.bootstrapServers())
                        .withStateDir(stateDir.toString())
                        .withApplicationServer(applicationServer)
                        .withOverrides(overrides()),
                        TopologySettings.defaults(new TopicSerdes(registryClient, true), meters)));
                QueryApi queries = QueryApi.create(service, QueryLocator.Settings.defaults(applicationServer));
                // A deeper client queue than the default 256: the bench's one client must not be dropped for lagging
                // behind a burst of 2,000 reports/s (the stream's own back-pressure is not what is measured here).
                this.events = register(StreamEvents.start(StreamEvents.Settings.of(env.bootstrapServers(), Topics.WAVES,
                        Topics.STRIKE_TOTALS, Topics.CASUALTY_TOTALS, null).withQueues(1_000, 65_536),
                        new TopicSerdes(registryClient, false)));
                IngestConfig config = IngestConfig.builder().bootstrapServers(env.bootstrapServers())
                        .schemaRegistryUrl(env.registryUrl()).host("127.0.0.1").port(port).build();
                this.http = register(IngestServer.start(config, meters, app -> {
                    timeHandlers(app);
                    queries.register(app);
                    events.register(app);
                }, () -> new Readiness(service.isRunning(), "streams " + service.state())));
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }

        /** No standby, so one instance must forward; then any {@code -Dbench.streams.<name>} (see StreamsBench). */
        /**
         * Times the query routes inside the server, for requests from the load (not those forwarded by the other
         * instance): from Javalin's before-handler to its after-handler.
         */
        private void timeHandlers(Javalin app) {
            app.before("/v1/*", ctx -> {
                if (ctx.method() == HandlerType.GET && ctx.header(QueryLocator.FORWARDED_BY_HEADER) == null
                        && !ctx.path().equals(StreamEvents.PATH)) {
                    ctx.attribute(HANDLER_START, System.nanoTime());
                }
            });
            app.after("/v1/*", ctx -> {
                Long start = ctx.attribute(HANDLER_START);
                if (start != null) {
                    handlerTimes.recordValue(System.nanoTime() - start);
                }
            });
        }

        private static Map<String, Object> overrides() {
            Map<String, Object> overrides = new HashMap<>(StreamsBench.overrides());
            overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
            return overrides;
        }

        private <T extends AutoCloseable> T register(T closeable) {
            closeInReverse.add(0, closeable);
            return closeable;
        }

        void start() {
            service.start();
        }

        String url() {
            return http.url();
        }

        boolean streaming() {
            return events.isReading();
        }

        int streamClients() {
            return events.clientCount();
        }

        @Override
        public void close() {
            for (AutoCloseable closeable : closeInReverse) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing {} of instance {} failed: {}", closeable.getClass().getSimpleName(), name, e.toString());
                }
            }
            closeInReverse.clear();
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port for an instance's HTTP server", e);
            }
        }
    }

    /** Waits until the group committed every report and the repartitioned records behind them. */
    private static void awaitProcessed(BenchEnvironment env, Node node, int reports) throws Exception {
        Map<TopicPartition, Long> inputEnd = StreamsBench.endOffsets(env.admin(),
                StreamsBench.partitionsOf(env.admin(), Topics.STRIKE_REPORTS),
                IsolationLevel.READ_UNCOMMITTED);
        long total = inputEnd.values().stream().mapToLong(Long::longValue).sum();
        if (total != reports) {
            throw new IllegalStateException(Topics.STRIKE_REPORTS + " holds " + total + " records, expected " + reports);
        }
        try (StreamsProgress.CaughtUpProbe probe = new StreamsProgress.CaughtUpProbe(env.bootstrapServers(), APPLICATION_ID,
                node.service.topology())) {
            Awaitility.await("the instances to commit all " + reports + " reports").atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("Kafka Streams stopped", () -> node.service.state() == KafkaStreams.State.ERROR
                            || node.service.state() == KafkaStreams.State.NOT_RUNNING)
                    .until(probe::caughtUp);
        }
    }

    /** The instance holding the active copy of the store partition of that key. */
    private static <K> Node ownerOf(List<Node> nodes, String store, K key,
            Serializer<K> serializer) {
        HostInfo active = nodes.get(0).service.kafkaStreams().queryMetadataForKey(store, key, serializer).activeHost();
        return nodes.stream().filter(node -> node.port == active.port()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance holds " + store + ": active host " + active));
    }

    private static Node other(List<Node> nodes, Node node) {
        return nodes.get(0) == node ? nodes.get(1) : nodes.get(0);
    }

    /**
     * Waves as the topology counts them: time-window reports whose windows lie at most the wave gap apart, transitively.
     * The synthetic slots are more than the gap apart, so this is exact for them.
     */
    static int countWaves(List<StrikeReport> reports) {
        List<StrikeReport> timed = reports.stream().filter(r -> r.getTimePrecision() == TimePrecision.MINUTE)
                .sorted(Comparator.comparing(StrikeReport::getTimeStart)).toList();
        int waves = 0;
        Instant waveEnd = Instant.MIN;
        for (StrikeReport report : timed) {
            if (waves == 0 || report.getTimeStart().isAfter(waveEnd.plus(TopologySettings.DEFAULT_WAVE_GAP))) {
                waves++;
                waveEnd = report.getTimeEnd();
            } else if (report.getTimeEnd().isAfter(waveEnd)) {
                waveEnd = report.getTimeEnd();
            }
        }
        return waves;
    }

    /** The ids of the waves in the owner's store, oldest first; fails unless there are as many as the reports make. */
    private static List<String> waveIds(Node owner, int expected) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Long, WaveSummary> it = owner.service.waves().all()) {
            while (it.hasNext()) {
                KeyValue<Long, WaveSummary> next = it.next();
                if (next.value != null) {
                    ids.add(next.value.getId());
                }
            }
        }
        if (ids.size() != expected) {
            throw new IllegalStateException("the waves store holds " + ids.size() + " waves, the reports make " + expected);
        }
        return ids;
    }

    /** The Kyiv months in which waves start. */
    private static List<YearMonth> months(List<String> waveIds) {
        TreeSet<YearMonth> months = new TreeSet<>();
        waveIds.forEach(id -> months.add(YearMonth.from(Instant.parse(id).atZone(KyivTime.ZONE))));
        return List.copyOf(months);
    }

    private static Duration warmUp(Settings settings) {
        return settings.caseDuration().dividedBy(5);
    }

    // ---- open-loop load ----

    /** A query case: its name, the instance asked, rate, p99 target (NaN: none) and the URL of each next request. */
    private record QueryCase(String name, Node target, int rate, double targetP99, Supplier<String> url) {
    }

    /** The case's warm-up (a fifth of its time, not counted), then, if {@code measure}, the case itself. */
    private static Latency openLoopGet(QueryCase query, Settings settings, boolean measure)
            throws InterruptedException {
        Supplier<Call> request = () -> Call.get(query.url().get());
        Predicate<Answer> ok = response -> response.status() == 200;
        int warmUpRequests = (int) Math.max(1, query.rate() * warmUp(settings).toMillis() / 1000);
        openLoop(query.name() + " (warm-up)", query.rate(), warmUpRequests, request, ok);
        if (!measure) {
            return null;
        }
        query.target().handlerTimes.reset();
        CpuUse cpu = CpuUse.start();
        Load load = openLoop(query.name(), query.rate(), settings.requests(query.rate()), request, ok);
        Latency latency = Latency.of(query.name(), query.rate(), load.requests(), load.errors(), load.latencies(),
                query.targetP99()).withServer(query.target().handlerTimes, cpu.spent());
        LOG.info("{}", latency);
        return latency;
    }

    private record Load(long requests, long errors, Histogram latencies) {
    }

    /**
     * Sends {@code count} requests, request i due at {@code start + i / rate}, without waiting for answers; a latency
     * runs from the due time to the answer. At most {@link #MAX_IN_FLIGHT} requests are open at once (as wrk2's fixed
     * connections): past that an overloaded server would get a new connection per request, thousands of them, until
     * the JVM runs out of file descriptors (and the broker in it with it). Waits for every answer (or its timeout).
     *
     * <p>Each request is a blocking {@link #send} on one of {@link #MAX_IN_FLIGHT} sender threads. Not
     * java.net.http: its {@code sendAsync} completes its future through {@code CompletableFuture}'s default executor,
     * which on fewer than 3 CPUs is a new thread per task (on this 2-core machine one thread started per request,
     * 28,000 in a run), and even its blocking {@code send} hands each exchange between the caller, a selector thread
     * and an executor thread; in a profile the load generator then used more CPU than the two servers it measured.
     */
    private static Load openLoop(String name, int rate, int count, Supplier<Call> requests, Predicate<Answer> ok)
            throws InterruptedException {
        Histogram latencies = new ConcurrentHistogram(3);
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        CountDownLatch answered = new CountDownLatch(count);
        double intervalNanos = 1e9 / rate;
        ExecutorService senders = Executors.newFixedThreadPool(MAX_IN_FLIGHT, runnable -> {
            Thread thread = new Thread(runnable, "bench-load-sender");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + Math.round(i * intervalNanos);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                inFlight.acquire(); // a request that waits here is late, and its latency still counts from its due time
                Call request = requests.get();
                senders.execute(() -> {
                    Answer response = null;
                    Exception failure = null;
                    try {
                        response = send(request);
                    } catch (IOException e) {
                        failure = e;
                    }
                    latencies.recordValue(Math.max(0, System.nanoTime() - due));
                    inFlight.release();
                    boolean good;
                    try {
                        good = failure == null && ok.test(response);
                    } catch (RuntimeException e) {
                        good = false;
                    }
                    if (!good && errors.incrementAndGet() <= 3) {
                        LOG.warn("{}: {} failed: {}", name, request.url(), failure != null ? failure.toString()
                                : response.status() + " " + abbreviate(response.body()));
                    }
                    answered.countDown();
                });
            }
            if (!answered.await(REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": " + answered.getCount() + " of " + count + " requests never ended");
            }
        } finally {
            senders.shutdownNow();
        }
        return new Load(count, errors.get(), latencies);
    }

    /** One request of a load: GET, or POST of a JSON body. */
    private record Call(String url, String jsonBody) {
        static Call get(String url) {
            return new Call(url, null);
        }

        static Call postJson(String url, String body) {
            return new Call(url, body);
        }
    }

    /** An answer's status and body. */
    private record Answer(int status, String body) {
    }

    /**
     * One request on the sender's thread: HttpURLConnection keeps the connection alive for the next request once the
     * body is read to its end and closed (up to {@code http.maxConnections} idle connections, set in {@link #run}).
     */
    private static Answer send(Call call) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(call.url()).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
        if (call.jsonBody() != null) {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream body = connection.getOutputStream()) {
                body.write(call.jsonBody().getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return new Answer(status, "");
        }
        try (stream) {
            return new Answer(status, new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * CPU time spent by the JVM from {@link #start} on: the whole process (broker, both instances, JIT and GC
     * included) and of it the load generator's threads (the senders, named {@code bench-*}, and the one that paces
     * them). Threads that ended in between are missing from the split, not from the total.
     */
    private record CpuUse(long processNanos, long loadGeneratorNanos) {
        record Spent(long totalNanos, long loadGeneratorNanos) {
        }

        static CpuUse start() {
            return new CpuUse(BenchEnvironment.processCpuNanos(), loadGeneratorCpuNanos());
        }

        Spent spent() {
            return new Spent(BenchEnvironment.processCpuNanos() - processNanos, loadGeneratorCpuNanos() - loadGeneratorNanos);
        }

        private static long loadGeneratorCpuNanos() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long pacer = Thread.currentThread().getId();
            long sum = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && (info.getThreadId() == pacer || info.getThreadName().startsWith("bench-load-"))) {
                    sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            return sum;
        }
    }

    // ---- end to end ----

    /**
     * Posts batches of new time-window reports (so each joins or forms a wave) at a fixed rate to one instance, and
     * listens on that instance's {@code /v1/stream} for the wave events that list them.
     */
    private static EndToEnd endToEnd(HttpClient client, Node node, Node owner, Settings settings) throws Exception {
        int posts = settings.requests(settings.postsPerSecond());
        int perPost = settings.reportsPerPost();
        List<StrikeReportInput> fresh = SyntheticStrikes.inputs((int) Math.ceil(posts * perPost / SyntheticStrikes.MINUTE_SHARE)
                + 100, SEED + 7).stream().filter(input -> input.timePrecision() == TimePrecision.MINUTE).toList();
        if (fresh.size() < posts * perPost) {
            throw new IllegalStateException("generated " + fresh.size() + " time-window reports, need " + posts * perPost);
        }
        ObjectWriter writer = IngestJson.mapper().copy().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                .writerFor(IngestJson.mapper().getTypeFactory().constructCollectionType(List.class, StrikeReportInput.class));
        List<String> bodies = new ArrayList<>(posts);
        for (int p = 0; p < posts; p++) {
            bodies.add(writer.writeValueAsString(fresh.subList(p * perPost, (p + 1) * perPost)));
        }

        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        Map<String, Long> queryableAt = new ConcurrentHashMap<>();
        try (WaveEventListener listener = WaveEventListener.open(client, node, seenAt);
                QueryablePoller poller = QueryablePoller.start(owner.service, queryableAt)) {
            int[] next = {0};
            Supplier<Call> request = () -> Call.postJson(node.url() + "/v1/strikes", bodies.get(next[0]++));
            Predicate<Answer> accepted = response -> {
                long now = System.nanoTime();
                if (response.status() != 202) {
                    return false;
                }
                try {
                    JsonNode ids = JSON.readTree(response.body()).path("ids");
                    ids.forEach(id -> acceptedAt.put(id.asText(), now));
                    ids.forEach(id -> poller.watch(id.asText()));
                    return ids.size() == perPost;
                } catch (IOException e) {
                    throw new UncheckedIOException("the 202 of POST /v1/strikes is not JSON: " + abbreviate(response.body()), e);
                }
            };
            Load load = openLoop("POST /v1/strikes", settings.postsPerSecond(), posts, request, accepted);
            Latency post = Latency.of("POST /v1/strikes x" + perPost + " (to 202)", settings.postsPerSecond(),
                    load.requests(), load.errors(), load.latencies(), Double.NaN);

            // Every accepted report must show up in a wave event; past the deadline the rest count as missing.
            try {
                Awaitility.await("wave events of all accepted reports").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> listener.failure() != null || poller.failure() != null
                                || seenAt.keySet().containsAll(acceptedAt.keySet())
                                && queryableAt.keySet().containsAll(acceptedAt.keySet()));
            } catch (ConditionTimeoutException e) {
                LOG.warn("Not every accepted report showed up in a query and in a wave event within 60 s");
            }
            if (listener.failure() != null) {
                throw new IllegalStateException("the event stream failed", listener.failure());
            }
            if (poller.failure() != null) {
                throw new IllegalStateException("the store queries failed", poller.failure());
            }
            int offered = settings.postsPerSecond() * perPost;
            Latency queryable = latencySinceAccepted("202 to queryable (GET on the owner)", offered, acceptedAt,
                    queryableAt, END_TO_END_TARGET_MS);
            // No target: a downstream consumer waits for one more exactly-once commit than a query does.
            Latency visible = latencySinceAccepted("202 to wave event on /v1/stream", offered, acceptedAt, seenAt,
                    Double.NaN);
            LOG.info("End to end: {}; {}; {}", post, queryable, visible);
            return new EndToEnd((long) posts * perPost, acceptedAt.size(), acceptedAt.size() - queryable.errors(),
                    acceptedAt.size() - visible.errors(), post, queryable, visible);
        }
    }

    /** Per accepted report, the time from its 202 to when it was observed; a report never observed counts as an error. */
    private static Latency latencySinceAccepted(String name, int rate, Map<String, Long> acceptedAt,
            Map<String, Long> observedAt, double targetP99) {
        Histogram latencies = new Histogram(3);
        long observed = 0;
        for (Map.Entry<String, Long> accept : acceptedAt.entrySet()) {
            Long at = observedAt.get(accept.getKey());
            if (at != null) {
                observed++;
                // it may be observed before the 202 is read: the write is visible by then, so that counts as 0
                latencies.recordValue(Math.max(0, at - accept.getValue()));
            }
        }
        return Latency.of(name, rate, acceptedAt.size(), acceptedAt.size() - observed, latencies, targetP99);
    }

    /**
     * Notes, per report id, when a query on the instance that owns the stores first shows it in a wave: what
     * {@code GET /v1/waves/{id}} and {@code GET /v1/waves?from&to} there answer (the same interactive query, without the
     * HTTP round trip, which the key-query cases measure). Kafka Streams has no store-change callback, so it polls every
     * {@link #INTERVAL}: a lookup by id in the reports store (a cheap point read), and once the report is there, the wave
     * at or before its start must list it (the upsert and the wave merger run in one processing step of one task, so the
     * wave follows within microseconds).
     *
     * <p>Which ids a pass reads: per input partition (the producer's partitioner: murmur2 of the key), the pending ids in
     * the order they were accepted, up to the first {@link #MISSES} not yet queryable. The reports of one partition are
     * screened, repartitioned and aggregated in order, so those misses stand for the rest of that partition; reading
     * every pending id each pass made the poller's own cost grow with any backlog (64,000 store reads a second, a third
     * of a core taken from the topology on two cores). An id that became queryable behind more than {@code MISSES}
     * slower ones of its partition (concurrent POSTs acknowledged out of order) is noted when they are: a figure can
     * only come out late, never early.
     */
    private static final class QueryablePoller implements AutoCloseable {
        static final Duration INTERVAL = Duration.ofMillis(2);
        /** Ids of a partition not yet queryable after which a pass goes on with the next partition. */
        static final int MISSES = 2;
        private final StreamsService owner;
        private final Map<String, Long> queryableAt;
        private final ConcurrentLinkedQueue<String> watched = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean closing;
        private volatile Exception failure;

        private QueryablePoller(StreamsService owner, Map<String, Long> queryableAt) {
            this.owner = owner;
            this.queryableAt = queryableAt;
            this.thread = new Thread(this::poll, "bench-query-poller");
            this.thread.setDaemon(true);
        }

        static QueryablePoller start(StreamsService owner, Map<String, Long> queryableAt) {
            QueryablePoller poller = new QueryablePoller(owner, queryableAt);
            poller.thread.start();
            return poller;
        }

        void watch(String reportId) {
            watched.add(reportId);
        }

        Exception failure() {
            return failure;
        }

        private void poll() {
            Map<Integer, List<String>> pending = new TreeMap<>(); // input partition -> ids in the order accepted
            try {
                // Views made once (KafkaStreams.store() takes the instance's lock and builds a new view on every call);
                // a view finds its store on every read, and the bench's assignment does not change.
                ReadOnlyKeyValueStore<String, StrikeReport> reports = owner.strikeReports();
                ReadOnlyKeyValueStore<Long, WaveSummary> waves = owner.waves();
                while (!closing) {
                    for (String id = watched.poll(); id != null; id = watched.poll()) {
                        pending.computeIfAbsent(partitionOf(id), p -> new ArrayList<>()).add(id);
                    }
                    for (List<String> ids : pending.values()) {
                        int misses = 0;
                        boolean found = false;
                        for (int i = 0; i < ids.size() && misses < MISSES; i++) {
                            StrikeReport report = reports.get(ids.get(i));
                            if (report != null && inItsWave(waves, report)) {
                                queryableAt.putIfAbsent(ids.get(i), System.nanoTime());
                                ids.set(i, null);
                                found = true;
                            } else {
                                misses++;
                            }
                        }
                        if (found) {
                            ids.removeIf(Objects::isNull);
                        }
                    }
                    LockSupport.parkNanos(INTERVAL.toNanos());
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /** The partition of {@value Topics#STRIKE_REPORTS} the ingest producer's partitioner picks for this key. */
        private static int partitionOf(String reportId) {
            return Utils.toPositive(Utils.murmur2(reportId.getBytes(StandardCharsets.UTF_8))) % STRIKE_PARTITIONS;
        }

        private static boolean inItsWave(ReadOnlyKeyValueStore<Long, WaveSummary> waves,
                StrikeReport report) {
            try (KeyValueIterator<Long, WaveSummary> it = waves.reverseRange(null, report.getTimeStart().toEpochMilli())) {
                return it.hasNext() && it.next().value.getReportIds().contains(report.getId());
            }
        }

        @Override
        public void close() throws InterruptedException {
            closing = true;
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /**
     * Reads {@code /v1/stream} on a thread of its own and notes, per report id, when the first {@code wave} event that
     * lists it arrived. (Hand-written: an SSE event is lines of {@code event:} and {@code data:} ended by a blank line;
     * a client library would add a dependency for that.)
     */
    private static final class WaveEventListener implements AutoCloseable {
        private final InputStream body;
        private final Thread reader;
        private volatile Exception failure;
        private volatile boolean closing;

        private WaveEventListener(InputStream body, Map<String, Long> seenAt) {
            this.body = body;
            this.reader = new Thread(() -> read(seenAt), "bench-sse-reader");
            this.reader.setDaemon(true);
        }

        static WaveEventListener open(HttpClient client, Node node, Map<String, Long> seenAt) throws Exception {
            Awaitility.await("the event stream to read its topics").atMost(START_TIMEOUT).until(node::streaming);
            int before = node.streamClients();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(node.url() + StreamEvents.PATH))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IllegalStateException("GET " + StreamEvents.PATH + " answered " + response.statusCode());
            }
            WaveEventListener listener = new WaveEventListener(response.body(), seenAt);
            listener.reader.start();
            Awaitility.await("the bench's stream client to be registered").atMost(Duration.ofSeconds(10))
                    .until(() -> node.streamClients() > before);
            return listener;
        }

        private void read(Map<String, Long> seenAt) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String event = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("event:")) {
                        event = line.substring("event:".length()).trim();
                    } else if (line.startsWith("data:") && "wave".equals(event)) {
                        long now = System.nanoTime();
                        for (JsonNode id : JSON.readTree(line.substring("data:".length())).path("reportIds")) {
                            seenAt.putIfAbsent(id.asText(), now);
                        }
                    } else if (line.isEmpty()) {
                        event = null;
                    }
                }
            } catch (IOException e) {
                if (!closing) {
                    failure = e;
                }
            }
        }

        Exception failure() {
            return failure;
        }

        @Override
        public void close() throws IOException {
            closing = true;
            body.close();
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- printing ----

    private static void printQueries(List<Latency> queries, PrintStream out) {
        Table table = new Table("query", "req/s", "requests", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 target",
                "in server p50 ms", "in server p99 ms", "JVM CPU us/req", "of it load gen.");
        for (Latency latency : queries) {
            table.row(latency.name(), Integer.toString(latency.rate()), Long.toString(latency.requests()),
                    Long.toString(latency.errors()), latency.p50(), latency.p90(), latency.p99(), latency.max(),
                    target(latency), latency.serverP50(), latency.serverP99(), latency.cpuMicros(),
                    latency.loadCpuMicros());
        }
        out.println();
        table.print(out);
        out.println("(p50..max: from each request's due time to its answer at the load generator; in server: the asked"
                + " instance's route handler, forwarding included; CPU: the whole JVM's, broker, JIT and GC included)");
    }

    private static void printEndToEnd(EndToEnd endToEnd, Settings settings, PrintStream out) {
        out.printf(Locale.ROOT, "%nEnd to end: %,d reports offered at %,d/s (%d POSTs/s of %d reports), %,d accepted, "
                        + "%,d queryable, %,d seen in a wave event%n", endToEnd.reportsPosted(),
                settings.postsPerSecond() * settings.reportsPerPost(), settings.postsPerSecond(), settings.reportsPerPost(),
                endToEnd.reportsAccepted(), endToEnd.reportsQueried(), endToEnd.reportsSeen());
        Table table = new Table("step", "count", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 target");
        for (Latency latency : List.of(endToEnd.post(), endToEnd.queryable(), endToEnd.visible())) {
            table.row(latency.name(), Long.toString(latency.requests()), Long.toString(latency.errors()), latency.p50(),
                    latency.p90(), latency.p99(), latency.max(), target(latency));
        }
        table.print(out);
    }

    private static String target(Latency latency) {
        if (Double.isNaN(latency.targetP99())) {
            return "-";
        }
        return String.format(Locale.ROOT, "<= %.0f %s", latency.targetP99(), latency.met() ? "met" : "NOT met");
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? String.valueOf(text) : text.substring(0, 200) + "...";
    }
}
