package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Configuration of the CLI: flags over CONFLICTMON_* over the config file over defaults; secrets never printed. */
class ConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws IOException {
        Path file = write("conflictmon.yaml", """
                http-port: 1111
                application-id: from-file
                wave-gap: 2h
                bootstrap-servers: [kafka-0:9092, kafka-1:9092]
                kafka:
                  security.protocol: SASL_SSL
                """);
        Parsed parsed = parse(Map.of("CONFLICTMON_HTTP_PORT", "2222", "CONFLICTMON_APPLICATION_ID", "from-env"),
                "streams", "--config", file.toString(), "--http-port", "3333");
        StreamsCommand streams = (StreamsCommand) parsed.command().commandSpec().userObject();

        assertThat(streams.httpPort).isEqualTo(3333);
        assertThat(streams.applicationId).isEqualTo("from-env");
        assertThat(streams.waveGap).isEqualTo(Duration.ofHours(2));
        assertThat(streams.cluster.bootstrapServers).isEqualTo("kafka-0:9092,kafka-1:9092");
        assertThat(streams.standbyReplicas).isZero();
        assertThat(streams.config.kafkaProperties()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
        assertThat(parsed.origins()).containsEntry("http-port", "flag")
                .containsEntry("application-id", "env CONFLICTMON_APPLICATION_ID")
                .containsEntry("wave-gap", "file").containsEntry("bootstrap-servers", "file")
                .containsEntry("standby-replicas", "default").containsEntry("kafka.security.protocol", "file");
    }

    @Test
    void aPropertiesFileNamedByTheEnvironmentWorksTheSame() throws IOException {
        Path file = write("conflictmon.properties", "kafka-port=19092\nregistry-port=18081\n");
        Parsed parsed = parse(Map.of("CONFLICTMON_CONFIG", file.toString()), "demo", "--registry-port", "0");
        DemoCommand demo = (DemoCommand) parsed.command().commandSpec().userObject();

        assertThat(demo.kafkaPort).isEqualTo(19092);
        assertThat(demo.registryPort).isZero();
        assertThat(parsed.origins()).containsEntry("config", "env CONFLICTMON_CONFIG").containsEntry("kafka-port", "file");
    }

    @Test
    void tokensPasswordsAndJaasConfigAreMaskedInTheEffectiveConfig() throws IOException {
        Path file = write("secure.yml", """
                kafka:
                  sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required password="s3cret";
                  ssl.truststore.password: changeit
                  security.protocol: SASL_SSL
                """);
        Parsed parsed = parse(Map.of("CONFLICTMON_TOKENS", "tok-1,tok-2"), "ingest", "--config", file.toString());

        assertThat(parsed.values()).containsEntry("tokens", EffectiveConfig.MASK)
                .containsEntry("kafka.sasl.jaas.config", EffectiveConfig.MASK)
                .containsEntry("kafka.ssl.truststore.password", EffectiveConfig.MASK)
                .containsEntry("kafka.security.protocol", "SASL_SSL");
        StringWriter printed = new StringWriter();
        EffectiveConfig.print(parsed.command(), parsed.sources(), new PrintWriter(printed));
        assertThat(printed.toString()).contains("tokens", "kafka.sasl.jaas.config", "SASL_SSL")
                .doesNotContain("tok-1", "s3cret", "changeit");
    }

    @Test
    void aCommandPrintsItsEffectiveConfigAtStart() throws IOException {
        Path file = write("import.yaml", "bootstrap-servers: 127.0.0.1:1\n");
        Run run = run(Map.of(), "import", "strikes", dir.resolve("missing.csv").toString(), "--config", file.toString());

        assertThat(run.exit()).isEqualTo(1); // the file to import is missing: refused before any Kafka client starts
        assertThat(run.out()).contains("conflictmon import, effective configuration (file " + file + "):")
                .containsPattern("bootstrap-servers\\s+= 127.0.0.1:1  \\(file\\)")
                .containsPattern("schema-registry-url\\s+= http://127.0.0.1:8081  \\(default\\)");
        assertThat(run.err()).contains("cannot read");
    }

    @Test
    void theDemoRefusesKafkaClientSettingsItCannotApply() throws IOException {
        Path file = write("demo.yaml", "kafka:\n  security.protocol: SASL_SSL\n");
        Run run = run(Map.of(), "demo", "--exit", "--config", file.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("takes no Kafka client settings");
    }

    @Test
    void aConfigFileKeyNoOptionHasIsRefusedByName() throws IOException {
        Path file = write("typo.yaml", "bootstrap-server: kafka:9092\nhttp-port: 8080\n");
        Run run = run(Map.of(), "streams", "--config", file.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key(s) [bootstrap-server]");
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        String projectVersion = System.getProperty("conflictmon.project.version");
        assertThat(projectVersion).as("set by surefire from ${project.version}").isNotBlank();
        Run run = run(Map.of(), "--version");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("conflictmon " + projectVersion + System.lineSeparator());
    }

    @Test
    void helpListsEveryCommandTheConfigurationRulesAndExamples() {
        Run top = run(Map.of(), "--help");
        assertThat(top.out()).contains("demo", "import", "ingest", "streams", "registry", "CONFLICTMON_<OPTION>",
                "Examples:");
        Run streams = run(Map.of("CONFLICTMON_TOKENS", "tok-secret"), "ingest", "--help");
        assertThat(streams.out()).contains("--config=FILE", "Default: 0.0.0.0").doesNotContain("tok-secret");
    }

    private record Parsed(CommandLine.ParseResult command, ConfigSources sources) {
        Map<String, String> origins() {
            return lines(EffectiveConfig.Line::origin);
        }

        Map<String, String> values() {
            return lines(EffectiveConfig.Line::value);
        }

        private Map<String, String> lines(Function<EffectiveConfig.Line, String> what) {
            return EffectiveConfig.of(command, sources).stream()
                    .collect(Collectors.toMap(EffectiveConfig.Line::key, what));
        }
    }

    private Parsed parse(Map<String, String> env, String... args) {
        CommandLine cli = Conflictmon.commandLine(env);
        ConfigSources sources = (ConfigSources) cli.getDefaultValueProvider();
        CommandLine.ParseResult parsed = Conflictmon.withConfigFile(cli, sources, cli.parseArgs(args));
        return new Parsed(Conflictmon.leaf(parsed), sources);
    }

    record Run(int exit, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        CommandLine cli = Conflictmon.commandLine(env);
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        try (PrintStream capture = new PrintStream(stdout, true, StandardCharsets.UTF_8)) {
            System.setOut(capture); // commands print their reports with System.out
            exit = cli.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new Run(exit, out + stdout.toString(StandardCharsets.UTF_8), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
