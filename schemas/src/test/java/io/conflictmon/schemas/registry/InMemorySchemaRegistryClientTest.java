package io.conflictmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {
    private final InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();

    private static Schema record(String name, boolean withDefaultField) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(name).fields().requiredInt("a");
        if (withDefaultField) {
            fields = fields.name("b").type().intType().intDefault(0);
        }
        return fields.endRecord();
    }

    @Test
    void idsAreGlobalAndStableAndVersionsPerSubject() {
        int v1 = client.register("s-value", record("R", false));
        int v2 = client.register("s-value", record("R", true));
        assertThat(client.register("s-value", record("R", false))).isEqualTo(v1);
        assertThat(client.register("t-value", record("R", true))).isEqualTo(v2);
        assertThat(v2).isEqualTo(v1 + 1);

        assertThat(client.versions("s-value")).containsExactly(1, 2);
        assertThat(client.versions("t-value")).containsExactly(1);
        assertThat(client.getLatest("s-value")).isEqualTo(new RegisteredSchema("s-value", 2, v2, record("R", true)));
        assertThat(client.getVersion("t-value", 1).id()).isEqualTo(v2);
        assertThat(client.getById(v1)).isEqualTo(record("R", false));
        assertThat(client.lookup("s-value", record("R", false)).version()).isEqualTo(1);
        assertThat(client.subjects()).containsExactly("s-value", "t-value");
    }

    @Test
    void compatibilityIsEnforcedLikeTheServer() {
        client.register("s-value", record("R", true));
        Schema renamed = record("Other", true);
        assertThat(client.testCompatibility("s-value", renamed)).isFalse();
        assertThat(client.testCompatibility("new-value", renamed)).isTrue();
        assertThatThrownBy(() -> client.register("s-value", renamed))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.registryMessage()).contains("NAME_MISMATCH");
                });
        client.setCompatibility("s-value", CompatibilityLevel.NONE);
        assertThat(client.getCompatibility("s-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.register("s-value", renamed)).isPositive();
    }

    @Test
    void missingThingsAreNotFound() {
        assertThatThrownBy(() -> client.getLatest("nope"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.getById(5))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        client.register("s-value", record("R", false));
        assertThatThrownBy(() -> client.getVersion("s-value", 3))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> client.lookup("s-value", record("R", true)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    }
}
