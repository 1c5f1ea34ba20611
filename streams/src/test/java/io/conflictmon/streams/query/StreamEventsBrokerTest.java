package io.conflictmon.streams.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.Granularity;
import io.conflictmon.avro.Severity;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.avro.YoyBasis;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.testkit.KafkaBrokerExtension;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/stream} read by a real SSE client (java.net.http, streaming body) while records are written to the
 * output topics: events in order with topic-partition-offset ids, no aborted record, heartbeats, a replay after
 * {@code Last-Event-ID}, and a client that does not read is dropped.
 */
class StreamEventsBrokerTest {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Instant START = Instant.parse("2026-01-08T17:30:00Z");

  @Test
  void streamsCommittedChangesWithIdsHeartbeatsReplayAndDropsSlowClients() throws Exception {
    String waves = KAFKA.createUniqueTopic("waves", 1);
    String strikeTotals = KAFKA.createUniqueTopic("strike-totals", 1);
    String casualtyTotals = KAFKA.createUniqueTopic("casualty-totals", 1);
    String alerts = KAFKA.createUniqueTopic("alerts", 1);
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
         HttpSchemaRegistryClient registryClient = registry.newClient()) {
      TopicSerdes serdes = new TopicSerdes(registryClient, true);
      StreamEvents.Settings settings = StreamEvents.Settings.of(KAFKA.bootstrapServers(), waves, strikeTotals,
              casualtyTotals, alerts)
          .withHeartbeat(Duration.ofMillis(300))
          .withQueues(100, 16);
      Javalin app = Javalin.create(config -> {
        config.showJavalinBanner = false;
        config.startupWatcherEnabled = false;
      });
      try (StreamEvents events = StreamEvents.start(settings, serdes);
           KafkaProducer<String, byte[]> producer = transactionalProducer()) {
        events.register(app);
        app.start("127.0.0.1", 0);
        String url = "http://127.0.0.1:" + app.port() + StreamEvents.PATH;
        await().atMost(Duration.ofSeconds(30)).until(events::isReading);

        SseReader reader = SseReader.connect(url, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.clientCount() == 1);

        producer.initTransactions();
        producer.beginTransaction();
        producer.send(record(waves, "aborted", wave(999), serdes.waveSummary().serializer()));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(record(waves, START.toString(), wave(242), serdes.waveSummary().serializer()));
        producer.send(record(strikeTotals, "2026-01-09", strikeTotals(242), serdes.strikeTotals().serializer()));
        producer.send(record(casualtyTotals, "ohchr/2025", casualtyTotals(), serdes.casualtyTotals().serializer()));
        producer.send(record(alerts, "wave-drones/" + START, alert(), serdes.escalationAlert().serializer()));
        producer.send(new ProducerRecord<>(waves, "2026-01-08T18:00:00Z", null));
        producer.commitTransaction();

        List<String> expectedNames = List.of("wave", "strike-totals", "casualty-totals", "alert", "wave-removed");
        await().atMost(Duration.ofSeconds(30)).until(() -> reader.events().size() >= expectedNames.size());
        List<SseEvent> received = reader.events();
        assertThat(received.stream().map(SseEvent::name).sorted().toList())
            .isEqualTo(expectedNames.stream().sorted().toList());
        SseEvent wave = received.stream().filter(e -> e.name().equals("wave")).findFirst().orElseThrow();
        assertThat(wave.json().get("drones").asInt()).isEqualTo(242); // not the aborted 999
        assertThat(wave.json().get("start").asText()).isEqualTo(START.toString());
        assertThat(wave.id()).startsWith(waves + "-0-");
        assertThat(received).allSatisfy(event -> assertThat(event.id()).matches(".+-0-\\d+"));
        SseEvent removed = received.stream().filter(e -> e.name().equals("wave-removed")).findFirst().orElseThrow();
        assertThat(removed.json().get("id").asText()).isEqualTo("2026-01-08T18:00:00Z");
        assertThat(received.stream().filter(e -> e.name().equals("casualty-totals")).findFirst().orElseThrow()
            .json().get("increasePct").asDouble()).isEqualTo(30.55);
        assertThat(received.stream().filter(e -> e.name().equals("alert")).findFirst().orElseThrow()
            .json().get("severity").asText()).isEqualTo("WARNING");

        // Nothing happens: heartbeats keep the connection open.
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.comments().contains("heartbeat"));

        // A client that reconnects after the first event gets the ones it missed, in order.
        SseReader again = SseReader.connect(url, received.get(0).id());
        await().atMost(Duration.ofSeconds(10)).until(() -> again.events().size() >= received.size() - 1);
        assertThat(again.events()).isEqualTo(received.subList(1, received.size()));
        reader.close();
        again.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.clientCount() == 0);

