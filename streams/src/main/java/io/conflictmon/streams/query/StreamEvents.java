package io.conflictmon.streams.query;

import io.conflictmon.schemas.TopicSerdes;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/stream}: Server-Sent Events of wave, strike-total, casualty-total and alert changes, read from their
 * output topics by a plain consumer in a background thread ({@code read_committed}, so aborted exactly-once writes
 * never show; from the end: the queries give the current state, the stream what changes after).
 *
 * <p>Events: {@code wave}, {@code wave-removed} (a wave merged into another: its tombstone, data {@code {"id"}}),
 * {@code strike-totals}, {@code casualty-totals}, {@code alert}; data is the JSON of the query API; the event id is
 * {@code topic-partition-offset}. A client that reconnects with {@code Last-Event-ID} first gets the events after that
 * id from a bounded ring buffer of the latest events (all of the buffer when the id is older than it). A comment is
 * sent as heartbeat when nothing happened for a while, so proxies keep the connection open.
 *
 * <p>Each client has a bounded queue and a writer thread: the consumer never blocks on a client, and a client whose
 * queue is full (it does not read fast enough) is dropped; it may reconnect with its {@code Last-Event-ID}.
 * Hand-written rather than a library: Javalin gives the SSE connection and its comments, the fan-out with
 * back-pressure and replay is the part no small library covers, and events are written in Javalin's wire format by
 * this class so that a client's queued events go out in one write and one flush.
 */
