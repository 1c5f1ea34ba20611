package io.conflictmon.streams.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The ops dashboard at {@code /}: one page, its stylesheet and script (class path {@code dashboard/}), and the charting
 * library Apache ECharts from its WebJar, all served by this server: the page fetches nothing from elsewhere (its
 * Content-Security-Policy says so). The page reads the query API and follows {@code /v1/stream}.
 *
 * <p>Explicit routes rather than Javalin's static-files plugin: that plugin is configured when the server is created,
 * and the dashboard is added to a server created by someone else (the demo's, beside ingest and queries). The files are
 * read once at registration, so a missing one fails at start, not on the first visit.
 */
public final class Dashboard {
  public static final String PATH = "/";
  public static final String ASSETS_PATH = "/dashboard/";
  public static final String ECHARTS_VERSION = "5.3.1";
  /** Versioned, so browsers may keep it forever. */
  public static final String ECHARTS_PATH = "/webjars/echarts/" + ECHARTS_VERSION + "/echarts.min.js";

  private static final String RESOURCES = "dashboard/";
  private static final String ECHARTS_RESOURCE =
      "META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.min.js";
  /** Inline styles: ECharts positions its tooltips with style attributes. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  /** Our files change with each release and carry no version in their names: revalidate each time (ETag makes it cheap). */
  private static final String REVALIDATE = "no-cache";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private Dashboard() {
  }

  /** Adds {@code GET /}, its stylesheet, script and icon under {@code /dashboard/}, and the ECharts script; creates no server. */
  public static void register(Javalin app) {
    Objects.requireNonNull(app, "app");
    Asset page = Asset.load(RESOURCES + "index.html", "text/html; charset=utf-8", REVALIDATE);
    Asset css = Asset.load(RESOURCES + "dashboard.css", "text/css; charset=utf-8", REVALIDATE);
    Asset js = Asset.load(RESOURCES + "dashboard.js", "text/javascript; charset=utf-8", REVALIDATE);
    Asset icon = Asset.load(RESOURCES + "favicon.svg", "image/svg+xml", REVALIDATE);
    Asset echarts = Asset.load(ECHARTS_RESOURCE, "text/javascript; charset=utf-8", IMMUTABLE);
    app.get(PATH, page::serve);
    app.get(ASSETS_PATH + "dashboard.css", css::serve);
    app.get(ASSETS_PATH + "dashboard.js", js::serve);
    app.get(ASSETS_PATH + "favicon.svg", icon::serve);
    app.get(ECHARTS_PATH, echarts::serve);
  }

  /** One file held in memory with its content type, cache policy and ETag. */
  private record Asset(String name, byte[] bytes, String contentType, String cacheControl, String etag) {

    static Asset load(String resource, String contentType, String cacheControl) {
      try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("dashboard file missing from the class path: " + resource
              + (resource.startsWith("META-INF") ? " (the org.webjars.npm:echarts:" + ECHARTS_VERSION + " jar)" : ""));
        }
        byte[] bytes = in.readAllBytes();
        return new Asset(resource, bytes, contentType, cacheControl, etagOf(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read dashboard file " + resource, e);
      }
    }

    void serve(Context ctx) {
      ctx.header("Cache-Control", cacheControl).header("ETag", etag)
          .header("X-Content-Type-Options", "nosniff").header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      if (etag.equals(ctx.header("If-None-Match"))) {
        ctx.status(HttpStatus.NOT_MODIFIED);
        return;
      }
      ctx.contentType(contentType).result(bytes);
    }

    private static String etagOf(byte[] bytes) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }
  }
}
