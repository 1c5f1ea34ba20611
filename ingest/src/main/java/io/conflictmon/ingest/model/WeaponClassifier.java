package io.conflictmon.ingest.model;

import io.conflictmon.avro.WeaponClass;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Weapon model as reported -> {@link WeaponClass}.
 *
 * <p>Lookup order for one model name (case- and space-insensitive):
 * <ol>
 *   <li>the explicit {@link #OVERRIDES} (models missing from the reference table, or classed too coarsely there);</li>
 *   <li>a bundled name ({@code "C-400 and Iskander-M"}, {@code "Shahed-136/131 + Lancet"}) takes the class of its
 *       first named part that classifies. Sources name the leading weapon first, and the rule gives the same answer
 *       for every bundle (the reference table itself classes {@code "X-47 Kinzhal and Iskander-M/KN-23"} as a cruise
 *       missile but {@code "X-47 Kinzhal and Iskander-M"} as ballistic). Every bundle in the data is all-drone or
 *       all-missile, so the drone/missile split never depends on the rule;</li>
 *   <li>the bundled reference table {@code reference/missiles_and_uavs.csv} (category and type columns);</li>
 *   <li>name patterns for spellings the table lacks (Kh-101 for X-101, Cyrillic names, Geran for Shahed, KAB...);</li>
 *   <li>otherwise {@link WeaponClass#UNKNOWN}.</li>
 * </ol>
 * Drones: one-way attack drones and loitering munitions (Shahed/Geran, Lancet, Kub, Molniya) are ATTACK_DRONE;
 * reconnaissance drones, decoys (Gerbera) and unidentified UAVs are OTHER_DRONE.
 * Thread-safe.
 */
public final class WeaponClassifier {
    public static final String REFERENCE_RESOURCE = "/reference/missiles_and_uavs.csv";

    /** Exact names (normalized) whose class the reference table lacks or gets too coarse. */
    static final Map<String, WeaponClass> OVERRIDES = Map.ofEntries(
            // Cyrillic names used by the southern air command; in the table without a type
            Map.entry("молнія", WeaponClass.ATTACK_DRONE), // Molniya: small fixed-wing strike drone
            Map.entry("молния", WeaponClass.ATTACK_DRONE),
            Map.entry("molniya", WeaponClass.ATTACK_DRONE),
            Map.entry("привет-82", WeaponClass.ATTACK_DRONE), // Privet-82: strike drone
            Map.entry("картограф", WeaponClass.OTHER_DRONE), // Kartograf: reconnaissance drone
            Map.entry("фенікс", WeaponClass.OTHER_DRONE), // Feniks: reconnaissance drone
            Map.entry("aerial bomb", WeaponClass.GUIDED_BOMB), // glide bombs (KAB/UMPK) as the air commands report them
            Map.entry("unknown uav", WeaponClass.OTHER_DRONE),
            Map.entry("reconnaissance uav", WeaponClass.OTHER_DRONE),
            Map.entry("intercontinental ballistic missile", WeaponClass.BALLISTIC_MISSILE),
            Map.entry("ballistic missile", WeaponClass.BALLISTIC_MISSILE));

    /** Splits a bundled name into its parts; '/' is not a separator (it names alternatives of one weapon). */
    private static final Pattern BUNDLE_SEPARATOR = Pattern.compile("\\s+(?:and|і|и|та)\\s+|\\s*\\+\\s*|\\s*;\\s*");

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

    /** Name patterns, first match wins; order matters (Iskander-K before Iskander, Kh-47 before other Kh-). */
    private static final List<Map.Entry<Pattern, WeaponClass>> PATTERNS = List.of(
            rule("\\b(shahed|шахед|geran|герань|lancet|ланцет|kub|molni[yj]a|молні[яї]|молния|privet|привет|привіт)",
                    WeaponClass.ATTACK_DRONE),
            rule("\\b(gerbera|гербера|decoy|пародія|пародия|orlan|орлан|zala|зала|supercam|суперкам|merlin|мерлін|forpost"
                            + "|форпост|eleron|елерон|granat|mohajer|orion|оріон|орион|kartograf|картограф|feniks|фенікс|феникс)"
                            + "|reconnaissance|розвідувальн",
                    WeaponClass.OTHER_DRONE),
            rule("\\b(iskander|іскандер|искандер)-?[kк]\\b", WeaponClass.CRUISE_MISSILE),
            rule("\\b(iskander|іскандер|искандер|kn-?23|kinzhal|кинджал|кинжал|kh-?47|[xх]-?47|tochka|точка)"
                            + "|ballistic|балістичн|баллистическ",
                    WeaponClass.BALLISTIC_MISSILE),
            rule("\\b[sсc]-?[34]00\\b|surface-to-air|зенітн|зенитн", WeaponClass.SURFACE_TO_AIR_MISSILE),
            rule("\\b(kab|каб|umpk|умпк|gbu|fab|фаб)\\b|bomb|бомб", WeaponClass.GUIDED_BOMB),
            rule("\\b(kh|[xх])-?\\d|kalibr|калібр|калибр|oniks|onyx|онікс|оникс|zircon|циркон|\\b3[mм]-?22|banderol|бандерол"
                            + "|cruise|крилат|крылат",
                    WeaponClass.CRUISE_MISSILE),
            rule("\\b(uav|drone|бпла|дрон)", WeaponClass.OTHER_DRONE));

    /** Bounds the cache against API clients sending ever new model names. */
    private static final int MAX_CACHED = 10_000;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final Map<String, WeaponClass> reference;
    private final Map<String, WeaponClass> cache = new ConcurrentHashMap<>();

    private WeaponClassifier(Map<String, WeaponClass> reference) {
        this.reference = reference;
    }

    /** A classifier over the reference table bundled with this module. */
    public static WeaponClassifier bundled() {
        try (InputStream in = WeaponClassifier.class.getResourceAsStream(REFERENCE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("reference table " + REFERENCE_RESOURCE + " is missing from the classpath");
            }
            return fromReferenceCsv(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reference table " + REFERENCE_RESOURCE, e);
        }
    }

    /** A classifier over a reference table with at least the columns {@code model, category, type}. */
    public static WeaponClassifier fromReferenceCsv(Reader csv) throws IOException {
        Map<String, WeaponClass> table = new HashMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = CSVParser.builder().setReader(csv).setFormat(format).get()) {
            for (CSVRecord row : parser) {
                WeaponClass weaponClass = fromCategory(row.get("category"), row.get("type"));
                if (weaponClass != WeaponClass.UNKNOWN) {
                    table.put(normalize(row.get("model")), weaponClass);
                }
            }
        }
        return new WeaponClassifier(Collections.unmodifiableMap(table));
    }

    /** The class of a weapon model as reported; {@link WeaponClass#UNKNOWN} when nothing matches. */
    public WeaponClass classify(String model) {
        if (model == null || model.isBlank()) {
            return WeaponClass.UNKNOWN;
        }
        WeaponClass known = cache.get(model); // raw spelling first: the same few dozen names recur on every row
        if (known == null) {
            known = classifyNormalized(normalize(model));
            if (cache.size() < MAX_CACHED) {
                cache.put(model, known);
            }
        }
        return known;
    }

    /** Classes of many models, in the order given (for reports and test messages). */
    public Map<String, WeaponClass> classifyAll(Iterable<String> models) {
        Map<String, WeaponClass> result = new LinkedHashMap<>();
        for (String model : models) {
            result.put(model, classify(model));
        }
        return result;
    }

    /** Drones are ATTACK_DRONE and OTHER_DRONE; every other class (UNKNOWN included) counts as a missile. */
    public static boolean isDrone(WeaponClass weaponClass) {
        return weaponClass == WeaponClass.ATTACK_DRONE || weaponClass == WeaponClass.OTHER_DRONE;
    }

    private WeaponClass classifyNormalized(String name) {
        WeaponClass override = OVERRIDES.get(name);
        if (override != null) {
            return override;
        }
        List<String> parts = bundleParts(name);
        if (parts.size() > 1) {
            for (String part : parts) {
                WeaponClass partClass = classifySingle(part);
                if (partClass != WeaponClass.UNKNOWN) {
                    return partClass;
                }
            }
            return WeaponClass.UNKNOWN;
        }
        return classifySingle(name);
    }

    private WeaponClass classifySingle(String name) {
        WeaponClass known = OVERRIDES.get(name);
        if (known == null) {
            known = reference.get(name);
        }
        if (known != null) {
            return known;
        }
        for (Map.Entry<Pattern, WeaponClass> rule : PATTERNS) {
            if (rule.getKey().matcher(name).find()) {
                return rule.getValue();
            }
        }
        return WeaponClass.UNKNOWN;
    }

    private static List<String> bundleParts(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : BUNDLE_SEPARATOR.split(name)) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    static WeaponClass fromCategory(String category, String type) {
        String c = category == null ? "" : category.strip().toLowerCase(Locale.ROOT);
        String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
        switch (c) {
            case "uav":
                return t.contains("loitering munition") ? WeaponClass.ATTACK_DRONE : WeaponClass.OTHER_DRONE;
            case "ballistic missile":
                return WeaponClass.BALLISTIC_MISSILE;
            case "cruise missile":
                return WeaponClass.CRUISE_MISSILE;
            case "guided bomb":
                return WeaponClass.GUIDED_BOMB;
            case "surface-to-air missile":
                return WeaponClass.SURFACE_TO_AIR_MISSILE;
            default:
                return WeaponClass.UNKNOWN; // mixed categories ("surface-to-air and ballistic") are bundles
        }
    }

    /** Stripped, each run of whitespace ({@code \s+}) one space, lower case. */
    static String normalize(String model) {
        String stripped = model.strip();
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            boolean spaces = c == ' ' && i + 1 < stripped.length() && stripped.charAt(i + 1) == ' ';
            if (spaces || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                return WHITESPACE.matcher(stripped).replaceAll(" ").toLowerCase(Locale.ROOT);
            }
        }
        return stripped.toLowerCase(Locale.ROOT); // the usual case, without a matcher: ids normalize every row's model
    }

    private static Map.Entry<Pattern, WeaponClass> rule(String regex, WeaponClass weaponClass) {
        return Map.entry(Pattern.compile(regex, FLAGS), weaponClass);
    }
}