public final class StreamEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamEvents.class);

  public static final String PATH = "/v1/stream";

  private final Settings settings;
  private final Map<String, Function<byte[], Object>> decoders = new HashMap<>();
  private final Map<String, String> eventNames = new HashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread poller;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile boolean assigned;
  private final ExecutorService writers;
  private final Object lock = new Object();
  /** The latest events, oldest first; guarded by {@link #lock}. */
  private final ArrayDeque<Event> ring = new ArrayDeque<>();
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  /** Events a client's writer sends in one write. */
  private static final int MAX_BATCH = 256;

  /**
   * @param alertsTopic   null while no alerts are produced
   * @param ringSize      events kept for clients that reconnect
   * @param clientQueue   events a client may lag behind before it is dropped
   * @param heartbeat     quiet time after which a comment is sent
   * @param consumerProps further consumer properties (security settings)
   */
  public record Settings(String bootstrapServers, String wavesTopic, String strikeTotalsTopic,
                         String casualtyTotalsTopic, String alertsTopic, int ringSize, int clientQueue,
                         Duration heartbeat, Map<String, Object> consumerProps) {
    public Settings {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(wavesTopic, "wavesTopic");
      Objects.requireNonNull(strikeTotalsTopic, "strikeTotalsTopic");
      Objects.requireNonNull(casualtyTotalsTopic, "casualtyTotalsTopic");
      Objects.requireNonNull(heartbeat, "heartbeat");
      if (ringSize < 1 || clientQueue < 1) {
        throw new IllegalArgumentException("ring size and client queue must be >= 1, got " + ringSize + ", " + clientQueue);
      }
      consumerProps = consumerProps == null ? Map.of() : Map.copyOf(consumerProps);
    }

    /** The given topics, 1,000 events kept, 256 queued per client, a heartbeat every 15 s. */
    public static Settings of(String bootstrapServers, String wavesTopic, String strikeTotalsTopic,
                              String casualtyTotalsTopic, String alertsTopic) {
      return new Settings(bootstrapServers, wavesTopic, strikeTotalsTopic, casualtyTotalsTopic, alertsTopic, 1_000, 256,
          Duration.ofSeconds(15), Map.of());
    }

    public Settings withHeartbeat(Duration every) {
      return new Settings(bootstrapServers, wavesTopic, strikeTotalsTopic, casualtyTotalsTopic, alertsTopic, ringSize,
          clientQueue, every, consumerProps);
    }

    /** With further consumer properties, e.g. {@code KafkaClientSecurity.properties()} for TLS and SASL. */
    public Settings withConsumerProps(Map<String, ?> props) {
      return new Settings(bootstrapServers, wavesTopic, strikeTotalsTopic, casualtyTotalsTopic, alertsTopic, ringSize,
          clientQueue, heartbeat, Map.copyOf(props));
    }

    public Settings withQueues(int ring, int perClient) {
      return new Settings(bootstrapServers, wavesTopic, strikeTotalsTopic, casualtyTotalsTopic, alertsTopic, ring,
          perClient, heartbeat, consumerProps);
    }
  }

  /**
   * One event: its name and id, and its JSON data, rendered from the record on first use and kept. An instance with no
   * client connected renders nothing; with several, each event is rendered once.
   */
  static final class Event {
    private final String name;
    private final String id;
    private final Supplier<String> render;
    private volatile String data;
    private volatile boolean rendered;

    Event(String name, String id, Supplier<String> render) {
      this.name = name;
      this.id = id;
      this.render = render;
    }

    String name() {
      return name;
    }

    String id() {
      return id;
    }

    /** The JSON data; null when the record does not decode (logged once, the event is not sent). */
    String data() {
      if (!rendered) {
        synchronized (this) {
          if (!rendered) {
            data = render.get();
            rendered = true;
          }
        }
      }
      return data;
    }
  }

  private StreamEvents(Settings settings, TopicSerdes serdes) {
    this.settings = settings;
    decoder(settings.wavesTopic(), "wave", serdes.waveSummary().deserializer(), QueryJson.Wave::of);
    decoder(settings.strikeTotalsTopic(), "strike-totals", serdes.strikeTotals().deserializer(), QueryJson.StrikeTotal::of);
    decoder(settings.casualtyTotalsTopic(), "casualty-totals", serdes.casualtyTotals().deserializer(),
        QueryJson.CasualtyTotal::of);
    if (settings.alertsTopic() != null) {
      decoder(settings.alertsTopic(), "alert", serdes.escalationAlert().deserializer(), QueryJson.Alert::of);
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    // A group of its own per instance: every instance streams every change; nothing is committed.
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "conflictmon-stream-events-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "conflictmon-stream-events");
    props.putAll(settings.consumerProps());
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    AtomicInteger threads = new AtomicInteger();
    this.writers = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "sse-writer-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.poller = new Thread(this::poll, "sse-topic-reader");
    this.poller.setDaemon(true);
  }

  /** Starts reading the topics from their end. */
  public static StreamEvents start(Settings settings, TopicSerdes serdes) {
    StreamEvents events = new StreamEvents(Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(serdes, "serdes"));
    events.poller.start();
    return events;
  }

  /** Adds {@code GET /v1/stream}. */
  public void register(Javalin app) {
    app.sse(PATH, this::connect);
  }

  /** True once the reader holds its partitions, i.e. every change from now on is streamed. */
  public boolean isReading() {
    return assigned;
  }

  public int clientCount() {
    return clients.size();
  }

  private <T> void decoder(String topic, String eventName, Deserializer<T> deserializer, Function<T, Object> toJson) {
    eventNames.put(topic, eventName);
    decoders.put(topic, bytes -> toJson.apply(deserializer.deserialize(topic, bytes)));
  }

  // ---- reading the topics ----

  private void poll() {
    List<String> topics = new ArrayList<>(decoders.keySet());
    try {
      consumer.subscribe(topics, new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          partitions.forEach(consumer::position); // resolves "latest" now, so nothing after this point is missed
          assigned = !consumer.assignment().isEmpty();
        }
      });
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Event event = toEvent(record);
          if (event != null) {
            publish(event);
          }
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        LOG.error("The reader of {} was woken up unexpectedly; /v1/stream stops", topics, e);
      }
    } catch (RuntimeException e) {
      LOG.error("Reading {} failed; /v1/stream stops", topics, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private Event toEvent(ConsumerRecord<String, byte[]> record) {
    String id = record.topic() + "-" + record.partition() + "-" + record.offset();
    String name = eventNames.get(record.topic());
    if (record.value() == null) {
      return name.equals("wave")
          ? new Event("wave-removed", id, () -> new String(QueryJson.write(Map.of("id", String.valueOf(record.key()))),
              StandardCharsets.UTF_8))
          : null;
    }
    byte[] value = record.value();
    Function<byte[], Object> decoder = decoders.get(record.topic());
    return new Event(name, id, () -> {
      try {
        return new String(QueryJson.write(decoder.apply(value)), StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        LOG.warn("Skipping record {} of {}: it does not decode: {}", id, record.topic(), e.toString());
        return null;
      }
    });
  }

  private void publish(Event event) {
    synchronized (lock) {
      ring.addLast(event);
      while (ring.size() > settings.ringSize()) {
        ring.removeFirst();
      }
      for (Client client : clients) {
        client.offer(event);
      }
    }
  }

  // ---- clients ----

  private void connect(SseClient sse) {
    String lastEventId = sse.ctx().header("Last-Event-ID");
    Client client;
    synchronized (lock) {
      // Replay and registration under the lock the reader publishes under: no event is missed or sent twice.
      List<Event> replay = new ArrayList<>();
      boolean found = false;
      if (lastEventId != null) {
        for (Event event : ring) {
          if (found) {
            replay.add(event);
          }
          found = found || event.id().equals(lastEventId);
        }
        if (!found) {
          replay.addAll(ring);
        }
      }
      client = new Client(sse, settings.clientQueue() + replay.size());
      replay.forEach(client::offer);
      clients.add(client);
    }
    sse.keepAlive();
    sse.onClose(client::close);
    try {
      writers.execute(client::write);
    } catch (RejectedExecutionException e) {
      client.close(); // shutting down
    }
  }

  /** One connected client: its queue and the loop that writes it out. */
  private final class Client {
    private final SseClient sse;
    private final BlockingQueue<Event> queue;
    private final AtomicBoolean closed = new AtomicBoolean();

    Client(SseClient sse, int capacity) {
      this.sse = sse;
      this.queue = new ArrayBlockingQueue<>(capacity);
    }

    void offer(Event event) {
      if (!queue.offer(event)) {
        LOG.info("Dropping the /v1/stream client {}: more than {} events behind", sse.ctx().ip(), queue.size());
        close();
      }
    }

    /**
     * Sends what is queued, as many events as are waiting in one write and one flush (Javalin's
     * {@code sendEvent} flushes each event: thousands of small writes a second at 2,000 reports/s), in the SSE
     * format Javalin writes; a comment as heartbeat when nothing came for a while.
     */
    void write() {
      List<Event> batch = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      try {
        sse.sendComment("connected");
        while (!closed.get() && !sse.terminated()) {
          Event first = queue.poll(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
          if (first == null) {
            sse.sendComment("heartbeat");
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          text.setLength(0);
          for (Event event : batch) {
            String data = event.data();
            if (data != null) { // compact JSON: one line
              text.append("id: ").append(event.id()).append('\n').append("event: ").append(event.name())
                  .append('\n').append("data: ").append(data).append("\n\n");
            }
          }
          batch.clear();
          if (!text.isEmpty()) {
            ServletOutputStream out = sse.ctx().res().getOutputStream();
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            sse.ctx().res().flushBuffer();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException e) {
        LOG.debug("The /v1/stream client {} went away: {}", sse.ctx().ip(), e.toString());
      } finally {
        close();
      }
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        clients.remove(this);
        queue.clear();
        try {
          sse.close();
        } catch (RuntimeException e) {
          LOG.debug("Closing a /v1/stream client failed: {}", e.toString());
        }
      }
    }
  }

  /** Stops the reader, disconnects every client. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      poller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List.copyOf(clients).forEach(Client::close);
    writers.shutdownNow();
  }
}
