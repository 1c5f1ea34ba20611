package io.conflictmon.streams.query;

import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.streams.alerts.AlertStores;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.casualties.CasualtyPeriod;
import io.conflictmon.streams.casualties.CasualtyStores;
import io.conflictmon.streams.query.QueryJson.Alert;
import io.conflictmon.streams.query.QueryJson.Alerts;
import io.conflictmon.streams.query.QueryJson.CasualtyTotal;
import io.conflictmon.streams.query.QueryJson.CasualtyTotalsList;
import io.conflictmon.streams.query.QueryJson.StrikeTotal;
import io.conflictmon.streams.query.QueryJson.StrikeTotalsList;
import io.conflictmon.streams.query.QueryJson.Wave;
import io.conflictmon.streams.query.QueryJson.Waves;
import io.conflictmon.streams.query.QueryJson.YearOnYear;
import io.conflictmon.streams.query.QueryLocator.Incoming;
import io.conflictmon.streams.query.QueryLocator.KeyAnswer;
import io.conflictmon.streams.query.QueryParams.Granularity;
import io.conflictmon.streams.totals.StrikeTotalsStores;
import io.conflictmon.streams.waves.WaveStores;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API over the streams state stores: the {@code GET} routes of DESIGN.md "HTTP API", registered on a Javalin
 * instance given to {@link #register} (the demo hosts them on the same server as the ingest routes). Every route works
 * on any instance: {@link QueryLocator} finds the copy that answers.
 *
 * <ul>
 *   <li>{@code GET /v1/waves?from=&to=&limit=}: {@code {"waves": [...]}}, oldest first; from/to are instants or Kyiv
 *       dates bounding the wave start (inclusive), limit 1..1000 (default 100)</li>
 *   <li>{@code GET /v1/waves/latest}, {@code GET /v1/waves/{id}}: one wave, or 404</li>
 *   <li>{@code GET /v1/totals/strikes?granularity=day|month|year&from=&to=}: {@code {"granularity", "totals": [...]}},
 *       by period; from/to are years, months or dates (default granularity day)</li>
 *   <li>{@code GET /v1/casualties/totals?source=&year=}: {@code {"source", "totals": [...]}}: the year totals of the
 *       source, or with {@code year} that year's total and its months</li>
 *   <li>{@code GET /v1/casualties/yoy?year=&source=}: year on year (source default {@code ohchr}), or 404</li>
 *   <li>{@code GET /v1/alerts?since=&limit=}: {@code {"alerts": [...]}}, the alerts raised at or after {@code since}
 *       (an instant or a Kyiv date; default all), newest first, limit 1..1000 (default 100)</li>
 * </ul>
 * Errors: 400 naming each bad parameter, 404 {@code not-found}, 503 with {@code Retry-After} while no copy of a store
 * can answer (starting, rebalancing), 502 when the instance that holds the data fails.
 */
public final class QueryApi {
  private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

  public static final String WAVES_PATH = "/v1/waves";
  public static final String LATEST_WAVE_PATH = "/v1/waves/latest";
  public static final String WAVE_PATH = "/v1/waves/{id}";
  public static final String STRIKE_TOTALS_PATH = "/v1/totals/strikes";
  public static final String CASUALTY_TOTALS_PATH = "/v1/casualties/totals";
  public static final String CASUALTY_YOY_PATH = "/v1/casualties/yoy";
  public static final String ALERTS_PATH = "/v1/alerts";
  public static final String DEFAULT_CASUALTY_SOURCE = "ohchr";
  public static final int DEFAULT_WAVE_LIMIT = 100;
  public static final int MAX_WAVE_LIMIT = 1000;
  static final String JSON = "application/json";

  private final QueryLocator locator;

  private QueryApi(QueryLocator locator) {
    this.locator = locator;
  }

  /** The API over the stores of a running (or starting) service, locating data with the given settings. */
  public static QueryApi create(StreamsService service, QueryLocator.Settings settings) {
    Objects.requireNonNull(service, "service");
    return new QueryApi(new QueryLocator(service.kafkaStreams(), service.topology(), settings));
  }

  /** Adds the {@code GET} routes listed in the class comment; creates no server. */
  public void register(Javalin app) {
    app.get(WAVES_PATH, ctx -> answer(ctx, this::waves));
    app.get(LATEST_WAVE_PATH, ctx -> answer(ctx, this::latestWave)); // before {id}: Javalin matches in order
    app.get(WAVE_PATH, ctx -> answer(ctx, this::wave));
    app.get(STRIKE_TOTALS_PATH, ctx -> answer(ctx, this::strikeTotals));
    app.get(CASUALTY_TOTALS_PATH, ctx -> answer(ctx, this::casualtyTotals));
    app.get(CASUALTY_YOY_PATH, ctx -> answer(ctx, this::yearOnYear));
    app.get(ALERTS_PATH, ctx -> answer(ctx, this::alerts));
  }

  public QueryLocator locator() {
    return locator;
  }

  // ---- routes ----

  private Object waves(Context ctx, Incoming incoming) {
    QueryParams params = new QueryParams(ctx::queryParam);
    Instant from = params.instant("from", false);
    Instant to = params.instant("to", true);
    int limit = params.integer("limit", DEFAULT_WAVE_LIMIT, 1, MAX_WAVE_LIMIT);
    params.ordered("from", from, "to", to);
    params.check();
    List<Wave> waves = locator.<Long, WaveSummary, Wave>gather(WaveStores.WAVES, incoming,
        store -> WaveStores.startingBetween(store, from, to, limit).stream().map(Wave::of).toList(),
        QueryApi::peerWaves, Comparator.comparingLong(Wave::startMillis), limit);
    return new Waves(waves);
  }

  /** A forwarded request gets the peer's newest wave as a list (maybe empty): only the asking instance answers 404. */
  private Object latestWave(Context ctx, Incoming incoming) {
    List<Wave> newest = locator.<Long, WaveSummary, Wave>gather(WaveStores.WAVES, incoming,
        store -> WaveStores.latest(store, 1).stream().map(Wave::of).toList(),
        QueryApi::peerWaves, Comparator.comparingLong(Wave::startMillis).reversed(), 1);
    if (incoming.forwarded()) {
      return new Waves(newest);
    }
    if (newest.isEmpty()) {
      throw QueryError.notFound("no wave yet");
    }
    return newest.get(0);
  }

  private Object wave(Context ctx, Incoming incoming) {
    String id = ctx.pathParam("id");
    long key;
    try {
      key = WaveStores.keyOf(id);
    } catch (IllegalArgumentException e) {
      throw QueryError.invalid(List.of(new QueryError.FieldProblem("id",
          "must be a wave id, its start as an ISO-8601 instant such as 2026-01-08T17:30:00Z, got '" + id + "'")));
    }
    KeyAnswer<Wave> answer = locator.<Long, WaveSummary, Wave>byKey(WaveStores.WAVES, key, new LongSerializer(),
        incoming, store -> Optional.ofNullable(store.get(key)).map(Wave::of));
    return answer.relayed() != null ? answer.relayed()
        : answer.local().orElseThrow(() -> QueryError.notFound("no wave " + id));
  }

  private Object strikeTotals(Context ctx, Incoming incoming) {
    QueryParams params = new QueryParams(ctx::queryParam);
    Granularity granularity = params.granularity("granularity", Granularity.DAY);
    LocalDate from = params.day("from", false);
    LocalDate to = params.day("to", true);
    params.ordered("from", from, "to", to);
    params.check();
    String fromKey = from == null ? null : granularity.keyOf(from);
    String toKey = to == null ? null : granularity.keyOf(to);
    List<StrikeTotal> totals = locator.<String, StrikeTotals, StrikeTotal>gather(StrikeTotalsStores.TOTALS, incoming,
        store -> periods(store, fromKey, toKey, granularity),
        json -> QueryJson.read(json, StrikeTotalsList.class).totals(),
        Comparator.comparing(StrikeTotal::period), Integer.MAX_VALUE);
    return new StrikeTotalsList(granularity.value(), totals);
  }

  /** Period keys sort as strings ({@code 2026 < 2026-01 < 2026-01-09 < 2026-02}); other granularities are skipped. */
  private static List<StrikeTotal> periods(ReadOnlyKeyValueStore<String, StrikeTotals> store, String fromKey,
                                           String toKey, Granularity granularity) {
    List<StrikeTotal> found = new ArrayList<>();
    try (KeyValueIterator<String, StrikeTotals> it = store.range(fromKey, toKey)) {
      while (it.hasNext()) {
        KeyValue<String, StrikeTotals> next = it.next();
        if (next.key.length() == granularity.keyLength && next.value != null) {
          found.add(StrikeTotal.of(next.value));
        }
      }
    }
    return found;
  }

  private Object casualtyTotals(Context ctx, Incoming incoming) {
    QueryParams params = new QueryParams(ctx::queryParam);
    String source = params.source("source", DEFAULT_CASUALTY_SOURCE);
    Integer year = params.year("year", false);
    params.check();
    // Keys are source/yyyy and source/yyyy-MM: the prefix source/yyyy holds a year and its months.
    String prefix = year == null ? source + "/" : CasualtyPeriod.yearKey(source, year);
    List<CasualtyTotal> totals = locator.<String, CasualtyTotals, CasualtyTotal>gather(CasualtyStores.TOTALS, incoming,
        store -> casualtyTotals(store, prefix, year == null),
        json -> QueryJson.read(json, CasualtyTotalsList.class).totals(),
        Comparator.comparingInt(CasualtyTotal::year)
            .thenComparing(CasualtyTotal::month, Comparator.nullsFirst(Comparator.naturalOrder())),
        Integer.MAX_VALUE);
    return new CasualtyTotalsList(source, totals);
  }

  private static List<CasualtyTotal> casualtyTotals(ReadOnlyKeyValueStore<String, CasualtyTotals> store, String prefix,
                                                    boolean yearsOnly) {
    List<CasualtyTotal> found = new ArrayList<>();
    try (KeyValueIterator<String, CasualtyTotals> it = store.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        CasualtyTotals totals = it.next().value;
        if (totals != null && (!yearsOnly || totals.getMonth() == null)) {
          found.add(CasualtyTotal.of(totals));
        }
      }
    }
    return found;
  }

  private Object yearOnYear(Context ctx, Incoming incoming) {
    QueryParams params = new QueryParams(ctx::queryParam);
    Integer year = params.year("year", true);
    String source = params.source("source", DEFAULT_CASUALTY_SOURCE);
    params.check();
    String key = CasualtyPeriod.yearKey(source, year);
    KeyAnswer<YearOnYear> answer = locator.<String, CasualtyTotals, YearOnYear>byKey(CasualtyStores.TOTALS, key,
        new StringSerializer(), incoming, store -> Optional.ofNullable(store.get(key)).map(YearOnYear::of));
    return answer.relayed() != null ? answer.relayed()
        : answer.local().orElseThrow(() -> QueryError.notFound("no casualty totals of " + source + " for " + year));
  }

  /** The strike-side and casualty-side rules keep their alerts in separate stores (sub-topologies): both are gathered. */
  private Object alerts(Context ctx, Incoming incoming) {
    QueryParams params = new QueryParams(ctx::queryParam);
    Instant since = params.instant("since", false);
    int limit = params.integer("limit", DEFAULT_WAVE_LIMIT, 1, MAX_WAVE_LIMIT);
    params.check();
    Comparator<Alert> newestFirst = Comparator.comparing((Alert alert) -> Instant.parse(alert.firedAt())).reversed()
        .thenComparing(Alert::id);
    List<Alert> alerts = new ArrayList<>();
    for (String store : List.of(AlertStores.STRIKE_ALERTS, AlertStores.CASUALTY_ALERTS)) {
      alerts.addAll(locator.<String, EscalationAlert, Alert>gather(store, incoming,
          local -> AlertStores.raisedSince(local, since, limit).stream().map(Alert::of).toList(),
          json -> QueryJson.read(json, Alerts.class).alerts(), newestFirst, limit));
    }
    return new Alerts(alerts.stream().sorted(newestFirst).limit(limit).toList());
  }

  private static List<Wave> peerWaves(byte[] json) {
    return QueryJson.read(json, Waves.class).waves();
  }

  // ---- answers ----

  @FunctionalInterface
  private interface Route {
    /** The body to answer 200 with, or a {@link QueryLocator.Relayed} peer answer. */
    Object answer(Context ctx, Incoming incoming);
  }

  private void answer(Context ctx, Route route) {
    try {
      Object body = route.answer(ctx, Incoming.of(ctx));
      if (body instanceof QueryLocator.Relayed relayed) {
        respond(ctx, relayed.status(), relayed.contentType(), relayed.body());
      } else {
        respond(ctx, 200, JSON, QueryJson.write(body));
      }
    } catch (QueryError e) {
      error(ctx, e);
    } catch (InvalidStateStoreException e) {
      error(ctx, QueryError.unavailable("the state store is not queryable now: " + e.getMessage(),
          locator.settings().retryAfter().toSeconds()));
    } catch (RuntimeException e) {
      LOG.error("Query {} {} failed", ctx.method(), ctx.fullUrl(), e);
      error(ctx, new QueryError(500, QueryError.INTERNAL, "the query failed: " + e, List.of(), Map.of()));
    }
  }

  static void error(Context ctx, QueryError e) {
    e.headers().forEach(ctx::header);
    respond(ctx, e.status(), JSON, QueryJson.write(e.body()));
  }

  /**
   * Writes the body to the response stream itself rather than through {@code ctx.result(bytes)}: Javalin copies a
   * result into the response with a new buffer of {@code responseBufferSize} (Jetty's output buffer, 32 KiB) per
   * request, which at 1,000 queries/s was 40 % of the server's allocation (and so of its GC pauses) for answers of
   * about 1 KiB. The stream is Javalin's (compression as for a result); Jetty buffers it and Javalin closes it.
   */
  static void respond(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status).contentType(contentType);
    try {
      ctx.outputStream().write(body);
    } catch (IOException e) {
      LOG.debug("Could not answer {} {}: {}", ctx.method(), ctx.path(), e.toString()); // the client went away
    }
  }
}
