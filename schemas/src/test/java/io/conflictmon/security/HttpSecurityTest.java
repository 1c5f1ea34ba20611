package io.conflictmon.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Javalin server with HttpSecurity in front of routes shaped like ours. */
class HttpSecurityTest {
    private static final String WRITER = "writer-secret-7f3a";
    private static final String READER = "reader-secret-91bc";
    private static final String OPS = "ops-secret-55d0";
    private static final String LIMITED = "limited-secret-0c4e";
    private static final String NOISY = "noisy-secret-3b71";
    private static final String UNTOUCHED = "untouched-secret-8e02";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Javalin readsClosed;
    private static Javalin readsOpen;
    private static Javalin tight;

    @BeforeAll
    static void start() {
        readsClosed = server(AccessTokens.parse("writer:" + WRITER + ":write reader:" + READER + ":read ops:" + OPS
                + ":read+write+metrics"), RateLimit.DEFAULT);
        readsOpen = server(AccessTokens.parse("writer:" + WRITER + ":write"), RateLimit.DEFAULT);
        tight = server(AccessTokens.parse("limited:" + LIMITED + ":read noisy:" + NOISY + ":read untouched:" + UNTOUCHED
                + ":read"),
                new RateLimit(3, Duration.ofMinutes(1)));
    }

    @AfterAll
    static void stop() {
        readsClosed.stop();
        readsOpen.stop();
        tight.stop();
    }