        // A client that never reads (tiny receive buffer) is dropped once its queue is full.
        try (Socket slow = new Socket()) {
          slow.setReceiveBufferSize(1024);
          slow.connect(new java.net.InetSocketAddress("127.0.0.1", app.port()));
          OutputStream out = slow.getOutputStream();
          out.write(("GET " + StreamEvents.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          await().atMost(Duration.ofSeconds(10)).until(() -> events.clientCount() == 1);
          Serializer<StrikeTotals> totals = serdes.strikeTotals().serializer();
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            producer.beginTransaction();
            for (int i = 0; i < 500; i++) {
              producer.send(record(strikeTotals, "2026-01-09", strikeTotals(i), totals));
            }
            producer.commitTransaction();
            return events.clientCount() == 0;
          });
        }
      } finally {
        app.stop();
      }
    }
  }

  private static KafkaProducer<String, byte[]> transactionalProducer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaBrokerExtension.uniqueTopic("sse-test-tx")),
        new StringSerializer(), new ByteArraySerializer());
  }

  private static <T> ProducerRecord<String, byte[]> record(String topic, String key, T value, Serializer<T> serializer) {
    return new ProducerRecord<>(topic, key, serializer.serialize(topic, value));
  }

  private static WaveSummary wave(int drones) {
    Instant end = START.plus(Duration.ofHours(13));
    return WaveSummary.newBuilder().setId(START.toString()).setStart(START).setEnd(end).setDurationMinutes(13 * 60)
        .setDrones(drones).setMissiles(36).setDestroyed(244).setInterceptionRate(0.878)
        .setByClass(Map.of("ATTACK_DRONE", drones)).setByModel(Map.of("Shahed-136/131", drones))
        .setReportIds(List.of("kpszsu-0109-shahed")).setReportCount(1).setUpdatedAt(end).build();
  }

  private static StrikeTotals strikeTotals(long drones) {
    return StrikeTotals.newBuilder().setPeriod("2026-01-09").setGranularity(Granularity.DAY).setDrones(drones)
        .setMissiles(36).setDestroyed(244).setByClass(Map.of("ATTACK_DRONE", drones)).setReportCount(4)
        .setUpdatedAt(START).build();
  }

  private static CasualtyTotals casualtyTotals() {
    return CasualtyTotals.newBuilder().setSource("ohchr").setYear(2025).setKilled(2514).setInjured(12142)
        .setTotal(14656).setMonthsCovered(12).setComplete(true).setBasis(YoyBasis.FULL_YEAR).setPreviousTotal(11226L)
        .setIncreasePct(30.5541).setUpdatedAt(START).build();
  }

  private static EscalationAlert alert() {
    return EscalationAlert.newBuilder().setId("wave-drones/" + START + "/WARNING/FIRING").setRule("wave-drones")
        .setSeverity(Severity.WARNING).setStatus(AlertStatus.FIRING).setSubject(START.toString()).setValue(242)
        .setThreshold(200).setSummary("242 drones >= 200").setFiredAt(START).build();
  }

  /** One received event: name, id and data. */
  record SseEvent(String name, String id, String data) {
    JsonNode json() {
      try {
        return QueryTestData.JSON.readTree(data);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** A real SSE client: java.net.http with a streaming body, parsed line by line in a thread of its own. */
  static final class SseReader implements AutoCloseable {
    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile Stream<String> lines;

    private SseReader(String url, String lastEventId) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      this.thread = new Thread(() -> read(request.build()), "sse-test-reader");
      thread.setDaemon(true);
    }

    static SseReader connect(String url, String lastEventId) {
      SseReader reader = new SseReader(url, lastEventId);
      reader.thread.start();
      return reader;
    }

    private void read(HttpRequest request) {
      try {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        lines = response.body();
        String name = null;
        String id = null;
        List<String> data = new ArrayList<>();
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.isEmpty()) {
            if (!data.isEmpty()) {
              events.add(new SseEvent(name == null ? "message" : name, id, String.join("\n", data)));
            }
            name = null;
            id = null;
            data.clear();
          } else if (line.startsWith(":")) {
            comments.add(line.substring(1).trim());
          } else if (line.startsWith("event:")) {
            name = line.substring(6).trim();
          } else if (line.startsWith("id:")) {
            id = line.substring(3).trim();
          } else if (line.startsWith("data:")) {
            data.add(line.substring(5).trim());
          }
        }
      } catch (Exception e) {
        // closed by the test or the server
      }
    }

    List<SseEvent> events() {
      return List.copyOf(events);
    }

    List<String> comments() {
      return List.copyOf(comments);
    }

    @Override
    public void close() {
      Stream<String> open = lines;
      if (open != null) {
        open.close();
      }
      thread.interrupt();
    }
  }
}
