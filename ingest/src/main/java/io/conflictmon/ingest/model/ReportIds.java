package io.conflictmon.ingest.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic report ids: the same report always gets the same id, so a re-sent or re-imported report is
 * recognised (DESIGN.md: "the report id is the idempotency key").
 *
 * <p>Ids are derived from the fields that say <em>which</em> report it is (source, time window, weapon, places),
 * never from its figures: a re-export of a file with a corrected count keeps the id and so replaces the old numbers
 * downstream instead of adding a second report. The figures are covered by the content fingerprint instead.
 */
public final class ReportIds {
    /** Number of hex characters of SHA-256 kept in a hashed id (80 bits). */
    public static final int HASH_HEX_CHARS = 20;
    private static final char SEPARATOR = '\u001F'; // ASCII unit separator: cannot occur in the fields

    private ReportIds() {
    }

    /** {@code prefix-} followed by the first {@value #HASH_HEX_CHARS} hex digits of SHA-256 over the parts. */
    public static String hashed(String prefix, List<String> parts) {
        StringBuilder text = hashedText();
        for (String part : parts) {
            text.append(part).append(SEPARATOR);
        }
        return prefix + "-" + sha256Hex(text);
    }

    /**
     * Id of a strike report sent without one: {@code <source slug>-<hash of source, window, model, places>}. The hashed
     * text is each part followed by {@link #SEPARATOR}; times as {@link Instant#toString()}, regions joined by '|'.
     * Built in one reused builder, times without a formatter: it runs on every imported row.
     */
    public static String strikeId(StrikeReportInput r) {
        StringBuilder text = hashedText();
        text.append(text(r.source())).append(SEPARATOR);
        appendInstant(text, r.timeStart()).append(SEPARATOR);
        appendInstant(text, r.timeEnd()).append(SEPARATOR);
        text.append(r.timePrecision() == null ? "" : r.timePrecision().name()).append(SEPARATOR);
        text.append(r.weaponModel() == null ? "" : WeaponClassifier.normalize(r.weaponModel())).append(SEPARATOR);
        text.append(text(r.launchArea())).append(SEPARATOR);
        if (r.targetRegions() != null) {
            for (int i = 0; i < r.targetRegions().size(); i++) {
                text.append(i == 0 ? "" : "|").append(r.targetRegions().get(i));
            }
        }
        text.append(SEPARATOR);
        return slug(r.source(), "strike") + "-" + sha256Hex(text);
    }

    private static StringBuilder appendInstant(StringBuilder text, Instant instant) {
        return instant == null ? text : IsoInstants.append(text, instant);
    }

    /**
     * Id of a casualty report sent without one: {@code <source slug>-<period>}, where the period reads {@code 2025}
     * for a whole year, {@code 2024-03} for a whole month, {@code 2024-03-05} for a day and
     * {@code 2024-03-05_2024-03-07} otherwise; a region adds a short hash of its name. The OHCHR importers use the same
     * ids ({@code ohchr-2024-03}, {@code ohchr-2025}), so a report sent by hand for the same period corrects them.
     */
    public static String casualtyId(CasualtyReportInput r) {
        String id = slug(r.source(), "casualty") + "-" + periodLabel(r.periodStart(), r.periodEnd());
        if (r.region() != null && !r.region().isBlank()) {
            id += "-" + sha256Hex(hashedText().append(r.region().strip().toLowerCase(Locale.ROOT)).append(SEPARATOR))
                    .substring(0, 8);
        }
        return id;
    }

    static String periodLabel(LocalDate start, LocalDate end) {
        if (start == null || end == null) {
            return (start == null ? "unknown" : start.toString()) + "_" + (end == null ? "unknown" : end.toString());
        }
        if (start.getDayOfYear() == 1 && end.equals(start.withDayOfYear(start.lengthOfYear()))) {
            return Integer.toString(start.getYear());
        }
        YearMonth month = YearMonth.from(start);
        if (start.getDayOfMonth() == 1 && end.equals(month.atEndOfMonth())) {
            return month.toString();
        }
        return start.equals(end) ? start.toString() : start + "_" + end;
    }

    /**
     * Lower-case letters, digits and dashes of the text, at most 40 characters; the fallback when none remain. Every
     * run of other characters becomes one dash, with none at either end (as {@code [^a-z0-9]+} replaced by a dash,
     * edge dashes stripped), in one pass: it runs on every imported row.
     */
    static String slug(String text, String fallback) {
        if (text == null) {
            return fallback;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder(Math.min(lower.length(), 41));
        boolean dash = false;
        for (int i = 0; i < lower.length() && slug.length() < 40; i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (dash && slug.length() > 0) {
                    slug.append('-');
                }
                dash = false;
                slug.append(c);
            } else {
                dash = true;
            }
        }
        int end = Math.min(slug.length(), 40);
        while (end > 0 && slug.charAt(end - 1) == '-') {
            end--;
        }
        return end == 0 ? fallback : slug.substring(0, end);
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }

    /** The first {@value #HASH_HEX_CHARS} hex digits of SHA-256 over the UTF-8 encoding of the text. */
    private static String sha256Hex(CharSequence text) {
        MessageDigest digest = DIGEST.get();
        digest.reset();
        byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, HASH_HEX_CHARS / 2);
    }

    /** This thread's builder of hashed text, emptied (and let go of when an odd report made it large). */
    private static StringBuilder hashedText() {
        StringBuilder text = TEXT.get();
        if (text.capacity() > MAX_KEPT_TEXT) {
            text = new StringBuilder(256);
            TEXT.set(text);
        }
        text.setLength(0);
        return text;
    }

    /** One digest per thread: looking up a provider per id cost more than the hash. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(ReportIds::sha256);
    private static final int MAX_KEPT_TEXT = 16 * 1024;
    private static final ThreadLocal<StringBuilder> TEXT = ThreadLocal.withInitial(() -> new StringBuilder(256));

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
