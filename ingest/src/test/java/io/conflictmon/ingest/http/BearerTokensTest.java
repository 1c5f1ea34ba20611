package io.conflictmon.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokensTest {
    private final BearerTokens tokens = new BearerTokens(List.of("first-token", "second-token"));

    @Test
    void acceptsEveryConfiguredTokenUnderTheBearerScheme() {
        assertThat(tokens.enabled()).isTrue();
        assertThat(tokens.accepts("Bearer first-token")).isTrue();
        assertThat(tokens.accepts("bearer second-token")).isTrue();
        assertThat(tokens.accepts("Bearer  second-token ")).isTrue();
    }

    @Test
    void refusesEverythingElse() {
        assertThat(tokens.accepts(null)).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts("Bearer ")).isFalse();
        assertThat(tokens.accepts("Bearer first-toke")).isFalse();
        assertThat(tokens.accepts("Bearer first-token2")).isFalse();
        assertThat(tokens.accepts("Basic first-token")).isFalse();
        assertThat(tokens.accepts("first-token")).isFalse();
    }

    @Test
    void refusalsNeverEchoTheToken() {
        assertThat(BearerTokens.refusal("Bearer guessed-secret")).doesNotContain("guessed-secret");
        assertThat(BearerTokens.refusal("Basic dXNlcjpwYXNz")).doesNotContain("dXNlcjpwYXNz");
        assertThat(BearerTokens.refusal(null)).contains("missing");
    }

    @Test
    void noTokensMeansAuthenticationIsOff() {
        BearerTokens off = new BearerTokens(List.of());
        assertThat(off.enabled()).isFalse();
        assertThat(off.accepts(null)).isTrue();
    }
}
