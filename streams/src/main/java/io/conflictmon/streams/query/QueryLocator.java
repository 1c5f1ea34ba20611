package io.conflictmon.streams.query;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a query is answered: all key-location and fail-over logic of the query API.
 *
 * <p><b>Key queries</b> ({@link #byKey}): {@link KafkaStreams#queryMetadataForKey} names the partition, its active
 * host and its standby hosts. They are tried in that order: this instance answers from its local store (a standby copy
 * only with {@link StoreQueryParameters#enableStaleStores()} and while its offset lag, from
 * {@link KafkaStreams#allLocalStorePartitionLags()}, is within {@link Settings#maxStandbyLag()}); another instance is
 * asked the same {@code GET} over HTTP and its answer is relayed as is.
 *
 * <p><b>Range queries</b> ({@link #gather}): every partition of the store (the partitions of its sub-topology's source
 * topics, from {@link KafkaStreams#streamsMetadataForStore}) is answered by its active host, else a standby; the
 * partitions are grouped per instance, each instance is asked once, and the answers are merged in order. The stores
 * of this topology have one partition each, so today one instance answers; the code does not rely on it.
 *
 * <p><b>Forwarded requests</b> carry {@link #FORWARDED_BY_HEADER} and the partitions asked ({@link #PARTITIONS_HEADER});
 * the receiving instance answers only from its local copies and never forwards again, so two instances with
 * stale metadata cannot bounce a request between them.
 *
 * <p><b>Failures</b>: an instance that is unreachable, times out or answers 503 is skipped for the next copy; when no
 * copy answers, 503 with {@code Retry-After}. A peer that answers another 5xx is reported as 502 with the peer's
 * message: its failure is never swallowed or retried elsewhere, since the next copy would most likely fail the same.
 *
 * <p>Without {@code application.server} (a single instance) everything is answered locally. Thread-safe; one pooled
 * {@link HttpClient} for all forwarding.
 */
public final class QueryLocator {
  private static final Logger LOG = LoggerFactory.getLogger(QueryLocator.class);

  /** Set on a forwarded request to the {@code host:port} that forwarded it; the receiver answers locally only. */
  public static final String FORWARDED_BY_HEADER = "X-Conflictmon-Forwarded-By";
  /** The store partitions a forwarded request asks for, comma separated. */
  public static final String PARTITIONS_HEADER = "X-Conflictmon-Partitions";

  private final KafkaStreams streams;
  private final Topology topology;
  private final Settings settings;
  private final HostInfo self;
  private final HttpClient http;
  /**
   * Forwarded queries in flight, bounded: java.net.http opens one HTTP/1.1 connection per concurrent request, so
   * without a bound a burst of forwarded queries opens connections (and file descriptors) without limit.
   */
  private final Semaphore forwardSlots = new Semaphore(MAX_FORWARDS_IN_FLIGHT);
  private final Map<String, Set<String>> sourceTopicsByStore = new ConcurrentHashMap<>();
  private final Map<LocalCopy, ReadOnlyKeyValueStore<?, ?>> localStores = new ConcurrentHashMap<>();

  /**
   * @param applicationServer this instance's {@code application.server} ({@code host:port}); null when alone
   * @param connectTimeout    to connect to a peer
   * @param requestTimeout    for a peer's whole answer
   * @param maxStandbyLag     the most records a standby copy may be behind its changelog and still answer
   * @param retryAfter        what a 503 suggests in {@code Retry-After}
   */
  public record Settings(String applicationServer, Duration connectTimeout, Duration requestTimeout,
                         long maxStandbyLag, Duration retryAfter) {
    public Settings {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (maxStandbyLag < 0) {
        throw new IllegalArgumentException("maxStandbyLag must be >= 0, got " + maxStandbyLag);
      }
    }

    /** 1 s to connect, 5 s per answer, standbys up to 1,000 records behind, Retry-After 1 s. */
    public static Settings defaults(String applicationServer) {
      return new Settings(applicationServer, Duration.ofSeconds(1), Duration.ofSeconds(5), 1_000, Duration.ofSeconds(1));
    }

    public Settings withMaxStandbyLag(long records) {
      return new Settings(applicationServer, connectTimeout, requestTimeout, records, retryAfter);
    }
  }

  /**
   * The request being answered: what to forward, whether it was itself forwarded (then: local only), and the caller's
   * {@code Authorization} header, passed on so a peer that requires read tokens answers a forwarded query too.
   */
  public record Incoming(String pathAndQuery, String forwardedBy, Set<Integer> partitions, String authorization) {
    public static Incoming of(Context ctx) {
      String query = ctx.queryString();
      String pathAndQuery = query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
      return new Incoming(pathAndQuery, ctx.header(FORWARDED_BY_HEADER), parsePartitions(ctx.header(PARTITIONS_HEADER)),
          ctx.header("Authorization"));
    }

    boolean forwarded() {
      return forwardedBy != null;
    }
  }

  /** A peer's answer, relayed to the client unchanged. */
  public record Relayed(int status, String contentType, byte[] body, String from) {
  }

  /** A key query's answer: the local value (empty: no such key), or the answer of the instance that owns the key. */
  public record KeyAnswer<T>(Optional<T> local, Relayed relayed) {
  }

  /** At most this many queries forwarded to peers at once; more wait up to the connect timeout, then get 503. */
  static final int MAX_FORWARDS_IN_FLIGHT = 64;
  private static final int ALL_PARTITIONS = -1;

  public QueryLocator(KafkaStreams streams, Topology topology, Settings settings) {
    this.streams = Objects.requireNonNull(streams, "streams");
    this.topology = Objects.requireNonNull(topology, "topology");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.self = settings.applicationServer() == null ? null : HostInfo.buildFromEndpoint(settings.applicationServer());
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Answers a query for one key wherever a copy of its partition is.
   *
   * @param query runs on a local copy of the store (one partition); empty when the key is absent
   */
  public <K, V, T> KeyAnswer<T> byKey(String store, K key, Serializer<K> keySerializer, Incoming incoming,
                                      Function<ReadOnlyKeyValueStore<K, V>, Optional<T>> query) {
    if (self == null) {
      return new KeyAnswer<>(localAllPartitions(store, query), null);
    }
    if (incoming.forwarded()) {
      return new KeyAnswer<>(answerForwarded(store, incoming, query).stream().flatMap(Optional::stream)
          .findFirst(), null);
    }
    KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, keySerializer);
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.partition() < 0) {
      throw unavailable("no instance holds " + store + " yet (Kafka Streams is " + streams.state() + ")");
    }
    List<HostInfo> copies = new ArrayList<>();
    copies.add(metadata.activeHost());
    copies.addAll(metadata.standbyHosts());
    copies.removeIf(host -> !isKnown(host)); // HostInfo.unavailable() while a rebalance assigns the partition
    Set<Integer> partition = Set.of(metadata.partition());
    List<String> failures = new ArrayList<>();
    for (HostInfo host : copies) {
      try {
        if (host.equals(self)) {
          return new KeyAnswer<>(localPartitions(store, partition, query).get(0), null);
        }
        Relayed relayed = forward(host, incoming, partition);
        return new KeyAnswer<>(Optional.empty(), relayed);
      } catch (CopyUnavailable e) {
        failures.add(e.getMessage());
      }
    }
    throw unavailable("no copy of " + store + " partition " + metadata.partition() + " can answer: "
        + String.join("; ", failures));
  }

  /**
   * Answers a range query over every partition of a store, from whichever instances hold them, merged in
   * {@code order} and cut at {@code limit}.
   *
   * @param query     runs on one local copy (one partition) and returns its items in {@code order}
   * @param peerItems reads a peer's JSON answer to the same request back into items
   */
  public <K, V, T> List<T> gather(String store, Incoming incoming,
                                  Function<ReadOnlyKeyValueStore<K, V>, List<T>> query,
                                  Function<byte[], List<T>> peerItems, Comparator<? super T> order, int limit) {
    List<List<T>> parts = new ArrayList<>();
    if (self == null) {
      parts.add(localAllPartitions(store, query));
    } else if (incoming.forwarded()) {
      parts.addAll(answerForwarded(store, incoming, query));
    } else {
      parts.addAll(gatherFromCopies(store, incoming, query, peerItems));
    }
    return parts.stream().flatMap(List::stream).sorted(order).limit(limit).collect(Collectors.toList());
  }

  private <K, V, T> List<List<T>> gatherFromCopies(String store, Incoming incoming,
                                                   Function<ReadOnlyKeyValueStore<K, V>, List<T>> query,
                                                   Function<byte[], List<T>> peerItems) {
    Map<Integer, List<HostInfo>> copies = copiesOf(store);
    if (copies.isEmpty()) {
      throw unavailable("no instance holds " + store + " yet (Kafka Streams is " + streams.state() + ")");
    }
    List<List<T>> parts = new ArrayList<>();
    Map<Integer, Integer> attempt = new TreeMap<>();
    copies.keySet().forEach(partition -> attempt.put(partition, 0));
    List<String> failures = new ArrayList<>();
    while (!attempt.isEmpty()) {
      // Ask each instance once for all the partitions it is the next copy of.
      Map<HostInfo, Set<Integer>> byHost = new LinkedHashMap<>();
      for (Map.Entry<Integer, Integer> next : attempt.entrySet()) {
        List<HostInfo> hosts = copies.get(next.getKey());
        if (next.getValue() >= hosts.size()) {
          throw unavailable("no copy of " + store + " partition " + next.getKey() + " can answer: "
              + String.join("; ", failures));
        }
        byHost.computeIfAbsent(hosts.get(next.getValue()), h -> new TreeSet<>()).add(next.getKey());
      }
      for (Map.Entry<HostInfo, Set<Integer>> ask : byHost.entrySet()) {
        HostInfo host = ask.getKey();
        try {
          if (host.equals(self)) {
            parts.addAll(localPartitions(store, ask.getValue(), query));
          } else {
            Relayed answer = forward(host, incoming, ask.getValue());
            if (answer.status() != 200) {
              throw new QueryError(502, QueryError.PEER_ERROR, "instance " + answer.from() + " answered "
                  + answer.status() + ": " + peerMessage(answer.body()), List.of(), Map.of());
            }
            parts.add(peerItems.apply(answer.body()));
          }
          ask.getValue().forEach(attempt::remove);
        } catch (CopyUnavailable e) {
          failures.add(e.getMessage());
          ask.getValue().forEach(partition -> attempt.merge(partition, 1, Integer::sum));
        }
      }
    }
    return parts;
  }

  /** Partition -> the instances holding a copy, the active one first. */
  private Map<Integer, List<HostInfo>> copiesOf(String store) {
    Set<String> topics = sourceTopicsByStore.computeIfAbsent(store, this::sourceTopicsOf);
    Map<Integer, LinkedHashSet<HostInfo>> active = new TreeMap<>();
    Map<Integer, LinkedHashSet<HostInfo>> standby = new TreeMap<>();
    for (StreamsMetadata metadata : streams.streamsMetadataForStore(store)) {
      if (!isKnown(metadata.hostInfo())) {
        continue;
      }
      if (metadata.stateStoreNames().contains(store)) {
        partitionsOf(metadata.topicPartitions(), topics)
            .forEach(p -> active.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(metadata.hostInfo()));
      }
      if (metadata.standbyStateStoreNames().contains(store)) {
        partitionsOf(metadata.standbyTopicPartitions(), topics)
            .forEach(p -> standby.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(metadata.hostInfo()));
      }
    }
    Map<Integer, List<HostInfo>> copies = new TreeMap<>();
    Set<Integer> partitions = new TreeSet<>(active.keySet());
    partitions.addAll(standby.keySet());
    for (int partition : partitions) {
      LinkedHashSet<HostInfo> hosts = new LinkedHashSet<>(active.getOrDefault(partition, new LinkedHashSet<>()));
      hosts.addAll(standby.getOrDefault(partition, new LinkedHashSet<>()));
      copies.put(partition, List.copyOf(hosts));
    }
    return copies;
  }

  private static Set<Integer> partitionsOf(Set<TopicPartition> partitions, Set<String> topics) {
    Set<Integer> found = new TreeSet<>();
    for (TopicPartition partition : partitions) {
      for (String topic : topics) {
        // Internal (repartition) topics appear in the description without the application id prefix.
        if (partition.topic().equals(topic) || partition.topic().endsWith("-" + topic)) {
          found.add(partition.partition());
        }
      }
    }
    return found;
  }

  /** The source topics of the sub-topology that holds the store: their partitions are the store's partitions. */
  private Set<String> sourceTopicsOf(String store) {
    for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
      boolean holdsStore = subtopology.nodes().stream().anyMatch(node ->
          node instanceof TopologyDescription.Processor processor && processor.stores().contains(store));
      if (holdsStore) {
        Set<String> topics = new HashSet<>();
        subtopology.nodes().stream()
            .filter(TopologyDescription.Source.class::isInstance)
            .map(TopologyDescription.Source.class::cast)
            .forEach(source -> topics.addAll(source.topicSet()));
        return Set.copyOf(topics);
      }
    }
    throw new IllegalArgumentException("no store " + store + " in the topology");
  }

  // ---- local copies ----

  private <K, V, R> List<R> answerForwarded(String store, Incoming incoming,
                                           Function<ReadOnlyKeyValueStore<K, V>, R> query) {
    try {
      return localPartitions(store, incoming.partitions(), query);
    } catch (CopyUnavailable e) {
      throw unavailable(e.getMessage());
    }
  }

  private <K, V, R> R localAllPartitions(String store, Function<ReadOnlyKeyValueStore<K, V>, R> query) {
    try {
      return query.apply(this.<K, V>localStore(new LocalCopy(store, ALL_PARTITIONS, false)));
    } catch (InvalidStateStoreException e) {
      throw unavailable(store + " is not queryable now: " + e.getMessage());
    }
  }

  /** One result per partition, each from the active local copy, else a standby copy within the lag bound. */
  private <K, V, R> List<R> localPartitions(String store, Set<Integer> partitions,
                                           Function<ReadOnlyKeyValueStore<K, V>, R> query) {
    if (partitions.isEmpty()) {
      throw new QueryError(400, "bad-forward", "a forwarded query must name its partitions in " + PARTITIONS_HEADER,
          List.of(), Map.of());
    }
    List<R> results = new ArrayList<>();
    for (int partition : partitions) {
      results.add(localPartition(store, partition, query));
    }
    return results;
  }

  private <K, V, R> R localPartition(String store, int partition, Function<ReadOnlyKeyValueStore<K, V>, R> query) {
    try {
      return query.apply(this.<K, V>localStore(new LocalCopy(store, partition, false)));
    } catch (InvalidStateStoreException notActive) {
      LagInfo lag = Optional.ofNullable(streams.allLocalStorePartitionLags().get(store))
          .map(lags -> lags.get(partition)).orElse(null);
      if (lag == null) {
        throw new CopyUnavailable(describeSelf() + " holds no copy of " + store + " partition " + partition);
      }
      if (lag.offsetLag() > settings.maxStandbyLag()) {
        throw new CopyUnavailable(describeSelf() + ": the copy of " + store + " partition " + partition + " is "
            + lag.offsetLag() + " records behind (bound " + settings.maxStandbyLag() + ")");
      }
      try {
        return query.apply(this.<K, V>localStore(new LocalCopy(store, partition, true)));
      } catch (InvalidStateStoreException e) {
        throw new CopyUnavailable(describeSelf() + ": " + store + " partition " + partition + " is not queryable: "
            + e.getMessage());
      }
    }
  }

  /**
   * The read-only view of a local store partition, made once: {@link KafkaStreams#store} builds a new view (after
   * taking the instance's state lock) on every call, while the view itself finds the store in the stream threads on
   * every read, throwing {@link InvalidStateStoreException} while this instance holds no such copy (not started,
   * rebalancing, moved away, shut down). So a kept view answers exactly as a new one would.
   */
  @SuppressWarnings("unchecked")
  private <K, V> ReadOnlyKeyValueStore<K, V> localStore(LocalCopy copy) {
    ReadOnlyKeyValueStore<?, ?> view = localStores.get(copy);
    if (view == null) {
      StoreQueryParameters<ReadOnlyKeyValueStore<K, V>> parameters = StoreQueryParameters
          .fromNameAndType(copy.store(), QueryableStoreTypes.<K, V>keyValueStore());
      if (copy.partition() != ALL_PARTITIONS) {
        parameters = parameters.withPartition(copy.partition());
      }
      if (copy.stale()) {
        parameters = parameters.enableStaleStores();
      }
      view = streams.store(parameters); // throws while Kafka Streams is not running: nothing kept then
      localStores.putIfAbsent(copy, view);
    }
    return (ReadOnlyKeyValueStore<K, V>) view;
  }

  /** A local copy to query: a store, one partition of it (or all), the active copy only or standbys too. */
  private record LocalCopy(String store, int partition, boolean stale) {
  }

  // ---- peers ----

  private Relayed forward(HostInfo host, Incoming incoming, Set<Integer> partitions) {
    String hostPart = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
    String peer = host.host() + ":" + host.port();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + hostPart + ":" + host.port()
            + incoming.pathAndQuery()))
        .timeout(settings.requestTimeout())
        .header(FORWARDED_BY_HEADER, describeSelf())
        .header(PARTITIONS_HEADER, partitions.stream().map(String::valueOf).collect(Collectors.joining(",")))
        .header("Accept", "application/json");
    if (incoming.authorization() != null) {
      builder.header("Authorization", incoming.authorization());
    }
    HttpRequest request = builder.GET().build();
    HttpResponse<byte[]> response;
    try {
      if (!forwardSlots.tryAcquire(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw unavailable("too many queries in flight to other instances (" + MAX_FORWARDS_IN_FLIGHT + "); retry");
      }
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } finally {
        forwardSlots.release();
      }
    } catch (IOException e) {
      LOG.debug("Instance {} did not answer {}", peer, incoming.pathAndQuery(), e);
      throw new CopyUnavailable("instance " + peer + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while asking instance " + peer);
    }
    if (response.statusCode() == 503) {
      throw new CopyUnavailable("instance " + peer + " answered 503: " + peerMessage(response.body()));
    }
    if (response.statusCode() >= 500) {
      LOG.warn("Instance {} answered {} to {}: {}", peer, response.statusCode(), incoming.pathAndQuery(),
          peerMessage(response.body()));
      throw QueryError.peer("instance " + peer + " answered " + response.statusCode() + ": "
          + peerMessage(response.body()));
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("application/json");
    return new Relayed(response.statusCode(), contentType, response.body(), peer);
  }

  private static String peerMessage(byte[] body) {
    try {
      QueryError.Body error = QueryJson.read(body, QueryError.Body.class);
      if (error.message() != null) {
        return error.message();
      }
    } catch (IllegalArgumentException notJson) {
      // fall through to the raw text
    }
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  private static boolean isKnown(HostInfo host) {
    return host != null && host.port() > 0 && !host.equals(HostInfo.unavailable());
  }

  private String describeSelf() {
    return self == null ? "this instance" : self.host() + ":" + self.port();
  }

  private QueryError unavailable(String message) {
    return QueryError.unavailable(message, (settings.retryAfter().toMillis() + 999) / 1000);
  }

  static Set<Integer> parsePartitions(String header) {
    if (header == null || header.isBlank()) {
      return Set.of();
    }
    try {
      return Arrays.stream(header.split(",")).map(String::trim).map(Integer::valueOf)
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (NumberFormatException e) {
      throw new QueryError(400, "bad-forward", PARTITIONS_HEADER + " must list partition numbers, got " + header,
          List.of(), Map.of());
    }
  }

  /** This copy cannot answer now (not held, too stale, unreachable): the next copy is asked. */
  private static final class CopyUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CopyUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
