package io.conflictmon.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.ingest.importer.ReportKind;
import io.conflictmon.ingest.model.CasualtyReportInput;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.SchemaRegistryClient;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingest API: {@code POST /v1/strikes} and {@code POST /v1/casualties}, registered on a Javalin instance given
 * to {@link #register} (the standalone {@link IngestServer}, or the demo's one server that also serves the query API).
 *
 * <p>A request passes, in this order: the bearer token, its scope and rate limit (401, 403, 429; checked by
 * {@link io.conflictmon.security.HttpSecurity} on the server before this API sees the request), the content type (415), the body size (413), the JSON
 * syntax and shape (400; an array above the item limit: 413), the mapping and {@link ReportValidator} rules of every
 * report (400 with each field's path, prefixed by the array index for a batch), then serialization of every record,
 * then the sends. It is answered 202 with the report ids only after Kafka acknowledged every report ({@code acks=all}).
 *
 * <p><b>All-or-nothing</b> by default: one invalid report refuses the whole request. With {@code ?partial=true} the
 * valid reports are published and the invalid ones listed in the 202 answer under {@code rejected} (a request without
 * any valid report is still a 400).
 *
 * <p><b>Dead letters</b>: every invalid report (and a body that is not JSON or not a report at all) is also written to
 * the dead-letter topic as a {@code RejectedRecord} with source {@code http}, source id
 * {@code <request id>/<index>} (the request id is the {@code X-Request-Id} answer header) and the exact bytes it was
 * sent as: bad input never vanishes, in either mode. This write does not delay or change the answer: the client has
 * its errors either way; a dead letter Kafka does not take is logged and counted
 * ({@code conflictmon_ingest_dead_letters_total{outcome="failed"}}). Bodies refused before they are read (401, 413, 415)
 * are not kept: they are not reports, and keeping them would let anyone fill the topic.
 *
 * <p><b>Failures (503)</b>: every record of a request is serialized before the first is sent, so a schema registry
 * that is down fails the request before anything is written. Sends are bounded by the send timeout
 * ({@code delivery.timeout.ms}, {@code max.block.ms}); a report Kafka did not acknowledge in time answers 503 with
 * {@code Retry-After}. A batch is not a transaction: when some reports of a batch were acknowledged and others not,
 * the answer is still 503, and the client retries the whole request. That is safe because the producer is idempotent
 * and the record key is the report id: the retry writes the same id with the same content again, which the compacted
 * topic and the streams de-duplication by content treat as one report. Ids are derived from the content when absent,
 * so a retry of a report without id gets the same id.
 *
 * <p>Errors are JSON in the DESIGN.md shape everywhere; nothing a client sends causes a 500. Thread-safe.
 */
public final class IngestApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

    public static final String STRIKES_PATH = "/v1/strikes";
    public static final String CASUALTIES_PATH = "/v1/casualties";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** {@code RejectedRecord.source} of everything refused by this API. */
    public static final String DEAD_LETTER_SOURCE = "http";
    static final String JSON_CONTENT_TYPE = "application/json";
    /** Keeps a dead letter under Kafka's default 1 MiB request size whatever the body limit. */
    static final int MAX_DEAD_LETTER_PAYLOAD = 960 * 1024;
    private static final int MAX_REASON_LENGTH = 4_000;
    /** Past the send timeout, the producer's own timeout should have answered; this only guards against a hang. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(1);

    private static final ObjectMapper RESPONSE_JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final IngestConfig config;
    private final RecordSender sender;
    private final ReportMapper reportMapper;
    private final ReportValidator validator;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final JsonBodyReader bodyReader;
    private final KafkaReadiness readiness;
    private final ExecutorService responder;
    private final List<AutoCloseable> owned;

    private IngestApi(IngestConfig config, RecordSender sender, KafkaReadiness readiness, Clock clock,
            MeterRegistry meters, List<AutoCloseable> owned) {
        this.config = config;
        this.sender = sender;
        this.readiness = readiness;
        this.clock = clock;
        this.reportMapper = new ReportMapper(WeaponClassifier.bundled());
        this.validator = new ReportValidator(clock);
        this.metrics = new IngestMetrics(meters);
        this.bodyReader = new JsonBodyReader(config.maxBodyBytes(), config.maxItems());
        this.owned = owned;
        AtomicInteger threads = new AtomicInteger();
        // Answers are written here, not on the producer's I/O thread that completes the sends.
        this.responder = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, "ingest-http-answer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Creates the API with its own registry client, producer (with {@link KafkaClientMetrics} on {@code meters}) and
     * readiness check, all closed by {@link #close()}.
     */
    public static IngestApi create(IngestConfig config, MeterRegistry meters) {
        return create(config, meters, Clock.systemUTC());
    }

    /** As {@link #create(IngestConfig, MeterRegistry)}, with the clock of validation and {@code reportedAt}. */
    public static IngestApi create(IngestConfig config, MeterRegistry meters, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(clock, "clock");
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            // The registry must answer within the send timeout too, or a request would hang on it.
            String timeoutMs = Long.toString(config.sendTimeout().toMillis());
            SchemaRegistryClient registryClient = new HttpSchemaRegistryClient(config.schemaRegistryUrl(), Map.of(
                    HttpSchemaRegistryClient.CONNECT_TIMEOUT_MS, timeoutMs,
                    HttpSchemaRegistryClient.REQUEST_TIMEOUT_MS, timeoutMs));
            owned.add(registryClient);
            RecordSender sender = RecordSender.create(config,
                    SpecificRecordSerializer.of(new TopicSerdes(registryClient, true)));
            owned.add(0, sender); // closed first: flushes while the registry client is still open
            KafkaClientMetrics producerMetrics = new KafkaClientMetrics(sender.producer());
            producerMetrics.bindTo(meters);
            owned.add(0, producerMetrics);
            Map<String, Object> adminConfig = new HashMap<>(config.kafkaProperties());
            adminConfig.put("bootstrap.servers", config.bootstrapServers());
            adminConfig.put("client.id", "conflictmon-ingest-http-readiness");
            KafkaReadiness readiness = new KafkaReadiness(adminConfig, List.of(config.topics().strikeReports(),
                    config.topics().casualtyReports(), config.topics().deadLetters()), Duration.ofSeconds(2));
            owned.add(readiness);
            LOG.info("HTTP ingest API configured: {}", config);
            return new IngestApi(config, sender, readiness, clock, meters, owned);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    /** Adds {@code POST /v1/strikes} and {@code POST /v1/casualties}. */
    public void register(Javalin app) {
        app.post(STRIKES_PATH, ctx -> handle(ctx, ReportKind.STRIKE));
        app.post(CASUALTIES_PATH, ctx -> handle(ctx, ReportKind.CASUALTY));
    }

    /** Whether Kafka can take reports now (see {@link KafkaReadiness}). */
    public Readiness readiness() {
        return readiness.check();
    }

    public IngestConfig config() {
        return config;
    }

    @Override
    public void close() {
        responder.shutdown();
        try {
            if (!responder.awaitTermination(config.sendTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                responder.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            responder.shutdownNow();
        }
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }

    // ---- request handling ----

    /** The answer: status, JSON body, extra headers. */
    private record Reply(int status, Object body, Map<String, String> headers) {
        static Reply of(ApiError error) {
            return new Reply(error.status(), error.body(), error.headers());
        }
    }

    /** The 202 body; {@code rejected} only in partial mode. */
    public record Accepted(int accepted, List<String> ids, List<RejectedItem> rejected) {
    }

    /** A report refused in partial mode: its index in the array, its id when known, and why. */
    public record RejectedItem(int index, String id, String error, String message, List<FieldError> fields) {
    }

    private void handle(Context ctx, ReportKind kind) {
        long startNanos = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        ctx.header(REQUEST_ID_HEADER, requestId);
        metrics.requestStarted();
        CompletableFuture<Reply> reply;
        try {
            reply = ingest(ctx, kind, requestId);
        } catch (ApiError e) {
            reply = CompletableFuture.completedFuture(Reply.of(e));
        } catch (RuntimeException e) {
            reply = CompletableFuture.completedFuture(Reply.of(internal(kind, requestId, e)));
        }
        if (reply.isDone()) {
            finish(ctx, kind, reply.join(), startNanos);
        } else {
            CompletableFuture<Void> answered = reply.handleAsync((r, error) -> {
                finish(ctx, kind, r != null ? r : Reply.of(internal(kind, requestId, error)), startNanos);
                return null;
            }, responder);
            ctx.future(() -> answered);
        }
    }

    private void finish(Context ctx, ReportKind kind, Reply reply, long startNanos) {
        try {
            reply.headers().forEach(ctx::header);
            ctx.status(reply.status()).contentType(JSON_CONTENT_TYPE).result(RESPONSE_JSON.writeValueAsBytes(reply.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer body " + reply.body(), e); // our own records
        } finally {
            metrics.requestFinished(kind, reply.status(), System.nanoTime() - startNanos);
        }
    }

    private CompletableFuture<Reply> ingest(Context ctx, ReportKind kind, String requestId) {
        requireJson(ctx.header("Content-Type"), kind);
        byte[] body = readBody(ctx, kind);
        Instant now = clock.instant();

        JsonBodyReader.Body parsed;
        try {
            parsed = bodyReader.read(body);
        } catch (ApiError e) {
            metrics.rejected(kind, e.code(), 1);
            if (!e.code().equals(ApiError.EMPTY_BODY) && e.status() == 400) {
                deadLetterLater(kind, List.of(deadLetter(requestId, e.code(), e.getMessage(), List.of(), body, now)));
            }
            throw e;
        }

        List<Decoded> valid = new ArrayList<>();
        List<Decoded> invalid = new ArrayList<>();
        Map<String, Integer> indexOfId = new HashMap<>();
        for (JsonBodyReader.Item item : parsed.items()) {
            Decoded decoded = decode(kind, item, parsed.batch(), now);
            if (decoded.valid()) {
                Integer first = indexOfId.putIfAbsent(decoded.id(), item.index());
                if (first != null) {
                    decoded = decoded.refused(new FieldError("id", "another report of this request, at [" + first
                            + "], has the same id '" + decoded.id() + "'" + (item.node().hasNonNull("id") ? ""
                            : " (derived from its content, as no id was sent)")
                            + ": the later would replace the earlier; send each report once per request"));
                }
            }
            (decoded.valid() ? valid : invalid).add(decoded);
        }
        boolean partial = Boolean.parseBoolean(ctx.queryParam("partial"));
        if (!invalid.isEmpty() && (!partial || valid.isEmpty())) {
            metrics.rejected(kind, ApiError.VALIDATION, invalid.size());
            deadLetterLater(kind, invalid.stream().map(d -> deadLetterOf(kind, d, requestId, now)).toList());
            throw new ApiError(400, ApiError.VALIDATION, refusalMessage(kind, parsed, invalid.size(), partial),
                    invalid.stream().flatMap(d -> d.pathErrors().stream()).toList(), Map.of());
        }
        return publish(kind, requestId, valid, invalid, partial, now);
    }

    private CompletableFuture<Reply> publish(ReportKind kind, String requestId, List<Decoded> valid,
            List<Decoded> invalid, boolean partial, Instant now) {
        String topic = config.topics().reportsOf(kind);
        List<ProducerRecord<String, byte[]>> reports = new ArrayList<>(valid.size());
        List<ProducerRecord<String, byte[]>> letters = new ArrayList<>(invalid.size());
        try {
            for (Decoded report : valid) {
                reports.add(sender.serialize(topic, report.id(), report.record()));
            }
            for (Decoded refused : invalid) {
                RejectedRecord letter = deadLetterOf(kind, refused, requestId, now);
                letters.add(sender.serialize(config.topics().deadLetters(), letter.getSourceId(), letter));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Reply.of(sendFailure(kind, requestId, valid.size(), e,
                    "the schema registry")));
        }

        long sendStartNanos = System.nanoTime();
        CompletableFuture<Void> acknowledged = sender.sendAll(reports);
        if (!letters.isEmpty()) {
            sender.sendAll(letters).whenComplete((ok, error) -> deadLettered(kind, letters.size(), error));
        }
        List<String> ids = valid.stream().map(Decoded::id).toList();
        return acknowledged
                .orTimeout(config.sendTimeout().plus(ANSWER_GRACE).toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        return Reply.of(sendFailure(kind, requestId, valid.size(), error, "Kafka"));
                    }
                    metrics.published(kind, System.nanoTime() - sendStartNanos);
                    metrics.accepted(kind, valid.size());
                    List<RejectedItem> rejected = null;
                    if (partial) {
                        metrics.rejected(kind, ApiError.VALIDATION, invalid.size());
                        rejected = invalid.stream().map(d -> new RejectedItem(d.index(), d.id(), ApiError.VALIDATION,
                                d.summary(kind), d.pathErrors())).toList();
                    }
                    return new Reply(202, new Accepted(valid.size(), ids, rejected), Map.of());
                });
    }

    private ApiError sendFailure(ReportKind kind, String requestId, int reports, Throwable error, String what) {
        RecordSender.Failure failure = RecordSender.classify(error);
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        switch (failure) {
            case UNAVAILABLE -> {
                metrics.rejected(kind, ApiError.UNAVAILABLE, reports);
                String detail = cause instanceof TimeoutException
                        ? "no acknowledgement within " + config.sendTimeout().plus(ANSWER_GRACE).toMillis() + " ms"
                        : cause.getMessage();
                LOG.warn("Request {}: {} is unavailable, answering 503: {}", requestId, what, detail);
                return new ApiError(503, ApiError.UNAVAILABLE, what + " is unavailable (" + detail + "); retry the "
                        + "whole request later: reports are idempotent by id, a retry never counts one twice",
                        List.of(), Map.of("Retry-After", Long.toString(Math.max(1, config.retryAfter().toSeconds()))));
            }
            case TOO_LARGE -> {
                metrics.rejected(kind, ApiError.BODY_TOO_LARGE, reports);
                return new ApiError(413, ApiError.BODY_TOO_LARGE, "a report is larger than Kafka accepts: "
                        + cause.getMessage());
            }
            default -> {
                return internal(kind, requestId, error);
            }
        }
    }

    private ApiError internal(ReportKind kind, String requestId, Throwable error) {
        metrics.rejected(kind, ApiError.INTERNAL, 1);
        LOG.error("Request {} to the {} ingest failed on our side", requestId, IngestMetrics.type(kind), error);
        return new ApiError(500, ApiError.INTERNAL, "the server failed to handle request " + requestId
                + "; the error is logged under this id");
    }

    private void requireJson(String contentType, ReportKind kind) {
        String problem = null;
        if (contentType == null || contentType.isBlank()) {
            problem = "no Content-Type given";
        } else {
            String[] parts = contentType.split(";");
            if (!parts[0].strip().equalsIgnoreCase(JSON_CONTENT_TYPE)) {
                problem = "Content-Type '" + parts[0].strip() + "' is not supported";
            }
            for (int i = 1; i < parts.length && problem == null; i++) {
                String[] param = parts[i].split("=", 2);
                if (param[0].strip().equalsIgnoreCase("charset") && param.length == 2
                        && !param[1].strip().replace("\"", "").equalsIgnoreCase("utf-8")) {
                    problem = "charset '" + param[1].strip() + "' is not supported (JSON is UTF-8)";
                }
            }
        }
        if (problem != null) {
            metrics.rejected(kind, ApiError.UNSUPPORTED_MEDIA_TYPE, 1);
            throw new ApiError(415, ApiError.UNSUPPORTED_MEDIA_TYPE, problem + ": send Content-Type: application/json");
        }
    }

    /**
     * The body, read up to the limit. The servlet input stream belongs to the container, which closes it; it is read
     * directly (not through {@code ctx.body()}) so that the limit is this API's, whatever the shared server's is.
     */
    private byte[] readBody(Context ctx, ReportKind kind) {
        long limit = Math.min(config.maxBodyBytes(), Integer.MAX_VALUE - 16);
        long declared = ctx.req().getContentLengthLong();
        byte[] body = null;
        if (declared <= limit) {
            try {
                InputStream in = ctx.bodyInputStream();
                body = in.readNBytes((int) limit + 1);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the request body", e);
            }
        }
        if (body == null || body.length > limit) {
            metrics.rejected(kind, ApiError.BODY_TOO_LARGE, 1);
            throw new ApiError(413, ApiError.BODY_TOO_LARGE, "the body is larger than " + limit
                    + " bytes" + (declared > limit ? " (Content-Length " + declared + ")" : "")
                    + ": split the reports into several requests");
        }
        return body;
    }

    // ---- one report ----

    /**
     * One report of a request after mapping and validation: the Avro record when valid, else its errors with paths
     * relative to the report ({@code errors}) and as the client sees them ({@code pathErrors}, prefixed by the index).
     */
    private record Decoded(int index, boolean batch, byte[] raw, String id, SpecificRecord record,
            List<FieldError> errors) {
        boolean valid() {
            return record != null;
        }

        Decoded refused(FieldError error) {
            List<FieldError> all = new ArrayList<>(errors);
            all.add(error);
            return new Decoded(index, batch, raw, id, null, all);
        }

        List<FieldError> pathErrors() {
            if (!batch) {
                return errors;
            }
            String prefix = "[" + index + "]";
            return errors.stream().map(e -> new FieldError(e.path().equals("$") ? prefix
                    : e.path().startsWith("[") ? prefix + e.path() : prefix + "." + e.path(), e.message())).toList();
        }

        String summary(ReportKind kind) {
            String all = "invalid " + IngestMetrics.type(kind) + " report: "
                    + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
            return all.length() <= MAX_REASON_LENGTH ? all : all.substring(0, MAX_REASON_LENGTH - 3) + "...";
        }
    }

    private Decoded decode(ReportKind kind, JsonBodyReader.Item item, boolean batch, Instant now) {
        JsonNode node = item.node();
        String givenId = node.isObject() && node.path("id").isTextual() ? node.get("id").textValue() : null;
        if (!node.isObject()) {
            return new Decoded(item.index(), batch, item.raw(), null, null, List.of(new FieldError("$",
                    "must be a JSON object (one report); got " + node.getNodeType().name().toLowerCase(Locale.ROOT))));
        }
        ObjectMapper mapper = bodyReader.mapper();
        try {
            if (kind == ReportKind.STRIKE) {
                StrikeReportInput filled = reportMapper.withDefaults(mapper.treeToValue(node, StrikeReportInput.class));
                List<FieldError> errors = validator.validate(filled);
                return errors.isEmpty()
                        ? new Decoded(item.index(), batch, item.raw(), filled.id(), ReportMapper.toAvro(filled, now), List.of())
                        : new Decoded(item.index(), batch, item.raw(), filled.id(), null, errors);
            }
            CasualtyReportInput filled = reportMapper.withDefaults(mapper.treeToValue(node, CasualtyReportInput.class));
            List<FieldError> errors = validator.validate(filled);
            return errors.isEmpty()
                    ? new Decoded(item.index(), batch, item.raw(), filled.id(), ReportMapper.toAvro(filled, now), List.of())
                    : new Decoded(item.index(), batch, item.raw(), filled.id(), null, errors);
        } catch (JsonProcessingException e) {
            List<FieldError> errors = IngestJson.fieldErrors(e)
                    .orElseGet(() -> List.of(new FieldError("$", IngestJson.syntaxError(e))));
            return new Decoded(item.index(), batch, item.raw(), givenId, null, errors);
        } catch (IllegalArgumentException e) { // treeToValue's wrapper of a mapping failure
            return new Decoded(item.index(), batch, item.raw(), givenId, null,
                    List.of(new FieldError("$", String.valueOf(e.getMessage()))));
        }
    }

    private static String refusalMessage(ReportKind kind, JsonBodyReader.Body parsed, int invalid, boolean partial) {
        String type = IngestMetrics.type(kind);
        if (!parsed.batch()) {
            return "the " + type + " report is invalid; nothing was accepted";
        }
        int total = parsed.items().size();
        return partial
                ? "none of the " + total + " " + type + " reports is valid; nothing was accepted"
                : invalid + " of " + total + " " + type + " reports are invalid; nothing was accepted (send "
                        + "?partial=true to accept the valid ones)";
    }

    // ---- dead letters ----

    private RejectedRecord deadLetterOf(ReportKind kind, Decoded refused, String requestId, Instant now) {
        return deadLetter(requestId + "/" + refused.index(), ApiError.VALIDATION, refused.summary(kind),
                refused.errors(), refused.raw(), now);
    }

    private static RejectedRecord deadLetter(String sourceId, String reasonCode, String reason, List<FieldError> errors,
            byte[] payload, Instant now) {
        byte[] kept = payload;
        String fullReason = reason;
        if (payload.length > MAX_DEAD_LETTER_PAYLOAD) {
            kept = Arrays.copyOf(payload, MAX_DEAD_LETTER_PAYLOAD);
            fullReason = reason + " (payload cut to its first " + MAX_DEAD_LETTER_PAYLOAD + " of " + payload.length
                    + " bytes)";
        }
        if (fullReason.length() > MAX_REASON_LENGTH) {
            fullReason = fullReason.substring(0, MAX_REASON_LENGTH - 3) + "...";
        }
        return RejectedRecord.newBuilder()
                .setSource(DEAD_LETTER_SOURCE)
                .setSourceId(sourceId)
                .setReasonCode(reasonCode)
                .setReason(fullReason)
                .setFieldErrors(errors.stream().map(FieldError::toAvro).toList())
                .setPayload(ByteBuffer.wrap(kept))
                .setRejectedAt(now)
                .build();
    }

    /** Writes dead letters off the request thread: the answer does not wait for them (see the class comment). */
    private void deadLetterLater(ReportKind kind, List<RejectedRecord> letters) {
        try {
            responder.execute(() -> {
                List<ProducerRecord<String, byte[]>> records = new ArrayList<>(letters.size());
                try {
                    for (RejectedRecord letter : letters) {
                        records.add(sender.serialize(config.topics().deadLetters(), letter.getSourceId(), letter));
                    }
                } catch (RuntimeException e) {
                    deadLettered(kind, letters.size(), e);
                    return;
                }
                sender.sendAll(records).whenComplete((ok, error) -> deadLettered(kind, letters.size(), error));
            });
        } catch (RejectedExecutionException e) {
            deadLettered(kind, letters.size(), e); // shutting down
        }
    }

    private void deadLettered(ReportKind kind, int count, Throwable error) {
        if (error == null) {
            metrics.deadLetters("written", count);
        } else {
            metrics.deadLetters("failed", count);
            LOG.error("{} rejected {} input(s) could not be written to {}: {}", count, IngestMetrics.type(kind),
                    config.topics().deadLetters(), error.toString());
        }
    }
}
