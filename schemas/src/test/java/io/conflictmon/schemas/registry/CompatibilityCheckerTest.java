package io.conflictmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {
    private static final Schema A = SchemaBuilder.record("R").fields().requiredInt("a").endRecord();
    /** A plus b with a default: readable both ways with A. */
    private static final Schema A_B_DEFAULT = SchemaBuilder.record("R").fields().requiredInt("a")
            .name("b").type().stringType().stringDefault("x").endRecord();
    /** A plus b without default: new readers cannot read A data (not BACKWARD), A readers can read it (FORWARD). */
    private static final Schema A_B_REQUIRED = SchemaBuilder.record("R").fields().requiredInt("a").requiredString("b").endRecord();

    @Test
    void directionsFollowTheLevel() {
        assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, A_B_REQUIRED, List.of(A)).compatible()).isFalse();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FORWARD, A_B_REQUIRED, List.of(A)).compatible()).isTrue();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, A_B_REQUIRED, List.of(A)).compatible()).isFalse();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, A_B_DEFAULT, List.of(A)).compatible()).isTrue();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.NONE, A_B_REQUIRED, List.of(A)).compatible()).isTrue();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, A_B_REQUIRED, List.of()).compatible()).isTrue();
    }

    @Test
    void transitiveLevelsLookAtEveryVersion() {
        // A -> A_B_REQUIRED -> A_B_REQUIRED again: the latest alone is fine, the first is not
        List<Schema> history = List.of(A, A_B_REQUIRED);
        assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, A_B_REQUIRED, history).compatible()).isTrue();
        CompatibilityChecker.Result transitive = CompatibilityChecker.check(CompatibilityLevel.BACKWARD_TRANSITIVE, A_B_REQUIRED, history);
        assertThat(transitive.compatible()).isFalse();
        assertThat(transitive.messages()).singleElement().asString()
                .startsWith("BACKWARD: new schema cannot read data written with version 1: READER_FIELD_MISSING_DEFAULT_VALUE at b");
    }

    @Test
    void locationsAreNamedByField() {
        Schema nested = SchemaBuilder.record("Outer").fields()
                .name("items").type().array().items(SchemaBuilder.record("Inner").fields().requiredInt("n").endRecord()).noDefault()
                .endRecord();
        assertThat(CompatibilityChecker.fieldPath(nested, "/fields/0/type/items/fields/0/type")).isEqualTo("items[].n");
        assertThat(CompatibilityChecker.fieldPath(nested, "/")).isEmpty();
        assertThat(CompatibilityChecker.fieldPath(nested, "/fields/7")).isEmpty();
    }

    @Test
    void levelsParseCaseInsensitivelyAndNameTheChoicesOnError() {
        assertThat(CompatibilityLevel.parse("full_transitive")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> CompatibilityLevel.parse("SIDEWAYS")))
                .hasMessageContaining("expected one of NONE, BACKWARD");
    }
}
