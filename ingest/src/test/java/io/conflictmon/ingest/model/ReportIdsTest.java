package io.conflictmon.ingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.importer.AirForceCsvParser;
import io.conflictmon.ingest.importer.ParsedRow;
import io.conflictmon.ingest.testutil.SharedData;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hand-written slug and model normalization against their regex definitions, on varied and random text; the ids
 * against their first definition (a list of parts, each hashed as UTF-8 followed by U+001F, {@link Instant#toString()}
 * for times), on the rows of the real attack log and on random reports, so that no id ever changes.
 */
class ReportIdsTest {
    static String sha256HexByDefinition(List<String> parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0x1F);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String hashedByDefinition(String prefix, List<String> parts) throws Exception {
        return prefix + "-" + sha256HexByDefinition(parts).substring(0, ReportIds.HASH_HEX_CHARS);
    }

    static String strikeIdByDefinition(StrikeReportInput r) throws Exception {
        return hashedByDefinition(slugByRegex(r.source() == null ? "" : r.source(), "strike"), List.of(
                r.source() == null ? "" : r.source().strip(),
                r.timeStart() == null ? "" : r.timeStart().toString(),
                r.timeEnd() == null ? "" : r.timeEnd().toString(),
                r.timePrecision() == null ? "" : r.timePrecision().name(),
                r.weaponModel() == null ? "" : normalizeByRegex(r.weaponModel()),
                r.launchArea() == null ? "" : r.launchArea().strip(),
                r.targetRegions() == null ? "" : String.join("|", r.targetRegions())));
    }

    /** The strike reports of the real attack log, without their ids. */
    static List<StrikeReportInput> realReports() throws Exception {
        Path file = SharedData.file(SharedData.ATTACKS);
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);
        AirForceCsvParser parser = new AirForceCsvParser(new ReportMapper(WeaponClassifier.bundled()),
                new ReportValidator(clock), clock.instant(), file.getFileName().toString());
        List<StrikeReportInput> reports = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Stream<ParsedRow<StrikeReport>> rows = parser.parse(in)) {
            rows.forEach(row -> {
                if (row instanceof ParsedRow.Accepted<StrikeReport> accepted) {
                    StrikeReport r = accepted.report();
                    reports.add(new StrikeReportInput(null, r.getSource(), r.getTimeStart(), r.getTimeEnd(),
                            r.getTimePrecision(), r.getWeaponModel(), r.getWeaponClass(), r.getLaunched(),
                            r.getDestroyed(), r.getLaunchArea(), r.getTargetRegions(), r.getSourceRef()));
                }
            });
        }
        return reports;
    }

    @Test
    void strikeIdsAreThoseOfTheFirstDefinitionOnTheRealLog() throws Exception {
        List<StrikeReportInput> reports = realReports();
        assertThat(reports).hasSizeGreaterThan(3_000);
        for (StrikeReportInput r : reports) {
            assertThat(ReportIds.strikeId(r)).as("%s", r).isEqualTo(strikeIdByDefinition(r));
        }
    }

    @Test
    void strikeIdsAreThoseOfTheFirstDefinitionOnRandomReports() throws Exception {
        Random random = new Random(20261129L);
        List<String> texts = samples();
        for (int i = 0; i < 5_000; i++) {
            List<String> regions = random.nextInt(5) == 0 ? null
                    : Arrays.asList(texts.subList(random.nextInt(texts.size() - 4), texts.size()).subList(0,
                            random.nextInt(4)).toArray(String[]::new));
            if (regions != null && !regions.isEmpty() && random.nextInt(10) == 0) {
                regions.set(0, null);
            }
            StrikeReportInput r = new StrikeReportInput(null, pick(random, texts), instant(random), instant(random),
                    random.nextInt(4) == 0 ? null : TimePrecision.values()[random.nextInt(TimePrecision.values().length)],
                    pick(random, texts), WeaponClass.UNKNOWN, 1, null, pick(random, texts), regions, null);
            assertThat(ReportIds.strikeId(r)).as("%s", r).isEqualTo(strikeIdByDefinition(r));
        }
    }

    @Test
    void hashedAndCasualtyIdsAreThoseOfTheFirstDefinition() throws Exception {
        Random random = new Random(20261130L);
        List<String> texts = samples();
        for (int i = 0; i < 2_000; i++) {
            List<String> parts = new ArrayList<>();
            for (int p = random.nextInt(8); p > 0; p--) {
                parts.add(texts.get(random.nextInt(texts.size())));
            }
            assertThat(ReportIds.hashed("af", parts)).isEqualTo(hashedByDefinition("af", parts));
            String region = texts.get(random.nextInt(texts.size()));
            CasualtyReportInput c = new CasualtyReportInput(null, "OHCHR", LocalDate.of(2024, 3, 1),
                    LocalDate.of(2024, 3, 31), region, 1, 2, null, null, null, null);
            String expected = "ohchr-2024-03" + (region.isBlank() ? ""
                    : "-" + sha256HexByDefinition(List.of(region.strip().toLowerCase(Locale.ROOT))).substring(0, 8));
            assertThat(ReportIds.casualtyId(c)).as(region).isEqualTo(expected);
        }
    }

    static String pick(Random random, List<String> texts) {
        return random.nextInt(6) == 0 ? null : texts.get(random.nextInt(texts.size()));
    }

    static Instant instant(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, random.nextInt(1_000_000_000));
            case 2 -> Instant.ofEpochSecond(1_388_534_400L + random.nextInt(400_000_000), random.nextInt(1000) * 1_000_000);
            default -> Instant.ofEpochSecond(1_388_534_400L + random.nextInt(400_000_000) / 60 * 60);
        };
    }
    static String slugByRegex(String text, String fallback) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? fallback : slug;
    }

    static String normalizeByRegex(String model) {
        return model.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static List<String> samples() {
        List<String> samples = new ArrayList<>(List.of("", "-", "kpszsu", "PvKPivden", " Air Force of Ukraine ",
                "--a--b--", "ÄÖÜ ßİ ı", "Повітряні сили", "a".repeat(39) + "-b", "a".repeat(39) + "--bc",
                "x".repeat(60), "a b".repeat(20), "Shahed-136/131", "  Kh-101  and\tKalibr ", "Iskander-M\n",
                "x\u000By\fz\r\nw", "a  b", "\u2003em space\u2003", "\uD83D\uDE80 rocket"));
        Random random = new Random(20260302L);
        String alphabet = "aZ09 -_/.\t\n\u000B\u00A0\u2003ÄİıЖ\uD83D\uDE80";
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(70);
            for (int c = 0; c < length; c++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            samples.add(text.toString());
        }
        return samples;
    }

    @Test
    void slugIsTheRegexDefinition() {
        for (String text : samples()) {
            assertThat(ReportIds.slug(text, "fallback")).as("slug of '%s'", text).isEqualTo(slugByRegex(text, "fallback"));
        }
    }

    @Test
    void modelNormalizationIsTheRegexDefinition() {
        for (String text : samples()) {
            assertThat(WeaponClassifier.normalize(text)).as("normalized '%s'", text).isEqualTo(normalizeByRegex(text));
        }
    }
}
