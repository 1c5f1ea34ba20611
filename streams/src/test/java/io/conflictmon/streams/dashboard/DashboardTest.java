package io.conflictmon.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page and every file it references are served from this server, with their types and cache headers. */
class DashboardTest {
  private static final Pattern LOCAL_REFERENCE = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Javalin app;
  private static String base;

  @BeforeAll
  static void start() {
    app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
    });
    Dashboard.register(app);
    app.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  @Test
  void servesThePageWithAPolicyThatAllowsNothingFromElsewhere() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'").doesNotContain("http"));
    assertThat(page.body()).doesNotContain("http://", "https://");
  }

  @Test
  void servesEveryFileThePageReferences() throws Exception {
    List<String> references = LOCAL_REFERENCE.matcher(get("/", null).body()).results().map(m -> m.group(1)).toList();
    assertThat(references).contains(Dashboard.ECHARTS_PATH, "/dashboard/dashboard.css", "/dashboard/dashboard.js",
        "/dashboard/favicon.svg");
    for (String path : references) {
      HttpResponse<String> file = get(path, null);
      assertThat(file.statusCode()).as(path).isEqualTo(200);
      assertThat(file.body()).as(path).isNotBlank();
      String expectedType = path.endsWith(".css") ? "text/css" : path.endsWith(".svg") ? "image/svg+xml" : "text/javascript";
      assertThat(file.headers().firstValue("Content-Type")).as(path)
          .hasValueSatisfying(t -> assertThat(t).startsWith(expectedType));
    }
  }

  @Test
  void theVersionedLibraryIsCachedForeverOurFilesAreRevalidatedByEtag() throws Exception {
    assertThat(get(Dashboard.ECHARTS_PATH, null).headers().firstValue("Cache-Control"))
        .hasValueSatisfying(c -> assertThat(c).contains("immutable"));
    HttpResponse<String> script = get("/dashboard/dashboard.js", null);
    assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = script.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = get("/dashboard/dashboard.js", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void servesNoOtherFile() throws Exception {
    assertThat(get("/dashboard/secret.txt", null).statusCode()).isEqualTo(404);
    assertThat(get("/webjars/echarts/" + Dashboard.ECHARTS_VERSION + "/echarts.js", null).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> get(String path, String ifNoneMatch) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
