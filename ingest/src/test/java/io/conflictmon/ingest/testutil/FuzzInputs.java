package io.conflictmon.ingest.testutil;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile input for the JSON and CSV fuzz tests: report-shaped JSON whose fields hold values of
 * every type and edge (huge and negative numbers, odd dates, control characters, lone surrogates, deep nesting,
 * giant strings), the same documents with characters deleted, inserted or cut off, and CSV rows built from
 * plausible and hostile cells. Plain random bytes rarely get past the first token; these reach the mapping and the
 * validation rules behind it.
 */
public final class FuzzInputs {
    /** Every field name of both report kinds, and a few that are not. */
    public static final List<String> FIELD_NAMES = List.of("id", "source", "timeStart", "timeEnd", "timePrecision",
            "weaponModel", "weaponClass", "launched", "destroyed", "launchArea", "targetRegions", "sourceRef",
            "periodStart", "periodEnd", "region", "killed", "injured", "childrenKilled", "childrenInjured",
            "strikeReportId", "waveId", "lauched", "", "__proto__");

    private static final List<String> PLAUSIBLE = List.of("\"2026-01-08T19:30:00+02:00\"", "\"2026-01-09T07:00:00Z\"",
            "\"2013-12-31T23:59:59Z\"", "\"+999999999-12-31T23:59:59Z\"", "\"2026-01-08 19:30\"", "\"2025-01-01\"",
            "\"2025-12-31\"", "\"2025-02-29\"", "\"2025-13-01\"", "\"-000001-01-01\"", "\"MINUTE\"", "\"DAY\"",
            "\"UNKNOWN\"", "\"ATTACK_DRONE\"", "\"attack_drone\"", "\"kpszsu\"", "\"ohchr\"", "\"Shahed-136/131\"",
            "\"Kyiv oblast\"", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"line\\nbreak\"", "0", "-1", "242",
            "5000", "5001", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-0", "-0.0",
            "3.5", "339.0", "1E+2", "0.0000001", "true", "false", "null", "[]", "{}", "[null]", "[\"\"]");

    private static final String REMOVE = "<remove>";
    private static final Map<String, String> VALID_STRIKE = fields("id", "\"fuzz-strike\"", "source", "\"kpszsu\"",
            "timeStart", "\"2026-01-08T19:30:00+02:00\"", "timeEnd", "\"2026-01-09T09:00:00+02:00\"",
            "timePrecision", "\"MINUTE\"", "weaponModel", "\"Shahed-136/131\"", "weaponClass", "\"ATTACK_DRONE\"",
            "launched", "242", "destroyed", "226", "launchArea", "\"Primorsko-Akhtarsk\"",
            "targetRegions", "[\"Kyiv oblast\"]");
    private static final Map<String, String> VALID_CASUALTY = fields("id", "\"fuzz-casualty\"", "source", "\"ohchr\"",
            "periodStart", "\"2025-01-01\"", "periodEnd", "\"2025-12-31\"", "region", "null", "killed", "2514",
            "injured", "12142");

    private FuzzInputs() {
    }

