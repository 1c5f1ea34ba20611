package io.conflictmon.streams.query;

import static io.conflictmon.streams.query.QueryTestData.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.streams.alerts.AlertRule;
import io.conflictmon.streams.alerts.AlertRules;
import io.conflictmon.streams.alerts.AlertRulesLoader;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.query.QueryParams.Granularity;
import io.conflictmon.streams.query.QueryTestData.Answer;
import io.conflictmon.streams.testing.AlertLog;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The query API over HTTP against one real streams instance (in-process broker, embedded registry, RocksDB stores,
 * exactly-once): every route's answer is checked against what the piped reports add up to, and every bad request
 * against its 400/404. One instance is shared by the whole class.
 */
class QueryApiBrokerTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static EmbeddedSchemaRegistry registry;
  private static HttpSchemaRegistryClient registryClient;
  private static QueryNode node;
  @TempDir
  static Path stateDir;

  @BeforeAll
  static void startInstanceAndPipeReports() throws Exception {
    registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
    registryClient = registry.newClient();
    TopicSerdes serdes = new TopicSerdes(registryClient, true);
    List<String> topics = QueryTestData.createTopics(KAFKA.broker());
    TopologySettings topology = TopologySettings.defaults(serdes, new SimpleMeterRegistry())
        .withTopics(topics.get(0), topics.get(1), topics.get(2), topics.get(3), topics.get(4), topics.get(5), topics.get(6));
    StreamsSettings settings = StreamsSettings.of(KafkaBrokerExtension.uniqueTopic("query-app"), KAFKA.bootstrapServers())
        .withStateDir(stateDir.toString());
    node = new QueryNode(settings, topology, 1_000);
    node.start();
    await().atMost(Duration.ofSeconds(60)).until(node.service::isRunning);
    QueryTestData.publish(KAFKA.broker(), serdes, topics.get(0), topics.get(1));
    // Everything piped is counted once the last wave has all its reports and 2025 has its comparison.
    Map<String, ExpectedWave> waves = QueryTestData.expectedWaves();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      Answer all = get(node.url() + "/v1/waves");
      assertThat(all.status()).isEqualTo(200);
      List<Integer> counts = new ArrayList<>();
      all.json().get("waves").forEach(w -> counts.add(w.get("reportCount").asInt()));
      assertThat(counts).isEqualTo(waves.values().stream().map(w -> w.reportIds().size()).toList());
      assertThat(get(node.url() + "/v1/casualties/yoy?year=2025").json().path("previousTotal").isNumber()).isTrue();
      assertThat(get(node.url() + "/v1/totals/strikes?granularity=year").json().path("totals").path(0)
          .path("reportCount").asInt()).isEqualTo(QueryTestData.STRIKES.size());
      assertThat(get(node.url() + "/v1/casualties/totals?year=2026").json().path("totals").path(0)
          .path("monthsCovered").asInt()).isEqualTo(2);
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (registryClient != null) {
      registryClient.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void listsWavesOldestFirstWithTheirFullShape() {
    List<ExpectedWave> expected = List.copyOf(QueryTestData.expectedWaves().values());
    Answer answer = get(node.url() + "/v1/waves");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    JsonNode waves = answer.json().get("waves");
    assertThat(waves).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertWave(waves.get(i), expected.get(i));
    }
  }

  @Test
  void waveByIdAndLatest() {
    List<ExpectedWave> expected = List.copyOf(QueryTestData.expectedWaves().values());
    ExpectedWave first = expected.get(0);

    Answer byId = get(node.url() + "/v1/waves/" + first.id());
    assertThat(byId.status()).isEqualTo(200);
    assertWave(byId.json(), first);

    Answer latest = get(node.url() + "/v1/waves/latest");
    assertThat(latest.status()).isEqualTo(200);
    assertWave(latest.json(), expected.get(expected.size() - 1));
  }

  static Stream<Arguments> waveRanges() {
    List<ExpectedWave> waves = List.copyOf(QueryTestData.expectedWaves().values());
    ExpectedWave first = waves.get(0);
    ExpectedWave second = waves.get(1);
    return Stream.of(
        Arguments.of("limit=1", List.of(first.id())),
        Arguments.of("from=" + second.id(), List.of(second.id())),
        Arguments.of("to=" + first.id(), List.of(first.id())),
        // Kyiv dates: the first wave starts on the evening of 8 January.
        Arguments.of("from=2026-01-08&to=2026-01-08", List.of(first.id())),
        Arguments.of("from=2026-01-09&to=2026-01-31", List.of(second.id())),
        Arguments.of("from=2026-01-08T17:00:00%2B02:00&limit=1000", List.of(first.id(), second.id())),
        Arguments.of("from=2026-02-01", List.of()));
  }

  @ParameterizedTest(name = "/v1/waves?{0}")
  @MethodSource("waveRanges")
  void filtersWavesByStartAndLimit(String query, List<String> expectedIds) {
    Answer answer = get(node.url() + "/v1/waves?" + query);

    assertThat(answer.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    answer.json().get("waves").forEach(w -> ids.add(w.get("id").asText()));
    assertThat(ids).isEqualTo(expectedIds);
  }

  static Stream<Arguments> strikeTotals() {
    return Stream.of(
        Arguments.of(Granularity.DAY, "granularity=day", null, null),
        Arguments.of(Granularity.DAY, "", null, null), // day is the default
        Arguments.of(Granularity.DAY, "granularity=day&from=2026-01-10&to=2026-01-31", "2026-01-10", "2026-01-31"),
        Arguments.of(Granularity.MONTH, "granularity=month&from=2026-02", "2026-02", null),
        Arguments.of(Granularity.MONTH, "granularity=month&to=2026-01-15", null, "2026-01"),
        Arguments.of(Granularity.YEAR, "granularity=YEAR&from=2026&to=2026", "2026", "2026"));
  }

  @ParameterizedTest(name = "/v1/totals/strikes?{1}")
  @MethodSource("strikeTotals")
  void totalsPerPeriod(Granularity granularity, String query, String fromKey, String toKey) {
    Map<String, Long> expected = new TreeMap<>(QueryTestData.expectedDrones(granularity));
    expected.keySet().removeIf(period -> (fromKey != null && period.compareTo(fromKey) < 0)
        || (toKey != null && period.compareTo(toKey) > 0));

    Answer answer = get(node.url() + "/v1/totals/strikes?" + query);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("granularity").asText()).isEqualTo(granularity.value());
    Map<String, Long> drones = new TreeMap<>();
    List<String> order = new ArrayList<>();
    answer.json().get("totals").forEach(t -> {
      drones.put(t.get("period").asText(), t.get("drones").asLong());
      order.add(t.get("period").asText());
      assertThat(t.get("granularity").asText()).isEqualTo(granularity.name());
    });
    assertThat(drones).isEqualTo(expected);
    assertThat(order).isSorted();
  }

  @Test
  void yearOnYearAsDesignShowsIt() {
    CasualtyReport y2025 = QueryTestData.casualtyYear(2025);
    CasualtyReport y2024 = QueryTestData.casualtyYear(2024);
    long total = y2025.getKilled() + y2025.getInjured();
    long previous = y2024.getKilled() + y2024.getInjured();

    for (String query : List.of("year=2025", "year=2025&source=ohchr")) {
      Answer answer = get(node.url() + "/v1/casualties/yoy?" + query);
      assertThat(answer.status()).isEqualTo(200);
      JsonNode yoy = answer.json();
      assertThat(yoy.get("source").asText()).isEqualTo("ohchr");
      assertThat(yoy.get("year").asInt()).isEqualTo(2025);
      assertThat(yoy.get("killed").asLong()).isEqualTo(y2025.getKilled());
      assertThat(yoy.get("injured").asLong()).isEqualTo(y2025.getInjured());
      assertThat(yoy.get("total").asLong()).isEqualTo(total);
      assertThat(yoy.get("previousTotal").asLong()).isEqualTo(previous);
      assertThat(yoy.get("increasePct").asDouble()).isEqualTo(QueryTestData.round2(100.0 * (total - previous) / previous));
      assertThat(yoy.get("killedIncreasePct").asDouble()).isEqualTo(
          QueryTestData.round2(100.0 * (y2025.getKilled() - y2024.getKilled()) / y2024.getKilled()));
      assertThat(yoy.get("injuredIncreasePct").asDouble()).isEqualTo(
          QueryTestData.round2(100.0 * (y2025.getInjured() - y2024.getInjured()) / y2024.getInjured()));
      assertThat(yoy.get("complete").asBoolean()).isTrue();
      assertThat(yoy.get("basis").asText()).isEqualTo("FULL_YEAR");
    }
  }

  @Test
  void casualtyTotalsPerYearAndPerMonthOfAYear() {
    Answer years = get(node.url() + "/v1/casualties/totals");
    assertThat(years.status()).isEqualTo(200);
    assertThat(years.json().get("source").asText()).isEqualTo("ohchr");
    List<Integer> listedYears = new ArrayList<>();
    years.json().get("totals").forEach(t -> {
      listedYears.add(t.get("year").asInt());
      assertThat(t.get("month").isNull()).isTrue();
    });
    assertThat(listedYears).containsExactly(2024, 2025, 2026);
    JsonNode y2025 = years.json().get("totals").get(1);
    CasualtyReport report2025 = QueryTestData.casualtyYear(2025);
    assertThat(y2025.get("total").asLong()).isEqualTo(report2025.getKilled() + report2025.getInjured());

    List<CasualtyReport> months2026 = QueryTestData.CASUALTIES.stream()
        .filter(r -> r.getPeriodStart().getYear() == 2026).toList();
    Answer year2026 = get(node.url() + "/v1/casualties/totals?source=ohchr&year=2026");
    assertThat(year2026.status()).isEqualTo(200);
    JsonNode totals = year2026.json().get("totals");
    assertThat(totals).hasSize(1 + months2026.size());
    assertThat(totals.get(0).get("month").isNull()).isTrue();
    assertThat(totals.get(0).get("killed").asLong()).isEqualTo(months2026.stream().mapToLong(CasualtyReport::getKilled).sum());
    for (int i = 0; i < months2026.size(); i++) {
      assertThat(totals.get(i + 1).get("month").asInt()).isEqualTo(months2026.get(i).getPeriodStart().getMonthValue());
      assertThat(totals.get(i + 1).get("injured").asLong()).isEqualTo(months2026.get(i).getInjured());
    }

    Answer unknownSource = get(node.url() + "/v1/casualties/totals?source=acled");
    assertThat(unknownSource.status()).isEqualTo(200);
    assertThat(unknownSource.json().get("totals")).isEmpty();
  }

  /** The bundled rules over the piped reports, computed here from the reports: every alert they raise, newest first. */
  @Test
  void listsTheAlertsRaisedNewestFirst() {
    AlertRules rules = AlertRulesLoader.defaults();
    List<ExpectedWave> waves = List.copyOf(QueryTestData.expectedWaves().values());
    Set<String> expected = new TreeSet<>();
    for (AlertRule rule : rules.rules()) {
      for (AlertRule.Level level : rule.levels()) {
        long threshold = (long) level.threshold();
        Set<String> subjects = switch (rule.kind()) {
          case WAVE_DRONES -> AlertLog.wavesWithDrones(waves, threshold);
          case WAVE_MISSILES -> new TreeSet<>(waves.stream().filter(w -> w.missiles() >= threshold).map(ExpectedWave::id).toList());
          case WAVE_RECORD -> AlertLog.recordWaves(waves, threshold);
          case DRONE_SURGE -> Set.of(); // two nights give no 28-day baseline
          case CASUALTY_YOY -> {
            CasualtyReport y2025 = QueryTestData.casualtyYear(2025);
            CasualtyReport y2024 = QueryTestData.casualtyYear(2024);
            long now = y2025.getKilled() + y2025.getInjured();
            long before = y2024.getKilled() + y2024.getInjured();
            yield (now - before) * 100.0 / before >= level.threshold() ? Set.of("ohchr/2025") : Set.of();
          }
        };
        subjects.forEach(subject -> expected.add(rule.name() + "/" + subject + "/" + level.severity() + "/FIRING"));
      }
    }
    assertThat(expected).hasSizeGreaterThan(3);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Answer answer = get(node.url() + "/v1/alerts");
      assertThat(answer.status()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      List<String> firedAt = new ArrayList<>();
      answer.json().get("alerts").forEach(a -> {
        ids.add(a.get("id").asText());
        firedAt.add(a.get("firedAt").asText());
      });
      assertThat(new TreeSet<>(ids)).isEqualTo(expected);
      assertThat(ids).hasSameSizeAs(expected);
      assertThat(firedAt).isSortedAccordingTo(Comparator.comparing(Instant::parse).reversed());
    });
    JsonNode all = get(node.url() + "/v1/alerts").json().get("alerts");
    JsonNode newest = get(node.url() + "/v1/alerts?limit=1").json().get("alerts");
    assertThat(newest).hasSize(1);
    assertThat(newest.get(0)).isEqualTo(all.get(0));
    String lastFired = all.get(0).get("firedAt").asText();
    assertThat(get(node.url() + "/v1/alerts?since=" + lastFired).json().get("alerts"))
        .allSatisfy(a -> assertThat(a.get("firedAt").asText()).isEqualTo(lastFired)).isNotEmpty();
    assertThat(get(node.url() + "/v1/alerts?since=2100-01-01").json().get("alerts")).isEmpty();
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("/v1/waves?limit=0", 400, "validation", List.of("limit")),
        Arguments.of("/v1/waves?limit=1001", 400, "validation", List.of("limit")),
        Arguments.of("/v1/waves?limit=ten", 400, "validation", List.of("limit")),
        Arguments.of("/v1/waves?from=yesterday&to=2026-13-01", 400, "validation", List.of("from", "to")),
        Arguments.of("/v1/waves?from=2026-02-01&to=2026-01-01", 400, "validation", List.of("to")),
        Arguments.of("/v1/waves/not-an-instant", 400, "validation", List.of("id")),
        Arguments.of("/v1/waves/2020-01-01T00:00:00Z", 404, "not-found", List.of()),
        Arguments.of("/v1/totals/strikes?granularity=week&from=2026-1", 400, "validation", List.of("granularity", "from")),
        Arguments.of("/v1/totals/strikes?from=2026-03&to=2026-01", 400, "validation", List.of("to")),
        Arguments.of("/v1/casualties/totals?year=20x5&source=a%20b", 400, "validation", List.of("source", "year")),
        Arguments.of("/v1/casualties/yoy", 400, "validation", List.of("year")),
        Arguments.of("/v1/casualties/yoy?year=1999", 404, "not-found", List.of()),
        Arguments.of("/v1/casualties/yoy?year=2025&source=acled", 404, "not-found", List.of()),
        Arguments.of("/v1/alerts?since=last-week&limit=0", 400, "validation", List.of("since", "limit")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("badRequests")
  void refusesBadRequestsNamingEachParameter(String path, int status, String code, List<String> fields) {
    Answer answer = get(node.url() + path);

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.json().get("error").asText()).isEqualTo(code);
    assertThat(answer.json().get("message").asText()).isNotBlank();
    List<String> paths = new ArrayList<>();
    answer.json().get("fields").forEach(f -> {
      paths.add(f.get("path").asText());
      assertThat(f.get("message").asText()).isNotBlank();
    });
    assertThat(paths).containsExactlyInAnyOrderElementsOf(fields);
  }

  @Test
  void answers503WithRetryAfterWhileTheStoresAreNotQueryable() throws Exception {
    // A second client of the same topology that is not started: no store is queryable yet.
    TopologySettings topology = TopologySettings.defaults(new TopicSerdes(registryClient, true), new SimpleMeterRegistry());
    StreamsSettings settings = StreamsSettings.of(KafkaBrokerExtension.uniqueTopic("not-started"), KAFKA.bootstrapServers())
        .withStateDir(Files.createTempDirectory(stateDir, "not-started").toString())
        .withApplicationServer("127.0.0.1:1");
    Javalin app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
    });
    try (StreamsService notStarted = new StreamsService(settings, topology)) {
      StreamsReadiness.Status readiness = new StreamsReadiness(notStarted.kafkaStreams(), 1_000).get();
      assertThat(readiness.ready()).isFalse();
      assertThat(readiness.detail()).contains("CREATED");
      QueryApi.create(notStarted, QueryLocator.Settings.defaults("127.0.0.1:1")).register(app);
      app.start("127.0.0.1", 0);
      String url = "http://127.0.0.1:" + app.port();
      for (String path : List.of("/v1/waves", "/v1/waves/latest", "/v1/waves/2026-01-08T17:30:00Z",
          "/v1/totals/strikes", "/v1/casualties/totals", "/v1/casualties/yoy?year=2025")) {
        Answer answer = get(url + path);
        assertThat(answer.status()).as(path).isEqualTo(503);
        assertThat(answer.header("Retry-After")).as(path).isEqualTo("1");
        assertThat(answer.json().get("error").asText()).isEqualTo("unavailable");
        assertThat(answer.json().get("message").asText()).isNotBlank();
      }
    } finally {
      app.stop();
    }
  }

  @Test
  void readyWhenRunningAndCaughtUp() {
    StreamsReadiness.Status status = new StreamsReadiness(node.service.kafkaStreams(), 0).get();

    assertThat(status.ready()).as(status.detail()).isTrue();
    assertThat(status.detail()).startsWith("RUNNING");
  }

  private static void assertWave(JsonNode wave, ExpectedWave expected) {
    assertThat(wave.get("id").asText()).isEqualTo(expected.id());
    assertThat(wave.get("start").asText()).isEqualTo(expected.start().toString());
    assertThat(wave.get("end").asText()).isEqualTo(expected.end().toString());
    assertThat(wave.get("drones").asLong()).isEqualTo(expected.drones());
    assertThat(wave.get("missiles").asLong()).isEqualTo(expected.missiles());
    assertThat(wave.get("destroyed").asLong()).isEqualTo(expected.destroyed());
    Map<String, Integer> byClass = new TreeMap<>();
    wave.get("byClass").fields().forEachRemaining(e -> byClass.put(e.getKey(), e.getValue().asInt()));
    assertThat(byClass).isEqualTo(expected.byClass());
    List<String> reportIds = new ArrayList<>();
    wave.get("reportIds").forEach(id -> reportIds.add(id.asText()));
    assertThat(reportIds).isEqualTo(expected.reportIds());
    assertThat(wave.get("reportCount").asInt()).isEqualTo(expected.reportIds().size());
    assertThat(wave.get("durationMinutes").asLong())
        .isEqualTo(Duration.between(expected.start(), expected.end()).toMinutes());
    assertThat(wave.get("updatedAt").asText()).endsWith("Z");
  }
}
