package io.conflictmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.SampleRecords;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.schemas.serde.AvroSerde;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    @Test
    void steadyStateSerializationNeedsNoRegistry() {
        StrikeReport report = SampleRecords.strikeReport();
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory("127.0.0.1", 0);
        try (HttpSchemaRegistryClient client = registry.newClient()) {
            AvroSerde<StrikeReport> serde = new AvroSerde<>(StrikeReport.class, client, false, true);
            byte[] first = serde.serializer().serialize(Topics.STRIKE_REPORTS, report);
            assertThat(serde.deserializer().deserialize(Topics.STRIKE_REPORTS, first)).isEqualTo(report);
            // a second serde on the same client relies on the client's caches alone
            AvroSerde<StrikeReport> other = new AvroSerde<>(StrikeReport.class, client, false, true);

            registry.close();

            assertThat(serde.serializer().serialize(Topics.STRIKE_REPORTS, report)).isEqualTo(first);
            assertThat(other.serializer().serialize(Topics.STRIKE_REPORTS, report)).isEqualTo(first);
            assertThat(other.deserializer().deserialize(Topics.STRIKE_REPORTS, first)).isEqualTo(report);
            assertThatThrownBy(() -> client.subjects())
                    .isInstanceOfSatisfying(SchemaRegistryException.class,
                            e -> assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.UNREACHABLE));
        } finally {
            registry.close();
        }
    }

    @Test
    void sendsBasicAuthAndTheSchemaRegistryMediaType() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        List<String> accepts = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/subjects", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            accepts.add(exchange.getRequestHeaders().getFirst("Accept"));
            byte[] body = "[\"a-value\"]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (HttpSchemaRegistryClient withUserInfo = new HttpSchemaRegistryClient(url, Map.of("basic.auth.user.info", "ops:s3cret"));
                HttpSchemaRegistryClient withUrlCredentials = new HttpSchemaRegistryClient(
                        "http://reader:pw@127.0.0.1:" + server.getAddress().getPort(), Map.of("basic.auth.credentials.source", "URL"))) {
            assertThat(withUserInfo.subjects()).containsExactly("a-value");
            assertThat(withUrlCredentials.subjects()).containsExactly("a-value");
            assertThat(withUrlCredentials.baseUrls().get(0).getUserInfo()).isNull();
        } finally {
            server.stop(0);
        }
        assertThat(authorizations).containsExactly(basic("ops:s3cret"), basic("reader:pw"));
        assertThat(accepts).containsOnly(HttpSchemaRegistryClient.CONTENT_TYPE);
    }

    @Test
    void rejectsUnusableUrls() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(" ")).hasMessageContaining("URL is empty");
        assertThatThrownBy(() -> new HttpSchemaRegistryClient("localhost:8081")).hasMessageContaining("expected http(s)://host:port");
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
