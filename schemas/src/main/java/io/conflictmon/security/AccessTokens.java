package io.conflictmon.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer tokens of the HTTP API, each with a name and scopes. A token is given as {@code name:secret:scopes}, scopes
 * joined by {@code +} ({@code ingest:s3cr3t:write}, {@code ops:an0ther:read+write+metrics}); a bare {@code secret}
 * (no colon) is a write token, as tokens were before scopes. Several specs are separated by newlines, {@code ;},
 * {@code ,} or spaces (so one environment variable holds them all); {@code #} starts a comment line in a file.
 *
 * <p>Hand-written rather than a security framework: it is one header and a lookup; a framework would bring sessions
 * and filters we do not use.
 *
 * <p>Timing: only SHA-256 digests of the secrets are kept, and a presented secret is compared with
 * {@link MessageDigest#isEqual} (constant time, digests have equal length) against every token without an early exit,
 * so the answer time tells neither how much of a secret matched nor which token it was. Secrets never appear in
 * messages, logs or {@link #toString()}; names do (they say who, not how).
 */
public final class AccessTokens {
    /** Environment variable of the token specs, for the CLI. */
    public static final String ENVIRONMENT_VARIABLE = "CONFLICTMON_TOKENS";

    private static final AccessTokens NONE = new AccessTokens(List.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,;]+");

    /** One configured token: its name, the digest of its secret, and what it may do. */
    public record Token(String name, Set<Scope> scopes, byte[] digest) {
        public Token {
            scopes = Set.copyOf(scopes);
            digest = digest.clone();
        }

        public boolean allows(Scope scope) {
            return scopes.contains(scope);
        }

        @Override
        public String toString() {
            return name + scopes.stream().map(Scope::label).sorted().toList();
        }
    }

    private final List<Token> tokens;

    private AccessTokens(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /** No tokens: authentication is off. */
    public static AccessTokens none() {
        return NONE;
    }

    /** Parses specs; each element may hold several, separated as the class comment says. */
    public static AccessTokens parse(Collection<String> specs) {
        List<Token> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int position = 0;
        for (String text : specs) {
            for (String spec : SEPARATORS.split(text.strip())) {
                if (spec.isEmpty()) {
                    continue;
                }
                position++;
                Token token = parseOne(spec, position);
                if (!names.add(token.name())) {
                    throw new IllegalArgumentException("token name '" + token.name() + "' is given twice");
                }
                parsed.add(token);
            }
        }
        return parsed.isEmpty() ? NONE : new AccessTokens(parsed);
    }

    /** Parses one text of specs (an environment variable). */
    public static AccessTokens parse(String specs) {
        return parse(List.of(specs == null ? "" : specs));
    }

    /** Reads specs from a file, one or more per line; lines starting with {@code #} are comments. */
    public static AccessTokens load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.strip().startsWith("#")).toList());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in " + file + ")", e);
        }
    }

    private static Token parseOne(String spec, int position) {
        int first = spec.indexOf(':');
        if (first < 0) {
            return new Token("token-" + position, EnumSet.of(Scope.WRITE), sha256(spec));
        }
        int last = spec.lastIndexOf(':');
        String where = "token #" + position;
        if (first == last) {
            throw new IllegalArgumentException(where + " is not of the form name:secret:scopes");
        }
        String name = spec.substring(0, first);
        String secret = spec.substring(first + 1, last);
        String scopeList = spec.substring(last + 1);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": the name must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("token '" + name + "' has an empty secret");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String label : scopeList.split("\\+")) {
            try {
                scopes.add(Scope.parse(label));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("token '" + name + "': " + e.getMessage()
                        + " (scopes are joined by '+', e.g. read+write)", e);
            }
        }
        return new Token(name, scopes, sha256(secret));
    }

    /** True when at least one token is configured: the write routes then need a write token. */
    public boolean enabled() {
        return !tokens.isEmpty();
    }

    /** True when some token has the scope: the routes of that scope are then closed to anyone without it. */
    public boolean anyHas(Scope scope) {
        return tokens.stream().anyMatch(t -> t.allows(scope));
    }

    public List<Token> tokens() {
        return tokens;
    }

    /** The token whose secret this is; every token is compared, in constant time each. */
    public Optional<Token> authenticate(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(secret);
        Token found = null;
        for (Token token : tokens) {
            if (MessageDigest.isEqual(token.digest(), presented) && found == null) { // no early exit
                found = token;
            }
        }
        Arrays.fill(presented, (byte) 0);
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Names and scopes only. */
    @Override
    public String toString() {
        return tokens.isEmpty() ? "no tokens (authentication off)" : tokens.toString();
    }
}
