package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class JsonLinesParserTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);
    static final ReportMapper MAPPER = new ReportMapper(WeaponClassifier.bundled());
    static final String DESIGN_EXAMPLE = "{\"id\": \"kpszsu-2026-01-09-shahed\", \"source\": \"kpszsu\", "
            + "\"timeStart\": \"2026-01-08T19:30:00+02:00\", \"timeEnd\": \"2026-01-09T09:00:00+02:00\", "
            + "\"timePrecision\": \"MINUTE\", \"weaponModel\": \"Shahed-136/131\", \"weaponClass\": \"ATTACK_DRONE\", "
            + "\"launched\": 242, \"destroyed\": 226, \"launchArea\": \"Primorsko-Akhtarsk\", \"targetRegions\": [\"Kyiv oblast\"]}";

    static List<ParsedRow<StrikeReport>> strikes(String text) {
        return parse(JsonLinesParser.strikes(MAPPER, new ReportValidator(CLOCK), CLOCK.instant(), "t.jsonl"), text);
    }

    static <R extends SpecificRecord> List<ParsedRow<R>> parse(JsonLinesParser<R> parser, String text) {
        try (Stream<ParsedRow<R>> rows = parser.parse(new StringReader(text))) {
            return rows.toList();
        }
    }

    @SuppressWarnings("unchecked")
    static <R extends SpecificRecord> R accepted(ParsedRow<R> row) {
        assertThat(row).as("row %s", row).isInstanceOf(ParsedRow.Accepted.class);
        return ((ParsedRow.Accepted<R>) row).report();
    }

    static ParsedRow.Rejected<?> rejected(ParsedRow<?> row) {
        assertThat(row).as("row %s", row).isInstanceOf(ParsedRow.Rejected.class);
        return (ParsedRow.Rejected<?>) row;
    }

    @Test
    void readsTheDesignExampleAndSkipsBlankLines() {
        List<ParsedRow<StrikeReport>> rows = strikes("\n" + DESIGN_EXAMPLE + "\n   \n" + DESIGN_EXAMPLE.replace("+02:00", "Z")
                .replace("kpszsu-2026-01-09-shahed", "other") + "\n\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).lineNumber()).isEqualTo(2);
        assertThat(rows.get(1).lineNumber()).isEqualTo(4);
        StrikeReport r = accepted(rows.get(0));
        assertThat(r.getId()).isEqualTo("kpszsu-2026-01-09-shahed");
        assertThat(r.getTimeStart()).isEqualTo(Instant.parse("2026-01-08T17:30:00Z"));
        assertThat(r.getTimeEnd()).isEqualTo(Instant.parse("2026-01-09T07:00:00Z"));
        assertThat(r.getLaunched()).isEqualTo(242);
        assertThat(r.getDestroyed()).isEqualTo(226);
        assertThat(r.getTargetRegions()).containsExactly("Kyiv oblast");
        assertThat(r.getReportedAt()).isEqualTo(CLOCK.instant());
        assertThat(accepted(rows.get(1)).getTimeStart()).isEqualTo(Instant.parse("2026-01-08T19:30:00Z"));
    }

    @Test
    void fillsDefaultsAndDerivesAStableIdWhenAbsent() {
        String line = "{\"source\": \"kpszsu\", \"timeStart\": \"2026-01-08T17:30:00Z\", \"timeEnd\": \"2026-01-09T07:00:00Z\", "
                + "\"weaponModel\": \"Kalibr\", \"launched\": 22}";
        StrikeReport first = accepted(strikes(line).get(0));
        StrikeReport second = accepted(strikes(line).get(0));
        assertThat(first.getId()).matches("kpszsu-[0-9a-f]{20}").isEqualTo(second.getId());
        assertThat(first.getWeaponClass()).isEqualTo(WeaponClass.CRUISE_MISSILE);
        assertThat(first.getTimePrecision()).isEqualTo(TimePrecision.MINUTE);
        assertThat(first.getTargetRegions()).isEmpty();
        assertThat(first.getDestroyed()).isNull();
        StrikeReport corrected = accepted(strikes(line.replace("22", "23")).get(0));
        assertThat(corrected.getId()).isEqualTo(first.getId());
    }

    @Test
    void refusesBadLinesWithTheFieldAtFault() {
        List<ParsedRow<StrikeReport>> rows = strikes(String.join("\n",
                "{not json",
                DESIGN_EXAMPLE.replace("\"launched\": 242", "\"launched\": 24.5"),
                DESIGN_EXAMPLE.replace("\"launched\": 242", "\"lauched\": 242"),
                DESIGN_EXAMPLE.replace("\"MINUTE\"", "\"HOUR\""),
                DESIGN_EXAMPLE.replace("2026-01-08T19:30:00+02:00", "2026-01-08T19:30:00"),
                DESIGN_EXAMPLE.replace("\"launched\": 242", "\"launched\": \"242\""),
                DESIGN_EXAMPLE.replace("[\"Kyiv oblast\"]", "[\"Kyiv oblast\", 5]"),
                DESIGN_EXAMPLE.replace("\"destroyed\": 226", "\"destroyed\": 300"),
                "[1, 2]",
                "null"));
        assertThat(rows).hasSize(10).allMatch(r -> r instanceof ParsedRow.Rejected);
        assertThat(rejected(rows.get(0)).reasonCode()).isEqualTo(ParsedRow.PARSE);
        assertThat(rejected(rows.get(0)).reason()).startsWith("not valid JSON");
        assertThat(rejected(rows.get(1)).fieldErrors()).extracting(FieldError::path).containsExactly("launched");
        assertThat(rejected(rows.get(1)).fieldErrors().get(0).message()).contains("whole number");
        assertThat(rejected(rows.get(2)).fieldErrors()).extracting(FieldError::path).containsExactly("lauched");
        assertThat(rejected(rows.get(2)).fieldErrors().get(0).message()).contains("unknown field").contains("launched");
        assertThat(rejected(rows.get(3)).fieldErrors()).extracting(FieldError::path).containsExactly("timePrecision");
        assertThat(rejected(rows.get(3)).fieldErrors().get(0).message()).contains("MINUTE or DAY").doesNotContain("UNKNOWN");
        assertThat(rejected(rows.get(4)).fieldErrors()).extracting(FieldError::path).containsExactly("timeStart");
        assertThat(rejected(rows.get(4)).fieldErrors().get(0).message()).contains("offset");
        assertThat(rejected(rows.get(5)).fieldErrors()).extracting(FieldError::path).containsExactly("launched");
        assertThat(rejected(rows.get(6)).fieldErrors()).extracting(FieldError::path).containsExactly("targetRegions[1]");
        assertThat(rejected(rows.get(7)).fieldErrors()).extracting(FieldError::path).containsExactly("destroyed");
        assertThat(rejected(rows.get(8)).fieldErrors()).extracting(FieldError::path).containsExactly("$");
        assertThat(rejected(rows.get(9)).reason()).contains("null");
        assertThat(rows.get(9).lineNumber()).isEqualTo(10);
        assertThat(rows.get(1).rawText()).contains("24.5");
    }

    @Test
    void readsCasualtyReports() {
        JsonLinesParser<CasualtyReport> parser =
                JsonLinesParser.casualties(MAPPER, new ReportValidator(CLOCK), CLOCK.instant(), "c.jsonl");
        List<ParsedRow<CasualtyReport>> rows = parse(parser, String.join("\n",
                "{\"id\": \"ohchr-2025\", \"source\": \"ohchr\", \"periodStart\": \"2025-01-01\", \"periodEnd\": \"2025-12-31\", "
                        + "\"region\": null, \"killed\": 2514, \"injured\": 12142}",
                "{\"source\": \"ohchr\", \"periodStart\": \"2024-03-01\", \"periodEnd\": \"2024-03-31\", \"killed\": 127, "
                        + "\"injured\": 498, \"childrenKilled\": 11, \"childrenInjured\": 46}",
                "{\"source\": \"Kyiv OVA\", \"periodStart\": \"2025-06-17\", \"periodEnd\": \"2025-06-17\", \"region\": \"Kyiv\", "
                        + "\"killed\": 28, \"injured\": 142}",
                "{\"source\": \"ohchr\", \"periodStart\": \"2024-03-15\", \"periodEnd\": \"2024-04-02\", \"killed\": 1, \"injured\": 1}",
                "{\"source\": \"ohchr\", \"periodStart\": \"2024-3-1\", \"periodEnd\": \"2024-03-31\", \"killed\": 1, \"injured\": 1}"));
        CasualtyReport year = accepted(rows.get(0));
        assertThat(year.getId()).isEqualTo("ohchr-2025");
        assertThat(year.getKilled()).isEqualTo(2514);
        assertThat(year.getPeriodEnd()).isEqualTo(LocalDate.of(2025, 12, 31));
        CasualtyReport month = accepted(rows.get(1));
        assertThat(month.getId()).isEqualTo("ohchr-2024-03");
        assertThat(month.getChildrenInjured()).isEqualTo(46);
        CasualtyReport incident = accepted(rows.get(2));
        assertThat(incident.getId()).matches("kyiv-ova-2025-06-17-[0-9a-f]{8}");
        assertThat(rejected(rows.get(3)).fieldErrors()).extracting(FieldError::path).containsExactly("periodEnd");
        assertThat(rejected(rows.get(3)).fieldErrors().get(0).message()).contains("within one calendar month")
                .contains("whole calendar year");
        assertThat(rejected(rows.get(4)).fieldErrors()).extracting(FieldError::path).containsExactly("periodStart");
    }
}
