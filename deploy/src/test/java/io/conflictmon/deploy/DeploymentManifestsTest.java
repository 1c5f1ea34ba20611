package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conflictmon.ingest.http.OperationsRoutes;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * No Docker engine or cluster here, so the deployment files are checked against the code: our containers run the
 * Dockerfile's image with commands and {@code CONFLICTMON_*} variables the CLI has (derived from its picocli model),
 * listen where the files say, are probed on paths the server serves, and streams instances advertise addresses that
 * resolve to them. SnakeYAML reads the files (it resolves compose's {@code <<} merge keys); Jackson navigates them.
 */
class DeploymentManifestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKER = Path.of("docker");
    private static final Path COMPOSE = DOCKER.resolve("docker-compose.yml");
    private static final Path DOCKERFILE = DOCKER.resolve("Dockerfile");
    private static final Path K8S = Path.of("k8s");
    private static final Set<String> OPS_FILES = Set.of("../ops/prometheus/prometheus.yml",
            "../ops/prometheus/conflictmon-alerts.yml", "../ops/grafana/conflictmon-dashboard.json",
            "../ops/alertmanager/alertmanager.yml");

    private final CommandLine cli = Conflictmon.commandLine(Map.of());
    private final JsonNode compose = yaml(COMPOSE).get(0);
    private final String dockerfile = read(DOCKERFILE);

    // ---- docker compose and Dockerfile

    @Test
    void ourComposeServicesRunTheDockerfilesImageWithRealCommandsAndVariables() {
        Map<String, JsonNode> ours = ourComposeServices();
        assertThat(ours.values().stream().map(s -> command(s.get("command")))).contains("topics", "ingest", "streams");
        for (Map.Entry<String, JsonNode> service : ours.entrySet()) {
            JsonNode s = service.getValue();
            assertThat(COMPOSE.getParent().resolve(s.at("/build/context").asText()).resolve(s.at("/build/dockerfile").asText())
                    .normalize()).as(service.getKey()).isEqualTo(Path.of("..").resolve("deploy").resolve(DOCKERFILE).normalize());
            assertThat(s.get("image").asText()).isEqualTo("conflictmon:" + System.getProperty("conflictmon.project.version"));
            String command = command(s.get("command"));
            Map<String, String> env = env(s.get("environment"));
            assertThat(variables(command)).as("CONFLICTMON_* variables of %s (%s)", service.getKey(), command)
                    .containsAll(conflictmonVariables(env));
            assertThat(env).as(service.getKey()).containsKey("CONFLICTMON_BOOTSTRAP_SERVERS");
            if (!command.equals("topics")) {
                assertThat(env).as(service.getKey()).containsKey("CONFLICTMON_SCHEMA_REGISTRY_URL");
            }
        }
    }

    @Test
    void everyPortOurServicesListenOnIsExposedPublishedAndProbed() {
        Set<String> exposed = matches(dockerfile, "(?m)^EXPOSE\\s+(.+)$").stream()
                .flatMap(line -> List.of(line.trim().split("\\s+")).stream()).collect(Collectors.toSet());
        for (String command : List.of("ingest", "streams")) {
            assertThat(exposed).as("EXPOSE holds the default --http-port of " + command).contains(defaultOf(command, "--http-port"));
        }
        assertThat(dockerfile).containsPattern("HEALTHCHECK[^\\n]*(\\\\\\n[^\\n]*)*" + Pattern.quote(OperationsRoutes.READY_PATH))
                .contains("${CONFLICTMON_HTTP_PORT:-" + defaultOf("streams", "--http-port") + "}");
        assertThat(matches(dockerfile, "(?m)^FROM\\s+(\\S+)").get(1)).isEqualTo("eclipse-temurin:17-jre");
        assertThat(matches(dockerfile, "(?m)^USER\\s+(\\S+)")).singleElement().matches(u -> !u.startsWith("0") && !u.startsWith("root"));

        ourComposeServices().forEach((name, s) -> {
            String command = command(s.get("command"));
            if (command.equals("ingest") || command.equals("streams")) {
                String port = env(s.get("environment")).getOrDefault("CONFLICTMON_HTTP_PORT", defaultOf(command, "--http-port"));
                List<String> containerPorts = new ArrayList<>();
                s.get("ports").forEach(p -> containerPorts.add(p.asText().replaceFirst(".*:", "")));
                assertThat(containerPorts).as("ports of " + name).contains(port);
            }
        });
    }

    @Test
    void composeStreamsInstancesShareTheApplicationAndAdvertiseThemselves() {
        Map<String, JsonNode> streams = new HashMap<>();
        ourComposeServices().forEach((name, s) -> {
            if (command(s.get("command")).equals("streams")) {
                streams.put(name, s);
            }
        });
        assertThat(streams).hasSizeGreaterThanOrEqualTo(2);
        Set<String> applicationIds = new HashSet<>();
        Set<String> stateVolumes = new HashSet<>();
        streams.forEach((name, s) -> {
            Map<String, String> env = env(s.get("environment"));
            String port = env.getOrDefault("CONFLICTMON_HTTP_PORT", defaultOf("streams", "--http-port"));
            assertThat(env.get("CONFLICTMON_ADVERTISED_URL")).as(name).isIn(name + ":" + port, s.path("hostname").asText() + ":" + port);
            applicationIds.add(env.getOrDefault("CONFLICTMON_APPLICATION_ID", defaultOf("streams", "--application-id")));
            String stateDir = env.get("CONFLICTMON_STATE_DIR");
            List<String> mounts = new ArrayList<>();
            s.get("volumes").forEach(v -> mounts.add(v.asText()));
            String stateMount = mounts.stream().filter(m -> m.endsWith(":" + stateDir)).findFirst().orElseThrow(
                    () -> new AssertionError(name + " mounts no volume at its state dir " + stateDir));
            stateVolumes.add(stateMount.substring(0, stateMount.indexOf(':')));
        });
        assertThat(applicationIds).hasSize(1);
        assertThat(stateVolumes).as("a state volume per instance").hasSize(streams.size());
        assertThat(compose.get("volumes").has(stateVolumes.iterator().next())).isTrue();
    }

    @Test
    void composeHasThreeKraftNodesTheRegistryOurServicesUseAndTheOpsTools() {
        Map<String, JsonNode> kafka = servicesWithImage("apache/kafka:");
        assertThat(kafka).hasSize(3);
        Set<String> internalListeners = new TreeSet<>();
        Set<String> nodeIds = new HashSet<>();
        kafka.forEach((name, s) -> {
            Map<String, String> env = env(s.get("environment"));
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).hasSize(3)
                    .anyMatch(voter -> voter.equals(env.get("KAFKA_NODE_ID") + "@" + name + ":9093"));
            nodeIds.add(env.get("KAFKA_NODE_ID"));
            internalListeners.add(env.get("KAFKA_ADVERTISED_LISTENERS").replaceFirst("^PLAINTEXT://([^,]+).*$", "$1"));
        });
        assertThat(nodeIds).hasSize(3);
        JsonNode registry = servicesWithImage("confluentinc/cp-schema-registry:").values().iterator().next();
        String registryPort = env(registry.get("environment")).get("SCHEMA_REGISTRY_LISTENERS").replaceFirst(".*:", "");
        ourComposeServices().forEach((name, s) -> {
            Map<String, String> env = env(s.get("environment"));
            assertThat(new TreeSet<>(List.of(env.get("CONFLICTMON_BOOTSTRAP_SERVERS").split(",")))).as(name)
                    .isEqualTo(internalListeners);
            if (env.containsKey("CONFLICTMON_SCHEMA_REGISTRY_URL")) {
                assertThat(env.get("CONFLICTMON_SCHEMA_REGISTRY_URL")).isEqualTo("http://schema-registry:" + registryPort);
            }
        });
        Set<String> opsMounts = new HashSet<>();
        for (String tool : List.of("prom/prometheus:", "grafana/grafana:", "prom/alertmanager:")) {
            assertThat(servicesWithImage(tool)).as(tool).hasSize(1).allSatisfy((name, s) -> s.path("volumes")
                    .forEach(v -> opsMounts.add(v.asText().substring(0, v.asText().indexOf(':')))));
        }
        assertThat(opsMounts).containsAll(OPS_FILES);
        opsMounts.stream().filter(m -> !OPS_FILES.contains(m))
                .forEach(m -> assertThat(DOCKER.resolve(m)).as("compose mounts " + m).exists());
    }

    // ---- Kubernetes

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        List<String> resources = new ArrayList<>();
        yaml(K8S.resolve("kustomization.yaml")).get(0).get("resources").forEach(r -> resources.add(r.asText()));
        try (var files = Files.list(K8S)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml")))
                    .containsExactlyInAnyOrderElementsOf(resources);
        }
    }

    @Test
    void k8sContainersRunRealCommandsWithRealSettingsAndExistingConfig() {
        List<JsonNode> docs = k8sDocuments();
        Map<String, JsonNode> configMaps = byKind(docs, "ConfigMap");
        Map<String, JsonNode> secrets = byKind(docs, "Secret");
        Set<String> commands = new HashSet<>();
        for (JsonNode workload : workloads(docs)) {
            JsonNode pod = workload.at("/spec/template/spec");
            for (JsonNode container : ourContainers(pod)) {
                List<String> args = texts(container.get("args"));
                String command = args.get(0);
                commands.add(command);
                Map<String, JsonNode> env = new HashMap<>();
                container.path("env").forEach(e -> env.put(e.get("name").asText(), e));
                assertThat(variables(command)).as("CONFLICTMON_* variables of " + workload.at("/metadata/name").asText())
                        .containsAll(conflictmonVariables(env));
                env.values().stream().filter(e -> e.at("/valueFrom/secretKeyRef").isObject()).forEach(e -> {
                    JsonNode secret = secrets.get(e.at("/valueFrom/secretKeyRef/name").asText());
                    assertThat(secret != null && secret.path("stringData").has(e.at("/valueFrom/secretKeyRef/key").asText()))
                            .as("the secret key of " + e.get("name").asText() + " exists").isTrue();
                });

                Map<String, String> config = configFile(args, container, pod, configMaps);
                // One file serves every command: each key must be an option of some command (as --config checks).
                assertThat(ConfigSources.optionKeys(cli)).as("config file keys")
                        .containsAll(config.keySet().stream().filter(k -> !k.startsWith("kafka.")).toList());
                Set<String> given = new HashSet<>(config.keySet());
                env.keySet().stream().filter(v -> v.startsWith("CONFLICTMON_")).forEach(v -> given.add(keyOfVariable(v)));
                assertThat(given).as(command).contains("bootstrap-servers");
                if (!command.equals("topics")) {
                    assertThat(given).as(command).contains("schema-registry-url");
                    String port = config.getOrDefault("http-port", defaultOf(command, "--http-port"));
                    assertThat(texts(container.get("ports"), "containerPort")).as(command).contains(port);
                    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo(OperationsRoutes.LIVE_PATH);
                    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo(OperationsRoutes.READY_PATH);
                    for (String probe : List.of("livenessProbe", "readinessProbe")) {
                        assertThat(containerPort(container, container.get(probe).at("/httpGet/port").asText())).isEqualTo(port);
                    }
                }
            }
        }
        assertThat(commands).contains("topics", "ingest", "streams");
        for (JsonNode service : byKind(docs, "Service").values()) {
            JsonNode pod = podSelectedBy(workloads(docs), service.at("/spec/selector"));
            service.at("/spec/ports").forEach(p -> assertThat(containerPort(pod.at("/spec/template/spec/containers/0"),
                    p.get("targetPort").asText())).as(service.at("/metadata/name").asText()).isNotNull());
        }
    }

    @Test
    void k8sStreamsPodsAdvertiseTheirHeadlessServiceNameAndKeepStateOnTheirVolume() {
        List<JsonNode> docs = k8sDocuments();
        JsonNode statefulSet = byKind(docs, "StatefulSet").get("streams");
        JsonNode headless = byKind(docs, "Service").get(statefulSet.at("/spec/serviceName").asText());
        assertThat(headless).as("the StatefulSet's serviceName is a Service").isNotNull();
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(headless.at("/spec/selector")).isEqualTo(statefulSet.at("/spec/template/metadata/labels"));

        JsonNode pod = statefulSet.at("/spec/template/spec");
        JsonNode container = ourContainers(pod).get(0);
        Map<String, JsonNode> env = new HashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        assertThat(env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");
        Map<String, String> config = configFile(texts(container.get("args")), container, pod, byKind(docs, "ConfigMap"));
        String port = config.getOrDefault("http-port", defaultOf("streams", "--http-port"));
        assertThat(env.get("CONFLICTMON_ADVERTISED_URL").get("value").asText()).isEqualTo(
                "$(POD_NAME)." + headless.at("/metadata/name").asText() + ".$(POD_NAMESPACE).svc.cluster.local:" + port);
        assertThat(StreamsCommand.applicationServer("streams-0.streams-headless.conflictmon.svc.cluster.local:" + port))
                .isNotNull();

        String stateVolume = statefulSet.at("/spec/volumeClaimTemplates/0/metadata/name").asText();
        List<String> stateMounts = new ArrayList<>();
        container.get("volumeMounts").forEach(m -> {
            if (m.get("name").asText().equals(stateVolume)) {
                stateMounts.add(m.get("mountPath").asText());
            }
        });
        assertThat(stateMounts).containsExactly(config.get("state-dir"));
        assertThat(Integer.parseInt(config.get("standby-replicas"))).isPositive();
        assertThat(statefulSet.at("/spec/replicas").asInt()).isGreaterThan(Integer.parseInt(config.get("standby-replicas")));
    }

    // ---- helpers

    private Map<String, JsonNode> ourComposeServices() {
        Map<String, JsonNode> ours = new HashMap<>();
        compose.get("services").fields().forEachRemaining(s -> {
            if (s.getValue().has("build") || s.getValue().path("image").asText().startsWith("conflictmon")) {
                ours.put(s.getKey(), s.getValue());
            }
        });
        return ours;
    }

    private Map<String, JsonNode> servicesWithImage(String prefix) {
        Map<String, JsonNode> found = new HashMap<>();
        compose.get("services").fields().forEachRemaining(s -> {
            if (s.getValue().path("image").asText().startsWith(prefix)) {
                found.put(s.getKey(), s.getValue());
            }
        });
        return found;
    }

    private List<JsonNode> k8sDocuments() {
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode resource : yaml(K8S.resolve("kustomization.yaml")).get(0).get("resources")) {
            docs.addAll(yaml(K8S.resolve(resource.asText())));
        }
        return docs;
    }

    private static List<JsonNode> workloads(List<JsonNode> docs) {
        return docs.stream().filter(d -> Set.of("Deployment", "StatefulSet", "Job").contains(d.path("kind").asText())).toList();
    }

    private static List<JsonNode> ourContainers(JsonNode pod) {
        return StreamSupport.stream(pod.get("containers").spliterator(), false)
                .filter(c -> c.get("image").asText().replaceFirst(":.*", "").equals("conflictmon")).toList();
    }

    private static JsonNode podSelectedBy(List<JsonNode> workloads, JsonNode selector) {
        return workloads.stream().filter(w -> w.at("/spec/template/metadata/labels").equals(selector)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload has the labels " + selector));
    }

    private static Map<String, JsonNode> byKind(List<JsonNode> docs, String kind) {
        Map<String, JsonNode> named = new HashMap<>();
        docs.stream().filter(d -> d.path("kind").asText().equals(kind)).forEach(d -> named.put(d.at("/metadata/name").asText(), d));
        return named;
    }

    /** The settings of the file {@code --config} names, read from the ConfigMap mounted at its directory. */
    private static Map<String, String> configFile(List<String> args, JsonNode container, JsonNode pod,
            Map<String, JsonNode> configMaps) {
        int at = args.indexOf("--config");
        assertThat(at).as("--config in " + args).isPositive();
        Path file = Path.of(args.get(at + 1));
        String volume = StreamSupport.stream(container.get("volumeMounts").spliterator(), false)
                .filter(m -> m.get("mountPath").asText().equals(file.getParent().toString())).map(m -> m.get("name").asText())
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + file.getParent()));
        String configMap = StreamSupport.stream(pod.get("volumes").spliterator(), false)
                .filter(v -> v.get("name").asText().equals(volume)).map(v -> v.at("/configMap/name").asText())
                .findFirst().orElseThrow();
        String content = configMaps.get(configMap).at("/data/" + file.getFileName()).asText();
        try {
            Path copy = Files.createTempFile("conflictmon", "-" + file.getFileName());
            Files.writeString(copy, content);
            return ConfigSources.read(copy);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String containerPort(JsonNode container, String nameOrNumber) {
        for (JsonNode port : container.get("ports")) {
            if (port.path("name").asText().equals(nameOrNumber) || port.get("containerPort").asText().equals(nameOrNumber)) {
                return port.get("containerPort").asText();
            }
        }
        return null;
    }

    private Set<String> variables(String command) {
        return options(command).stream().map(o -> ConfigSources.variableOf(o.longestName())).collect(Collectors.toSet());
    }

    private String keyOfVariable(String variable) {
        return variable.substring("CONFLICTMON_".length()).toLowerCase().replace('_', '-');
    }

    private String defaultOf(String command, String option) {
        return cli.getSubcommands().get(command).getCommandSpec().findOption(option).defaultValue();
    }

    private List<OptionSpec> options(String command) {
        CommandLine sub = cli.getSubcommands().get(command);
        assertThat(sub).as("a conflictmon command: " + command).isNotNull();
        return sub.getCommandSpec().options().stream().filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    private static Set<String> conflictmonVariables(Map<String, ?> env) {
        return env.keySet().stream().filter(k -> k.startsWith("CONFLICTMON_")).collect(Collectors.toSet());
    }

    private static String command(JsonNode command) {
        return command.isArray() ? command.get(0).asText() : command.asText().split("\\s+")[0];
    }

    private static Map<String, String> env(JsonNode environment) {
        Map<String, String> env = new HashMap<>();
        if (environment.isArray()) {
            environment.forEach(e -> env.put(e.asText().replaceFirst("=.*", ""), e.asText().replaceFirst("^[^=]*=", "")));
        } else {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.get(field).asText()));
        return texts;
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<JsonNode> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            List<JsonNode> docs = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(reader)) {
                if (doc != null) {
                    docs.add(JSON.valueToTree(doc));
                }
            }
            return docs;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file.toAbsolutePath(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
