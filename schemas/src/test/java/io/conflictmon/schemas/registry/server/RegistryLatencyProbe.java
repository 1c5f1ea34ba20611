package io.conflictmon.schemas.registry.server;

import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * Not a test: a latency measurement of the embedded registry over HTTP. Registers 200 schemas through
 * {@link HttpSchemaRegistryClient}, then does 2,000 uncached lookups by id with plain {@code java.net.http}
 * GETs of {@code /schemas/ids/{id}} (keep-alive, one connection), and prints p50/p99 in microseconds.
 * Argument {@code kafka} runs it on a registry stored in an embedded Kafka broker instead of memory.
 */
public final class RegistryLatencyProbe {
    private static final int SCHEMAS = 200;
    private static final int LOOKUPS = 2_000;
    private static final int WARM_UP = 500;

    private RegistryLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean onKafka = args.length > 0 && args[0].equals("kafka");
        if (onKafka) {
            Path dataDir = Files.createTempDirectory("registry-probe-kafka-");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).build().start();
                    EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, broker.bootstrapServers())) {
                probe(registry, "kafka");
            }
        } else {
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0)) {
                probe(registry, "in-memory");
            }
        }
    }

    private static void probe(EmbeddedSchemaRegistry registry, String store) throws Exception {
        int[] ids = new int[SCHEMAS];
        long[] registerNanos = new long[SCHEMAS];
        try (HttpSchemaRegistryClient client = registry.newClient()) {
            for (int i = 0; i < SCHEMAS; i++) {
                Schema schema = SchemaBuilder.record("Probe" + i).namespace("probe").fields()
                        .requiredString("id").requiredLong("value" + i).endRecord();
                long start = System.nanoTime();
                ids[i] = client.register("probe-" + i + "-value", schema);
                registerNanos[i] = System.nanoTime() - start;
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(42);
        long[] lookupNanos = new long[LOOKUPS];
        for (int i = -WARM_UP; i < LOOKUPS; i++) {
            int id = ids[random.nextInt(SCHEMAS)];
            HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/ids/" + id))
                    .header("Accept", HttpSchemaRegistryClient.CONTENT_TYPE).GET().build();
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("lookup of id " + id + " answered " + response.statusCode() + ": " + response.body());
            }
            if (i >= 0) {
                lookupNanos[i] = took;
            }
        }
        System.out.printf("store=%s register x%d: p50=%d us p99=%d us | GET /schemas/ids x%d: p50=%d us p99=%d us%n",
                store, SCHEMAS, percentileMicros(registerNanos, 50), percentileMicros(registerNanos, 99),
                LOOKUPS, percentileMicros(lookupNanos, 50), percentileMicros(lookupNanos, 99));
    }

    private static long percentileMicros(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1_000;
    }
}
