package io.conflictmon.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that secures our HTTP servers (the ingest/demo server with the API and the dashboard, and the schema
 * registry): security headers on every response, and bearer-token access with a per-token rate limit in front of every
 * route.
 *
 * <p><b>Headers</b>, set before any route runs so they are on errors too: {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY}, {@code Content-Security-Policy: default-src
 * 'none'; frame-ancestors 'none'} and {@code Cache-Control: no-store}. The dashboard replaces the last two on its own
 * files with its page policy and its caching. Jetty sends no {@code Server} header ({@link #configure}).
 *
 * <p><b>Access</b> ({@link AccessTokens}): with no token configured everything is open. Once tokens are configured,
 * {@code POST} (any method but GET/HEAD) under {@code /v1/} needs a token with the {@code write} scope. The
 * {@code GET /v1/...} queries and the {@code /v1/stream} events need the {@code read} scope only when some token has
 * it (reads stay open otherwise, as the dashboard needs), and {@code /metrics} the {@code metrics} scope likewise.
 * The dashboard, {@code /openapi.json} and {@code /health/*} are always open. Answers: 401 without a valid token
 * ({@code WWW-Authenticate: Bearer}), 403 for a valid token without the scope, 429 with {@code Retry-After} past the
 * token's rate limit; JSON in the API's error shape.
 *
 * <p>The token travels as {@code Authorization: Bearer <secret>}. Browsers' {@code EventSource} cannot set headers, so
 * {@code /v1/stream}, and only it, also takes {@code ?access_token=<secret>} (RFC 6750 section 2.3); it is never logged.
 */
public final class HttpSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurity.class);

    public static final String API_PREFIX = "/v1/";
    /** The one route that accepts the token as a query parameter. */
    public static final String STREAM_PATH = "/v1/stream";
    public static final String ACCESS_TOKEN_PARAMETER = "access_token";
    public static final String METRICS_PATH = "/metrics";
    static final String DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private static final String SCHEME = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"conflictmon\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessTokens tokens;
    private final RateLimit rateLimit;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private HttpSecurity(AccessTokens tokens, RateLimit rateLimit) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
    }

    /** Server settings: no Jetty version in a {@code Server} header. Call from {@code Javalin.create(config -> ...)}. */
    public static void configure(JavalinConfig config) {
        config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
    }

    /** Security headers on every response, and no access control. */
    public static HttpSecurity install(Javalin app) {
        return install(app, AccessTokens.none(), RateLimit.OFF);
    }

    /** Security headers and token access with the rate limit per token; register before any route. */
    public static HttpSecurity install(Javalin app, AccessTokens tokens, RateLimit rateLimit) {
        HttpSecurity security = new HttpSecurity(tokens, rateLimit);
        app.before(security::handle);
        if (tokens.enabled()) {
            LOG.info("HTTP access: tokens {}; reads {}; rate limit per token {}", tokens,
                    tokens.anyHas(Scope.READ) ? "need the read scope" : "open", rateLimit);
        }
        return security;
    }

    private void handle(Context ctx) {
        securityHeaders(ctx);
        Optional<Scope> needed = requiredScope(ctx.method().name(), ctx.path());
        if (needed.isEmpty()) {
            return;
        }
        Optional<String> secret = presentedSecret(ctx);
        Optional<AccessTokens.Token> token = secret.flatMap(tokens::authenticate);
        if (token.isEmpty()) {
            String reason = secret.isPresent() ? "the bearer token is not valid" : missingTokenMessage(ctx);
            LOG.info("Refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), reason);
            refuse(ctx, 401, "unauthorized", reason, Map.of("WWW-Authenticate",
                    CHALLENGE + (secret.isPresent() ? ", error=\"invalid_token\"" : "")));
            return;
        }
        String name = token.get().name();
        if (!token.get().allows(needed.get())) {
            String reason = "token '" + name + "' lacks the " + needed.get().label() + " scope";
            LOG.info("Refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), reason);
            refuse(ctx, 403, "forbidden", reason, Map.of("WWW-Authenticate",
                    CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + needed.get().label() + "\""));
            return;
        }
        if (rateLimit.enabled()) {
            ConsumptionProbe probe = buckets.computeIfAbsent(name, n -> newBucket()).tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
                LOG.debug("Rate-limited {} {} of token '{}'", ctx.method(), ctx.path(), name);
                refuse(ctx, 429, "rate-limited", "token '" + name + "' made more than " + rateLimit
                        + " requests; retry in " + retryAfter + " s", Map.of("Retry-After", Long.toString(retryAfter)));
            }
        }
    }

    /** The scope a request needs, or empty when it is open. */
    Optional<Scope> requiredScope(String method, String path) {
        if (!tokens.enabled()) {
            return Optional.empty();
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.startsWith(API_PREFIX)) {
            if (!read) {
                return Optional.of(Scope.WRITE);
            }
            return tokens.anyHas(Scope.READ) ? Optional.of(Scope.READ) : Optional.empty();
        }
        if (path.equals(METRICS_PATH) && tokens.anyHas(Scope.METRICS)) {
            return Optional.of(Scope.METRICS);
        }
        return Optional.empty();
    }

    private static Optional<String> presentedSecret(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null) {
            if (header.length() > SCHEME.length() && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                String secret = header.substring(SCHEME.length()).strip();
                return secret.isEmpty() ? Optional.empty() : Optional.of(secret);
            }
            return Optional.of(""); // another scheme: presented, and never valid
        }
        if (ctx.path().equals(STREAM_PATH)) {
            return Optional.ofNullable(ctx.queryParam(ACCESS_TOKEN_PARAMETER)).filter(s -> !s.isEmpty());
        }
        return Optional.empty();
    }

    private static String missingTokenMessage(Context ctx) {
        return ctx.path().equals(STREAM_PATH)
                ? "no token: send 'Authorization: Bearer <token>' or ?" + ACCESS_TOKEN_PARAMETER + "=<token>"
                : "missing Authorization header: send 'Authorization: Bearer <token>'";
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(rateLimit.requests())
                .refillGreedy(rateLimit.requests(), rateLimit.period()).build()).build();
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", DEFAULT_CONTENT_SECURITY_POLICY);
        ctx.header("Cache-Control", "no-store");
    }

    private static void refuse(Context ctx, int status, String code, String message, Map<String, String> headers) {
        headers.forEach(ctx::header);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        body.put("fields", List.of());
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e); // a map of strings
        }
        ctx.skipRemainingHandlers();
    }
}
