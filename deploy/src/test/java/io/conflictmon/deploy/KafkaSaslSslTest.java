package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.http.IngestConfig;
import io.conflictmon.ingest.http.IngestServer;
import io.conflictmon.kafka.EmbeddedKafkaBroker;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.Topics;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import io.conflictmon.schemas.registry.server.EmbeddedSchemaRegistry;
import io.conflictmon.security.KafkaClientSecurity;
import io.conflictmon.streams.app.StreamsProgress;
import io.conflictmon.streams.app.StreamsService;
import io.conflictmon.streams.app.StreamsSettings;
import io.conflictmon.streams.app.TopologySettings;
import io.conflictmon.streams.query.StreamEvents;
import io.conflictmon.streams.waves.WaveStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Kafka client of ours over TLS with a SCRAM-SHA-512 login: a broker with a SASL_SSL listener (its certificate made
 * here with the JDK's keytool, its user created over the PLAINTEXT listener kept for admin), the registry's store, the
 * producer of the importer (ReportPublisher), the HTTP ingest producer, Kafka Streams and the /v1/stream consumer, all
 * configured by one Kafka client properties file as {@code --kafka-config} reads it.
 */
class KafkaSaslSslTest {
    private static final String USER = "conflictmon";
    private static final String LISTENER = "SECURE";

    @TempDir
    static Path dir;

    private static final String PASSWORD = "scram-" + UUID.randomUUID();
    private static EmbeddedKafkaBroker broker;
    private static Path truststore;
    private static String storePassword;

    @BeforeAll
    static void startBrokerWithSaslSsl() throws Exception {
        storePassword = UUID.randomUUID().toString();
        Path keystore = dir.resolve("broker.p12");
        truststore = dir.resolve("truststore.p12");
        Path certificate = dir.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", storePassword,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", storePassword);

        String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
        broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka"))
                .listener(LISTENER, "SASL_SSL")
                .brokerProperty(prefix + "ssl.keystore.location", keystore.toString())
                .brokerProperty(prefix + "ssl.keystore.type", "PKCS12")
                .brokerProperty(prefix + "ssl.keystore.password", storePassword)
                .brokerProperty(prefix + "ssl.key.password", storePassword)
                .brokerProperty(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .brokerProperty(prefix + "scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .build().start();
        broker.createTopics(EmbeddedStack.topics());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD))).all().get(30, TimeUnit.SECONDS);
        }
        KafkaClientSecurity security = security(PASSWORD);
        // the credential reaches the broker through the metadata log: wait until a login works
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Admin admin = Admin.create(security.applyTo(Map.of("bootstrap.servers", secureBootstrap())))) {
                return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 1;
            }
        });
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String secureBootstrap() {
        return broker.bootstrapServers(LISTENER);
    }

    /** What an operator puts in the file of {@code --kafka-config}. */
    private static KafkaClientSecurity security(String password) throws Exception {
        Path file = dir.resolve("client-" + UUID.randomUUID() + ".properties");
        Files.writeString(file, String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + USER + "\" password=\"" + password + "\";",
                "ssl.truststore.location=" + truststore.toString().replace("\\", "/"),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.password=" + storePassword, ""));
        return KafkaClientSecurity.load(file);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }

    @Test
    void reportsGoInAndAWaveComesOutWithEveryClientOnSaslSsl() throws Exception {
        KafkaClientSecurity security = security(PASSWORD);
        assertThat(security.toString()).doesNotContain(PASSWORD, storePassword);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, secureBootstrap(),
                        security.properties());
                HttpSchemaRegistryClient registryClient = new HttpSchemaRegistryClient(registry.url());
                StreamsService streams = new StreamsService(StreamsSettings.of("sasl-ssl-test", secureBootstrap())
                        .withStateDir(dir.resolve("streams").toString())
                        .withOverrides(Map.copyOf(security.properties())),
                        TopologySettings.defaults(new TopicSerdes(registryClient, true), meters));
                StreamEvents events = StreamEvents.start(StreamEvents.Settings.of(secureBootstrap(), Topics.WAVES,
                        Topics.STRIKE_TOTALS, Topics.CASUALTY_TOTALS, null).withConsumerProps(security.properties()),
                        new TopicSerdes(registryClient, false));
                IngestWiring ingest = new IngestWiring(secureBootstrap(), security, new TopicSerdes(registryClient, true));
                IngestServer http = IngestServer.start(IngestConfig.builder().bootstrapServers(secureBootstrap())
                        .schemaRegistryUrl(registry.url()).host("127.0.0.1").port(0)
                        .kafkaProperties(security.properties()).build(), meters)) {
            streams.start();
            StreamsProgress.awaitState(streams.kafkaStreams(), KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(events::isReading);

            List<StrikeReport> reports = AvroRoundTrip.sampleReports(4);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            reports.forEach(r -> sent.add(ingest.publisher.send(Topics.STRIKE_REPORTS, r.getId(), r)));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            int posted = 7; // one more drone report, the same night, through the HTTP API's producer
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(http.url() + "/v1/strikes")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"source\": \"kpszsu\", \"timeStart\": "
                            + "\"2026-01-08T20:00:00Z\", \"timeEnd\": \"2026-01-09T05:00:00Z\", \"timePrecision\": "
                            + "\"MINUTE\", \"weaponModel\": \"Shahed-136/131\", \"weaponClass\": \"ATTACK_DRONE\", "
                            + "\"launched\": " + posted + "}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

            long drones = posted + reports.stream().filter(r -> r.getWeaponClass() == WeaponClass.ATTACK_DRONE)
                    .mapToLong(StrikeReport::getLaunched).sum();
            long missiles = reports.stream().filter(r -> r.getWeaponClass() == WeaponClass.CRUISE_MISSILE)
                    .mapToLong(StrikeReport::getLaunched).sum();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                List<WaveSummary> waves = WaveStores.latest(streams.waves(), 10);
                assertThat(waves).hasSize(1);
                assertThat(waves.get(0).getDrones()).isEqualTo(drones);
                assertThat(waves.get(0).getMissiles()).isEqualTo(missiles);
            });
            assertThat(http.api().readiness().ready()).as(http.api().readiness().detail()).isTrue();
        }
    }

    @Test
    void aWrongPasswordFailsSoonWithTheUserNamedAndNoSecret() throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        KafkaClientSecurity security = security(wrong);

        long start = System.nanoTime();
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.onKafka("127.0.0.1", 0, secureBootstrap(), security.properties()))
                .hasMessageContaining("Kafka authentication failed for user '" + USER + "'")
                .hasMessageContaining("SASL_SSL, SCRAM-SHA-512")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));

        try (HttpSchemaRegistryClient unused = new HttpSchemaRegistryClient("http://127.0.0.1:1");
                IngestWiring ingest = new IngestWiring(secureBootstrap(), security, new TopicSerdes(unused, true))) {
            StrikeReport report = AvroRoundTrip.sampleReports(1).get(0);
            long sendStart = System.nanoTime();
            assertThatThrownBy(() -> ingest.publisher.send(Topics.STRIKE_REPORTS, report.getId(), report)
                    .get(60, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(security.explainAuthenticationFailure(e)).hasValueSatisfying(m ->
                            assertThat(m).startsWith("Kafka authentication failed for user '" + USER + "'")
                                    .doesNotContain(wrong)));
            assertThat(Duration.ofNanos(System.nanoTime() - sendStart)).isLessThan(Duration.ofSeconds(60));
        }
    }
}
