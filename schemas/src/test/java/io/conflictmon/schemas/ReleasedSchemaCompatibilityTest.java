package io.conflictmon.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.schemas.registry.CompatibilityChecker;
import io.conflictmon.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Every contract in {@code src/main/avro} must stay compatible with its released versions in
 * {@code src/main/avro-released/vN}: BACKWARD (new readers read all released data, checked transitively) and,
 * because DESIGN.md wants old readers unbroken by new fields and enum symbols, FORWARD against the latest
 * release. To release, copy the current files to the next {@code vN}.
 */
class ReleasedSchemaCompatibilityTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path CURRENT = MODULE.resolve("src/main/avro");
    private static final Path RELEASED = MODULE.resolve("src/main/avro-released");

    @Test
    void everyCurrentSchemaIsBackwardCompatibleWithEveryReleasedVersion() throws IOException {
        Map<String, Schema> current = schemasIn(CURRENT);
        Map<String, List<Schema>> released = releasedByFile();
        assertThat(current).isNotEmpty();
        assertThat(released).isNotEmpty();

        List<String> problems = new ArrayList<>();
        current.forEach((file, schema) -> {
            List<Schema> history = released.getOrDefault(file, List.of());
            CompatibilityChecker.Result result = CompatibilityChecker.check(CompatibilityLevel.BACKWARD_TRANSITIVE, schema, history);
            result.messages().forEach(message -> problems.add(file + ": " + message));
        });
        assertThat(problems).as("incompatibilities of src/main/avro against the released versions").isEmpty();
    }

    @Test
    void oldReadersOfTheLatestReleaseCanReadCurrentData() throws IOException {
        Map<String, Schema> current = schemasIn(CURRENT);
        List<String> problems = new ArrayList<>();
        releasedByFile().forEach((file, history) -> {
            Schema schema = current.get(file);
            if (schema != null) {
                CompatibilityChecker.check(CompatibilityLevel.FORWARD, schema, history).messages()
                        .forEach(message -> problems.add(file + ": " + message));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyReleasedRecordStillHasACurrentCounterpart() throws IOException {
        Map<String, Schema> current = schemasIn(CURRENT);
        releasedByFile().forEach((file, history) -> {
            assertThat(current).as("released contract %s was removed from src/main/avro", file).containsKey(file);
            assertThat(current.get(file).getFullName()).as("record name of %s", file)
                    .isEqualTo(history.get(history.size() - 1).getFullName());
        });
    }

    @Test
    void theCheckCatchesAFieldAddedWithoutDefault() throws IOException {
        Schema released = schemasIn(RELEASED.resolve("v1")).get("StrikeReport.avsc");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(StrikeReport.getClassSchema().toString());
        ((ArrayNode) json.get("fields")).addObject().put("name", "operator").put("type", "string");
        Schema broken = new Schema.Parser().parse(json.toString());

        CompatibilityChecker.Result result = CompatibilityChecker.check(CompatibilityLevel.BACKWARD_TRANSITIVE, broken, List.of(released));

        assertThat(result.compatible()).isFalse();
        assertThat(result.messages()).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("operator");
    }

    @Test
    void theCheckCatchesARemovedEnumSymbolAndATypeChange() throws IOException {
        Schema released = schemasIn(RELEASED.resolve("v1")).get("StrikeReport.avsc");
        String text = StrikeReport.getClassSchema().toString()
                .replace("\"GUIDED_BOMB\",", "")
                .replace("{\"name\":\"launched\",\"type\":\"int\"", "{\"name\":\"launched\",\"type\":\"string\"");
        Schema broken = new Schema.Parser().parse(text);

        CompatibilityChecker.Result result = CompatibilityChecker.check(CompatibilityLevel.BACKWARD, broken, List.of(released));

        assertThat(String.join("\n", result.messages())).contains("TYPE_MISMATCH at launched (/fields/8/type)");
        // the enum has a default (UNKNOWN), so a removed symbol reads as UNKNOWN and is not a break
        assertThat(String.join("\n", result.messages())).doesNotContain("MISSING_ENUM_SYMBOLS");
    }

    /** Released schemas per file name, oldest release first. */
    private static Map<String, List<Schema>> releasedByFile() throws IOException {
        Map<String, List<Schema>> out = new TreeMap<>();
        List<Path> releases;
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            releases = dirs.filter(Files::isDirectory).filter(d -> d.getFileName().toString().matches("v\\d+"))
                    .sorted(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(1))))
                    .toList();
        }
        for (Path release : releases) {
            schemasIn(release).forEach((file, schema) -> out.computeIfAbsent(file, f -> new ArrayList<>()).add(schema));
        }
        return out;
    }

    private static Map<String, Schema> schemasIn(Path dir) throws IOException {
        Map<String, Schema> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                out.put(file.getFileName().toString(), new Schema.Parser().parse(file.toFile()));
            }
        }
        return out;
    }
}
