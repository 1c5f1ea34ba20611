package io.conflictmon.deploy;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /asyncapi.json}: the AsyncAPI 3.0 contract of every topic (key, Avro value schema, partitions,
 * retention, compaction) for downstream consumers. A resource written by hand like {@code /openapi.json}; a test
 * holds it equal to {@link EmbeddedStack.TopicLayout} and to the {@code .avsc} files.
 */
final class AsyncApiRoute {
    static final String PATH = "/asyncapi.json";
    static final String RESOURCE = "/asyncapi.json";

    private AsyncApiRoute() {}

    static byte[] document() {
        try (InputStream in = AsyncApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the AsyncAPI document " + RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AsyncAPI document " + RESOURCE, e);
        }
    }

    static void register(Javalin app) {
        byte[] document = document();
        app.get(PATH, ctx -> ctx.contentType("application/json").result(document));
    }
}
