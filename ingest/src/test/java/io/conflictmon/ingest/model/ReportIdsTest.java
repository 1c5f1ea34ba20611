package io.conflictmon.ingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written slug and model normalization against their regex definitions, on varied and random text. */
class ReportIdsTest {
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