    /** A JSON value as text, nesting at most {@code depth} levels. */
    public static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(40).map(FuzzInputs::quote);
        Arbitrary<String> longs = Arbitraries.longs().map(String::valueOf);
        Arbitrary<String> doubles = Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1e999");
        Arbitrary<String> giant = Arbitraries.integers().between(1_000, 17_000).map(n -> quote("x".repeat(n)));
        Arbitrary<String> scalars = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(PLAUSIBLE)), Tuple.of(3, strings),
                Tuple.of(2, longs), Tuple.of(1, doubles), Tuple.of(1, giant));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<String> arrays = jsonValue(depth - 1).list().ofMaxSize(4)
                .map(items -> items.stream().collect(Collectors.joining(",", "[", "]")));
        Arbitrary<String> objects = object(jsonValue(depth - 1), 3);
        Arbitrary<String> deep = Arbitraries.integers().between(10, 1_500).map(n -> "[".repeat(n) + "]".repeat(n));
        return Arbitraries.frequencyOf(Tuple.of(8, scalars), Tuple.of(2, arrays), Tuple.of(1, objects), Tuple.of(1, deep));
    }

    /** A report-shaped JSON object: known (and a few unknown) field names, any values, keys may repeat. */
    public static Arbitrary<String> reportObject() {
        return object(jsonValue(2), 14);
    }

    /** A valid strike or casualty report with one to three fields removed or set to any value. */
    public static Arbitrary<String> editedReport() {
        Arbitrary<Map<String, String>> valid = Arbitraries.of(VALID_STRIKE, VALID_CASUALTY);
        Arbitrary<String> replacement = Arbitraries.oneOf(jsonValue(1), Arbitraries.just(REMOVE));
        Arbitrary<Tuple.Tuple2<String, String>> edit = Combinators.combine(Arbitraries.of(FIELD_NAMES), replacement)
                .as(Tuple::of);
        return Combinators.combine(valid, edit.list().ofMinSize(1).ofMaxSize(3)).as((base, edits) -> {
            Map<String, String> fields = new LinkedHashMap<>(base);
            for (Tuple.Tuple2<String, String> e : edits) {
                if (e.get2().equals(REMOVE)) {
                    fields.remove(e.get1());
                } else {
                    fields.put(e.get1(), e.get2());
                }
            }
            return fields.entrySet().stream().map(f -> quote(f.getKey()) + ":" + f.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
        });
    }

    /** A body for the ingest API: one report (edited or random), an array of them, a mutated one, or random text. */
    public static Arbitrary<String> jsonDocument() {
        Arbitrary<String> report = Arbitraries.oneOf(editedReport(), reportObject());
        Arbitrary<String> arrays = report.list().ofMinSize(0).ofMaxSize(4)
                .map(items -> items.stream().collect(Collectors.joining(",", "[", "]")));
        return Arbitraries.frequencyOf(Tuple.of(4, report), Tuple.of(2, arrays),
                Tuple.of(3, mutated(Arbitraries.oneOf(report, arrays))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
    }

    /** The text with one to three characters deleted, inserted (JSON punctuation or any character) or cut off. */
    public static Arbitrary<String> mutated(Arbitrary<String> texts) {
        Arbitrary<Character> inserts = Arbitraries.oneOf(Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\', '-',
                '0', 'e', '.', ' ', '\n'), Arbitraries.chars());
        return Combinators.combine(texts, Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(3),
                inserts.list().ofMinSize(3).ofMaxSize(3), Arbitraries.integers().between(0, 2))
                .as((text, positions, characters, operation) -> {
                    StringBuilder out = new StringBuilder(text);
                    for (int i = 0; i < positions.size() && out.length() > 0; i++) {
                        int at = (int) (positions.get(i) * (out.length() - 1));
                        switch (operation) {
                            case 0 -> out.deleteCharAt(at);
                            case 1 -> out.insert(at, characters.get(i).charValue());
                            default -> out.setLength(at);
                        }
                    }
                    return out.toString();
                });
    }

    /** A CSV cell: plausible dates and counts, hostile numbers and text, quotes, separators and line breaks. */
    public static Arbitrary<String> csvCell() {
        Arbitrary<String> plausible = Arbitraries.of("2026-01-08 19:30", "2026-01-09 9:00", "2023-05-16 3:30 ",
                "2026-01-08", "2026-02-30 25:61", "2024-03", "2025", "2025-13", "99999", "2026-01-08T19:30", "",
                "nan", "None", "339.0", "242", "-1", "0", "3.5", "1e10", "1E+2147483647", "1e-2147483648", "NaN",
                "Infinity", "0x10", "Shahed-136/131", "Kalibr", "Kyiv oblast and Lviv oblast", "kpszsu/posts/pfbid0",
                "https://t.me/kpszsu/22252", "watch/?v=1", "{}", "\"quoted, with comma\"", "\"unterminated",
                "a\"b", "\"\"\"\"", "line\nbreak", "\"multi\nline\"", "\uFEFF", "Київ", "\u0000", "\t");
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(30);
        return Arbitraries.frequencyOf(Tuple.of(7, plausible), Tuple.of(2, text),
                Tuple.of(1, Arbitraries.integers().between(1_000, 5_000).map("y"::repeat)));
    }

    /** A CSV text: the header, then rows of cells (some with too few or too many). */
    public static Arbitrary<String> csv(List<String> header) {
        Arbitrary<String> row = csvCell().list().ofMinSize(Math.max(0, header.size() - 2)).ofMaxSize(header.size() + 1)
                .map(cells -> String.join(",", cells));
        return row.list().ofMaxSize(8).map(rows -> String.join(",", header) + "\n" + String.join("\n", rows));
    }

    private static Arbitrary<String> object(Arbitrary<String> values, int maxFields) {
        Arbitrary<String> names = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(FIELD_NAMES)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        Arbitrary<String> member = Combinators.combine(names, values).as((name, value) -> quote(name) + ":" + value);
        return member.list().ofMaxSize(maxFields).map(members -> members.stream().collect(Collectors.joining(",", "{", "}")));
    }

    private static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
