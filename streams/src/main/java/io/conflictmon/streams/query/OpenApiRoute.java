package io.conflictmon.streams.query;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3 document of the query, stream, ingest and operations routes. Hand-written
 * (a resource next to this class) rather than generated: Javalin's OpenAPI plugin needs an annotation processor and
 * annotations on every handler, for nine routes; a test checks the document against the routes and JSON records.
 */
public final class OpenApiRoute {

  public static final String PATH = "/openapi.json";
  static final String RESOURCE = "openapi.json";

  private OpenApiRoute() {
  }

  /** The document's bytes. */
  public static byte[] document() {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
    }
  }

  public static void register(Javalin app) {
    byte[] document = document();
    app.get(PATH, ctx -> ctx.contentType(QueryApi.JSON).result(document));
  }
}
