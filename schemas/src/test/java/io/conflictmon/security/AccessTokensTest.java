package io.conflictmon.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokensTest {
    private final AccessTokens tokens = AccessTokens.parse(
            "ingest:w-secret-0001:write; reader:r-secret-0001:read,ops:o:secret:with:colons:read+write+metrics");

    @Test
    void findsEachTokenByItsSecretWithItsScopes() {
        assertThat(tokens.authenticate("w-secret-0001")).hasValueSatisfying(t -> {
            assertThat(t.name()).isEqualTo("ingest");
            assertThat(t.scopes()).containsExactly(Scope.WRITE);
        });
        assertThat(tokens.authenticate("r-secret-0001").map(AccessTokens.Token::name)).hasValue("reader");
        assertThat(tokens.authenticate("o:secret:with:colons")).hasValueSatisfying(
                t -> assertThat(t.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE, Scope.METRICS));
        assertThat(tokens.anyHas(Scope.READ)).isTrue();
        assertThat(tokens.enabled()).isTrue();
    }

    @Test
    void refusesPrefixesExtensionsOtherCaseAndEmpty() {
        for (String guess : List.of("w-secret-000", "w-secret-00011", "W-SECRET-0001", "", "ingest", "write")) {
            assertThat(tokens.authenticate(guess)).as(guess).isEmpty();
        }
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void keepsOnlyFixedLengthDigestsSoTheComparisonTakesTheSameTimeForAnySecret() {
        AccessTokens mixed = AccessTokens.parse("a:x:write b:" + "y".repeat(500) + ":read");
        // MessageDigest.isEqual is constant-time for arrays of equal length: every digest has 32 bytes,
        // whatever the secret, and none holds the secret itself.
        assertThat(mixed.tokens()).allSatisfy(t -> assertThat(t.digest()).hasSize(32));
        assertThat(new String(mixed.tokens().get(1).digest(), StandardCharsets.ISO_8859_1)).doesNotContain("yyyy");
        assertThat(AccessTokens.sha256("x")).hasSize(AccessTokens.sha256("y".repeat(10_000)).length);
    }

    @Test
    void bareSecretsAreWriteTokensAsBeforeScopes() {
        AccessTokens legacy = AccessTokens.parse(List.of("first-token", "second-token"));
        assertThat(legacy.tokens()).extracting(AccessTokens.Token::name).containsExactly("token-1", "token-2");
        assertThat(legacy.authenticate("second-token")).hasValueSatisfying(t -> assertThat(t.allows(Scope.WRITE)).isTrue());
        assertThat(legacy.anyHas(Scope.READ)).isFalse();
    }

    @Test
    void malformedSpecsFailWithoutShowingTheSecret() {
        assertThatThrownBy(() -> AccessTokens.parse("name:hidden-secret-1"))
                .hasMessageContaining("name:secret:scopes").hasMessageNotContaining("hidden-secret-1");
        assertThatThrownBy(() -> AccessTokens.parse("a:hidden-secret-2:admin"))
                .hasMessageContaining("unknown scope 'admin'").hasMessageNotContaining("hidden-secret-2");
        assertThatThrownBy(() -> AccessTokens.parse("a:s1:read a:s2:write")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> AccessTokens.parse("bad name!:s:read")).hasMessageContaining("name must be");
        assertThat(tokens.toString()).doesNotContain("w-secret-0001", "r-secret-0001", "o:secret");
    }

    @Test
    void readsAFileWithComments(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# who may do what\ningest:w1-secret:write\n\n"
                + "dash:r1-secret:read\n");
        AccessTokens loaded = AccessTokens.load(file);
        assertThat(loaded.tokens()).extracting(AccessTokens.Token::name).containsExactly("ingest", "dash");
        assertThat(AccessTokens.parse("  ").enabled()).isFalse();
    }

    @Test
    void rateLimitsParse() {
        assertThat(RateLimit.parse("50/s")).isEqualTo(RateLimit.DEFAULT);
        assertThat(RateLimit.parse("600/min").toString()).isEqualTo("600/min");
        assertThat(RateLimit.parse("off").enabled()).isFalse();
        assertThatThrownBy(() -> RateLimit.parse("fast")).hasMessageContaining("N/s");
    }
}