    private static Javalin server(AccessTokens tokens, RateLimit limit) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            HttpSecurity.configure(config);
        });
        HttpSecurity.install(app, tokens, limit);
        app.post("/v1/strikes", ctx -> ctx.status(202).json(Map.of("accepted", 1)));
        app.get("/v1/waves", ctx -> ctx.json(Map.of("waves", List.of())));
        app.sse("/v1/stream", sse -> {
            sse.sendEvent("wave", "{\"id\":\"w\"}", "1");
            sse.close();
        });
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        app.get("/metrics", ctx -> ctx.result("up 1"));
        app.get("/", ctx -> ctx.header("Content-Security-Policy", "default-src 'self'").html("<p>dashboard</p>"));
        return app.start("127.0.0.1", 0);
    }

    private static HttpResponse<String> send(Javalin app, String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
        if (path.startsWith("/v1/stream")) {
            request.header("Accept", "text/event-stream"); // as EventSource sends it; Javalin streams only then
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bearer(String secret) {
        return "Bearer " + secret;
    }

    @Test
    void writesNeedAWriteTokenMissingOrInvalidIs401AndAReadTokenIs403() throws Exception {
        HttpResponse<String> missing = send(readsClosed, "POST", "/v1/strikes");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"conflictmon\"");
        assertThat(missing.body()).contains("\"error\":\"unauthorized\"", "\"fields\":[]");

        HttpResponse<String> wrong = send(readsClosed, "POST", "/v1/strikes", "Authorization", bearer(WRITER + "x"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        assertThat(send(readsClosed, "POST", "/v1/strikes", "Authorization", "Basic " + WRITER).statusCode()).isEqualTo(401);

        HttpResponse<String> reader = send(readsClosed, "POST", "/v1/strikes", "Authorization", bearer(READER));
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(reader.body()).contains("\"error\":\"forbidden\"", "token 'reader' lacks the write scope");
        assertThat(reader.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");

        assertThat(send(readsClosed, "POST", "/v1/strikes", "Authorization", bearer(WRITER)).statusCode()).isEqualTo(202);
        assertThat(send(readsClosed, "POST", "/v1/strikes", "authorization", "bearer " + OPS).statusCode()).isEqualTo(202);
    }

    @Test
    void readsNeedTheReadScopeOnceAReadTokenIsConfiguredAndTheStreamToo() throws Exception {
        assertThat(send(readsClosed, "GET", "/v1/waves").statusCode()).isEqualTo(401);
        assertThat(send(readsClosed, "GET", "/v1/waves", "Authorization", bearer(WRITER)).statusCode()).isEqualTo(403);
        assertThat(send(readsClosed, "GET", "/v1/waves", "Authorization", bearer(READER)).statusCode()).isEqualTo(200);

        HttpResponse<String> stream = send(readsClosed, "GET", "/v1/stream");
        assertThat(stream.statusCode()).isEqualTo(401);
        assertThat(stream.body()).doesNotContain("event:").contains("access_token");
        assertThat(send(readsClosed, "GET", "/v1/stream?access_token=" + WRITER).statusCode()).isEqualTo(403);
        HttpResponse<String> allowed = send(readsClosed, "GET", "/v1/stream?access_token=" + READER);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("event: wave");
        assertThat(send(readsClosed, "GET", "/v1/stream", "Authorization", bearer(READER)).body()).contains("event: wave");
        // the query parameter is for EventSource on /v1/stream only
        assertThat(send(readsClosed, "GET", "/v1/waves?access_token=" + READER).statusCode()).isEqualTo(401);
    }

    @Test
    void readsStayOpenWithoutReadTokensAndHealthDashboardAndMetricsAreOpen() throws Exception {
        assertThat(send(readsOpen, "GET", "/v1/waves").statusCode()).isEqualTo(200);
        assertThat(send(readsOpen, "GET", "/v1/stream").body()).contains("event: wave");
        assertThat(send(readsOpen, "POST", "/v1/strikes").statusCode()).isEqualTo(401);
        assertThat(send(readsOpen, "GET", "/metrics").statusCode()).isEqualTo(200);
        for (Javalin app : List.of(readsOpen, readsClosed)) {
            assertThat(send(app, "GET", "/health/live").statusCode()).isEqualTo(200);
            assertThat(send(app, "GET", "/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsNeedTheMetricsScopeOnceATokenHasIt() throws Exception {
        assertThat(send(readsClosed, "GET", "/metrics").statusCode()).isEqualTo(401);
        assertThat(send(readsClosed, "GET", "/metrics", "Authorization", bearer(READER)).statusCode()).isEqualTo(403);
        assertThat(send(readsClosed, "GET", "/metrics", "Authorization", bearer(OPS)).statusCode()).isEqualTo(200);
    }

    @Test
    void eachTokenHasItsOwnRateLimitAnsweredWith429AndRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send(tight, "GET", "/v1/waves", "Authorization", bearer(LIMITED)).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = send(tight, "GET", "/v1/waves", "Authorization", bearer(LIMITED));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("\"error\":\"rate-limited\"", "3/min");
        // one request back every 20 s: the client is told to wait that long at most
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 20L);
        assertThat(send(tight, "GET", "/v1/waves", "Authorization", bearer(UNTOUCHED)).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndNoServerVersion() throws Exception {
        List<HttpResponse<String>> answers = List.of(send(readsOpen, "GET", "/v1/waves"),
                send(readsOpen, "POST", "/v1/strikes"), send(readsOpen, "GET", "/no/such/path"),
                send(readsOpen, "GET", "/health/live"), send(readsOpen, "GET", "/"));
        for (HttpResponse<String> answer : answers) {
            String what = answer.request().method() + " " + answer.uri().getPath() + " " + answer.statusCode();
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
            assertThat(answer.headers().firstValue("Server")).as(what).isEmpty();
        }
        assertThat(answers.get(0).headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answers.get(0).headers().firstValue("Content-Security-Policy"))
                .hasValue(HttpSecurity.DEFAULT_CONTENT_SECURITY_POLICY);
        // a page sets its own policy over the default one
        assertThat(answers.get(4).headers().allValues("Content-Security-Policy")).containsExactly("default-src 'self'");
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        try (LogCapture log = new LogCapture()) {
            send(readsClosed, "POST", "/v1/strikes", "Authorization", bearer(READER));
            send(readsClosed, "POST", "/v1/strikes", "Authorization", bearer("guessed-" + WRITER));
            send(readsClosed, "GET", "/v1/stream?access_token=" + WRITER);
            send(readsClosed, "GET", "/v1/stream?access_token=wrong-" + READER);
            for (int i = 0; i < 5; i++) {
                send(tight, "GET", "/v1/stream", "Authorization", bearer(NOISY));
            }
            Javalin again = server(AccessTokens.parse("writer:" + WRITER + ":write"), RateLimit.DEFAULT);
            again.stop();
            assertThat(log.text()).contains("Refused POST /v1/strikes", "token 'reader' lacks the write scope",
                    "the bearer token is not valid", "Rate-limited GET /v1/stream of token 'noisy'");
            assertThat(log.text()).doesNotContain(WRITER, READER, LIMITED, NOISY, OPS, "access_token=");
        }
    }
}
