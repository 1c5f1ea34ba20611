package io.conflictmon.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens. Hand-written because it is a dozen
 * lines and a security library would add a framework for one header.
 *
 * <p>Timing: tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual} (constant time for equal
 * lengths, and digests always have equal length), and every configured token is compared, so the answer time says
 * neither how much of a token matched nor which token it was. Tokens are never logged nor put in messages.
 */
final class BearerTokens {
    private static final String SCHEME = "bearer ";

    private final List<byte[]> digests;

    BearerTokens(List<String> tokens) {
        this.digests = tokens.stream().map(BearerTokens::sha256).toList();
    }

    boolean enabled() {
        return !digests.isEmpty();
    }

    /** True when auth is off, or the header carries one of the tokens. */
    boolean accepts(String authorizationHeader) {
        if (digests.isEmpty()) {
            return true;
        }
        if (authorizationHeader == null || authorizationHeader.length() <= SCHEME.length()
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] presented = sha256(authorizationHeader.substring(SCHEME.length()).strip());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented); // no early exit: same work whichever token matches
        }
        return match;
    }

    /** Why a request was refused, without echoing what it sent. */
    static String refusal(String authorizationHeader) {
        if (authorizationHeader == null) {
            return "missing Authorization header: send 'Authorization: Bearer <token>'";
        }
        if (!authorizationHeader.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return "the Authorization header must use the Bearer scheme";
        }
        return "the bearer token is not valid";
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
