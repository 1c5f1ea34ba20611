package io.conflictmon.streams.query;

import static io.conflictmon.streams.query.QueryTestData.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.casualties.CasualtyStores;
import io.conflictmon.streams.query.QueryTestData.Answer;
import io.conflictmon.streams.waves.WaveStores;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two instances of the application on the real broker, each with its own state dir, its own HTTP port as
 * {@code application.server} and a standby of every store: every query answers the same on both (the instance without
 * the active store forwards to the one with it), a forwarded request is answered from a standby copy without
 * forwarding again, a peer's failure comes back as 502 with its message, and after the owner of the stores is closed
 * the other instance answers the same within a bounded wait.
 */
class QueryLocatorBrokerTest {

  private static final Logger LOG = LoggerFactory.getLogger(QueryLocatorBrokerTest.class);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  /** Failure injection: the owner of a request with this query parameter fails as a broken instance would. */
  private static final String FAIL_PARAM = "test-fail";
  private static final String PEER_FAILURE = "disk on fire";

  @TempDir
  Path stateDir;

  @Test
  void everyInstanceAnswersTheSameAndTheSurvivorTakesOver() throws Exception {
    List<String> topics = QueryTestData.createTopics(KAFKA.broker());
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
         HttpSchemaRegistryClient client = registry.newClient()) {
      TopicSerdes serdes = new TopicSerdes(client, true);
      TopologySettings topology = TopologySettings.defaults(serdes, new SimpleMeterRegistry())
          .withTopics(topics.get(0), topics.get(1), topics.get(2), topics.get(3), topics.get(4), topics.get(5), topics.get(6));
      StreamsSettings settings = StreamsSettings.of(KafkaBrokerExtension.uniqueTopic("locator-app"), KAFKA.bootstrapServers())
          .withOverrides(Map.of(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1));

      try (QueryNode a = new QueryNode(settings.withStateDir(stateDir.resolve("a").toString()), topology, 1_000,
               QueryLocatorBrokerTest::failWhenAsked);
           QueryNode b = new QueryNode(settings.withStateDir(stateDir.resolve("b").toString()), topology, 1_000,
               QueryLocatorBrokerTest::failWhenAsked)) {
        a.start();
        b.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> a.service.isRunning() && b.service.isRunning());
        QueryTestData.publish(KAFKA.broker(), serdes, topics.get(0), topics.get(1));

        String firstWave = QueryTestData.expectedWaves().keySet().iterator().next();
        List<String> paths = List.of("/v1/waves", "/v1/waves?from=2026-01-15", "/v1/waves/latest",
            "/v1/waves/" + firstWave, "/v1/waves/2020-01-01T00:00:00Z", "/v1/totals/strikes?granularity=month",
            "/v1/totals/strikes", "/v1/casualties/totals", "/v1/casualties/totals?year=2026",
            "/v1/casualties/yoy?year=2025", "/v1/casualties/yoy?year=1999");

        // Both answer everything, the same, once the data is counted and both instances see both.
        Map<String, String> answers = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          assertThat(a.service.kafkaStreams().streamsMetadataForStore(WaveStores.WAVES)).hasSize(2);
          assertThat(b.service.kafkaStreams().streamsMetadataForStore(WaveStores.WAVES)).hasSize(2);
          assertThat(get(a.url() + "/v1/waves/" + firstWave).json().path("reportCount").asInt())
              .isEqualTo(QueryTestData.expectedWaves().get(firstWave).reportIds().size());
          assertThat(get(a.url() + "/v1/waves").json().path("waves")).hasSize(QueryTestData.expectedWaves().size());
          assertThat(get(a.url() + "/v1/casualties/yoy?year=2025").json().path("previousTotal").isNumber()).isTrue();
          assertThat(get(a.url() + "/v1/casualties/totals?year=2026").json().path("totals")).hasSize(3);
          for (String path : paths) {
            Answer fromA = get(a.url() + path);
            Answer fromB = get(b.url() + path);
            assertThat(fromA.status()).as(path).isIn(200, 404);
            assertThat(fromB.status()).as(path).isEqualTo(fromA.status());
            assertThat(fromB.json()).as(path).isEqualTo(fromA.json());
            answers.put(path, fromA.status() + " " + fromA.json());
          }
        });

        // The stores are single-partition: one instance owns each, the other holds the standby and forwards.
        KeyQueryMetadata waveOwner = a.service.kafkaStreams().queryMetadataForKey(WaveStores.WAVES,
            WaveStores.keyOf(firstWave), new LongSerializer());
        QueryNode owner = waveOwner.activeHost().port() == a.port ? a : b;
        QueryNode other = owner == a ? b : a;
        assertThat(waveOwner.standbyHosts()).containsExactly(new HostInfo("127.0.0.1", other.port));

        // A forwarded request is answered locally, from the standby copy, and not forwarded back.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          Answer fromStandby = getForwarded(other.url() + "/v1/waves/" + firstWave, waveOwner.partition());
          assertThat(fromStandby.status()).isEqualTo(200);
          assertThat(fromStandby.status() + " " + fromStandby.json()).isEqualTo(answers.get("/v1/waves/" + firstWave));
        });

        // The owner of the casualty totals fails: the asking instance reports it as 502 with the owner's message.
        KeyQueryMetadata casualtyOwner = a.service.kafkaStreams().queryMetadataForKey(CasualtyStores.TOTALS,
            "ohchr/2025", new StringSerializer());
        QueryNode asker = casualtyOwner.activeHost().port() == a.port ? b : a;
        Answer failed = get(asker.url() + "/v1/casualties/yoy?year=2025&" + FAIL_PARAM + "=1");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().get("error").asText()).isEqualTo("peer-error");
        assertThat(failed.json().get("message").asText()).contains(PEER_FAILURE)
            .contains(casualtyOwner.activeHost().host() + ":" + casualtyOwner.activeHost().port());

        // The owner of the waves goes away: the other instance answers everything the same within a bounded wait.
        long closing = System.nanoTime();
        owner.close();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          for (String path : paths) {
            Answer answer = get(other.url() + path);
            assertThat(answer.status() + " " + answer.json()).as(path).isEqualTo(answers.get(path));
          }
        });
        LOG.info("After its peer began to close, the survivor answered every query the same within {} ms",
            (System.nanoTime() - closing) / 1_000_000);
      }
    }
  }

  /** On a forwarded request carrying {@link #FAIL_PARAM}, answers 500 as an instance with a broken disk would. */
  private static void failWhenAsked(Javalin app) {
    app.before(ctx -> {
      if (ctx.header(QueryLocator.FORWARDED_BY_HEADER) != null && ctx.queryParam(FAIL_PARAM) != null) {
        ctx.status(500).contentType("application/json")
            .result("{\"error\":\"internal\",\"message\":\"" + PEER_FAILURE + "\",\"fields\":[]}");
        ctx.skipRemainingHandlers();
      }
    });
  }

  private static Answer getForwarded(String url, int partition) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header(QueryLocator.FORWARDED_BY_HEADER, "test")
        .header(QueryLocator.PARTITIONS_HEADER, Integer.toString(partition))
        .timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response, QueryTestData.JSON.readTree(response.body()));
  }
}
