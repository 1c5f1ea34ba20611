package io.conflictmon.streams.query;

import static io.conflictmon.avro.WeaponClass.ATTACK_DRONE;
import static io.conflictmon.avro.WeaponClass.BALLISTIC_MISSILE;
import static io.conflictmon.avro.WeaponClass.CRUISE_MISSILE;
import static io.conflictmon.avro.WeaponClass.SURFACE_TO_AIR_MISSILE;
import static io.conflictmon.streams.testing.TestReports.day;
import static io.conflictmon.streams.testing.TestReports.minute;
import static io.conflictmon.streams.testing.TestReports.month;
import static io.conflictmon.streams.testing.TestReports.year;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.testing.TestReports;
import io.conflictmon.streams.testing.WaveOracle;
import io.conflictmon.streams.testing.WaveOracle.ExpectedWave;
import io.conflictmon.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The reports the query tests pipe in, what they must add up to, and an HTTP client for the answers. */
final class QueryTestData {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Two waves in January 2026 (the night of 8-9 Jan with the Lviv ballistic missile, and 19-20 Jan) and a date-only report. */
  static final List<StrikeReport> STRIKES = List.of(
      minute("kpszsu-0109-shahed", "2026-01-08 19:30", "2026-01-09 09:00", ATTACK_DRONE, "Shahed-136/131", 242, 226),
      minute("kpszsu-0109-kalibr", "2026-01-08 19:30", "2026-01-09 09:00", CRUISE_MISSILE, "Kalibr", 22, 10),
      minute("kpszsu-0109-s400", "2026-01-08 19:30", "2026-01-09 09:00", SURFACE_TO_AIR_MISSILE, "C-400 and Iskander-M", 13, 8),
      minute("pvkzahid-0108-icbm", "PvkZahid", "2026-01-08 23:45", "2026-01-08 23:50", BALLISTIC_MISSILE,
          "Intercontinental Ballistic Missile", 1, 0),
      minute("kpszsu-0120-shahed", "2026-01-19 18:00", "2026-01-20 08:30", ATTACK_DRONE, "Shahed-136/131", 339, 315),
      minute("kpszsu-0120-iskander", "2026-01-19 18:00", "2026-01-20 08:30", BALLISTIC_MISSILE, "Iskander-M", 34, 21),
      day("pvkpivden-0203-shahed", "2026-02-03", ATTACK_DRONE, "Shahed-136/131", 17, 15));

  /** OHCHR: 2024 and 2025 whole years (DESIGN.md acceptance figures) and two months of 2026. */
  static final List<CasualtyReport> CASUALTIES = List.of(
      year("ohchr", 2025, 2514, 12142),
      year("ohchr", 2024, 2088, 9138),
      month("ohchr", "2026-01", 200, 900),
      month("ohchr", "2026-02", 150, 800));

  private QueryTestData() {
  }

  static Map<String, ExpectedWave> expectedWaves() {
    return WaveOracle.waves(STRIKES, TopologySettings.DEFAULT_WAVE_GAP);
  }

  /** Expected drones per Kyiv day, month or year of {@code timeEnd}: period key -> drones. */
  static Map<String, Long> expectedDrones(QueryParams.Granularity granularity) {
    Map<String, Long> drones = new TreeMap<>();
    for (StrikeReport report : STRIKES) {
      LocalDate day = LocalDate.ofInstant(report.getTimeEnd(), TestReports.KYIV);
      String key = switch (granularity) {
        case DAY -> day.toString();
        case MONTH -> day.toString().substring(0, 7);
        case YEAR -> day.toString().substring(0, 4);
      };
      boolean drone = report.getWeaponClass() == WeaponClass.ATTACK_DRONE || report.getWeaponClass() == WeaponClass.OTHER_DRONE;
      drones.merge(key, drone ? (long) report.getLaunched() : 0L, Long::sum);
    }
    return drones;
  }

  static CasualtyReport casualtyYear(int year) {
    return CASUALTIES.stream().filter(r -> r.getPeriodStart().equals(LocalDate.of(year, 1, 1))
        && r.getPeriodEnd().equals(LocalDate.of(year, 12, 31))).findFirst().orElseThrow();
  }

  static void publish(EmbeddedKafkaBroker kafka, TopicSerdes serdes, String strikesTopic, String casualtiesTopic) {
    Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, StrikeReport> strikes = new KafkaProducer<>(config, new StringSerializer(),
             serdes.strikeReport().serializer());
         KafkaProducer<String, CasualtyReport> casualties = new KafkaProducer<>(config, new StringSerializer(),
             serdes.casualtyReport().serializer())) {
      for (StrikeReport report : STRIKES) {
        strikes.send(new ProducerRecord<>(strikesTopic, report.getId(), report)).get();
      }
      for (CasualtyReport report : CASUALTIES) {
        casualties.send(new ProducerRecord<>(casualtiesTopic, report.getId(), report)).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing the test reports failed", e);
    }
  }

  /** Topic names for one test class: strikes, casualties, dlq, waves, strike totals, casualty totals, alerts. */
  static List<String> createTopics(EmbeddedKafkaBroker kafka) {
    List<String> topics = new ArrayList<>();
    for (String name : List.of("strikes", "casualties", "dlq", "waves", "strike-totals", "casualty-totals", "alerts")) {
      String topic = KafkaBrokerExtension.uniqueTopic(name);
      kafka.createTopic(topic, name.equals("strikes") ? 3 : 1);
      topics.add(topic);
    }
    return topics;
  }

  /** An HTTP answer: status, headers, body as JSON (null when empty). */
  record Answer(int status, HttpResponse<String> response, JsonNode json) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  static Answer get(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Answer(response.statusCode(), response, body == null || body.isEmpty() ? null : JSON.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
