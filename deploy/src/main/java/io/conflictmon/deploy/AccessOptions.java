package io.conflictmon.deploy;

import io.conflictmon.security.AccessTokens;
import io.conflictmon.security.RateLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Who may use the HTTP API: bearer tokens with scopes, and the rate limit per token (see {@link AccessTokens}). */
final class AccessOptions {
    @Option(names = "--tokens", paramLabel = "SPECS", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Bearer tokens name:secret:scopes (scopes write, read, metrics joined by "
            + "'+'; a bare secret is a write token), several separated by ',', ';' or spaces. Prefer the environment "
            + "(" + AccessTokens.ENVIRONMENT_VARIABLE + ") or --tokens-file: flags show in the process list. "
            + "Without tokens the API is open.")
    String tokens;

    @Option(names = "--tokens-file", paramLabel = "FILE", description = "File of token specs, one or more per line, '#' comments.")
    Path tokensFile;

    @Option(names = "--rate-limit", paramLabel = "N/UNIT", defaultValue = "50/s",
            description = "Requests per token: N/s, N/min, N/h or off.")
    String rateLimit;

    /** The token specs of the flag (or variable) and the file; checked by {@link AccessTokens#parse}. */
    List<String> tokenSpecs() {
        List<String> specs = new ArrayList<>();
        if (tokens != null && !tokens.isBlank()) {
            specs.add(tokens);
        }
        if (tokensFile != null) {
            try {
                Files.readAllLines(tokensFile, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank() && !line.strip().startsWith("#")).forEach(specs::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the token file " + tokensFile + ": " + e, e);
            }
        }
        AccessTokens.parse(specs); // a malformed spec fails here, with a message that names no secret
        return specs;
    }

    RateLimit rateLimit() {
        return RateLimit.parse(rateLimit);
    }
}
