package io.conflictmon.security;

import java.time.Duration;
import java.util.Locale;

/**
 * Requests one token may make per period, e.g. {@code 50/s} or {@code 600/min}; a client may spend the whole period's
 * allowance at once (a burst), then gets a request back every {@code period / requests}.
 *
 * @param requests 0 turns the limit off
 */
public record RateLimit(long requests, Duration period) {
    public static final RateLimit OFF = new RateLimit(0, Duration.ofSeconds(1));
    public static final RateLimit DEFAULT = new RateLimit(50, Duration.ofSeconds(1));

    public RateLimit {
        if (requests < 0) {
            throw new IllegalArgumentException("a rate limit needs requests >= 0, got " + requests);
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a positive period, got " + period);
        }
    }

    public boolean enabled() {
        return requests > 0;
    }

    /** {@code off}, or {@code N/s}, {@code N/min}, {@code N/h}. */
    public static RateLimit parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("off") || value.equals("0")) {
            return OFF;
        }
        String[] parts = value.split("/", 2);
        try {
            if (parts.length == 2) {
                long requests = Long.parseLong(parts[0].strip());
                Duration period = switch (parts[1].strip()) {
                    case "s", "sec", "second" -> Duration.ofSeconds(1);
                    case "m", "min", "minute" -> Duration.ofMinutes(1);
                    case "h", "hour" -> Duration.ofHours(1);
                    default -> null;
                };
                if (period != null && requests > 0) {
                    return new RateLimit(requests, period);
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("rate limit '" + text + "' is not of the form N/s, N/min, N/h or off");
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "off";
        }
        String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "min"
                : period.equals(Duration.ofHours(1)) ? "h" : period.toString();
        return requests + "/" + unit;
    }
}
