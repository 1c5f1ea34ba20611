package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AirForceCsvParserTest {
    static final String HEADER = "time_start,time_end,model,launch_place,target,target_main,launched,destroyed,"
            + "not_reach_goal,still_attacking,border_crossing,is_shahed,num_hit_location,num_fall_fragment_location,"
            + "carrier,turbojet,turbojet_destroyed,affected region,destroyed_details,launched_details,"
            + "launch_place_details,source\n";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);
    static final WeaponClassifier CLASSIFIER = WeaponClassifier.bundled();

    /** A row of the attack log with the columns the parser reads; the others empty. */
    static String row(String start, String end, String model, String launchPlace, String target, String launched,
            String destroyed, String source) {
        return String.join(",", start, end, model, launchPlace, target, "", launched, destroyed, "", "", "{}", "", "",
                "", "", "", "", "", "", "", "", source);
    }

    static List<ParsedRow<StrikeReport>> parse(String... rows) {
        return parse(Instant.parse("2026-03-02T12:00:00Z"), rows);
    }

    static List<ParsedRow<StrikeReport>> parse(Instant reportedAt, String... rows) {
        AirForceCsvParser parser = new AirForceCsvParser(new ReportMapper(CLASSIFIER), new ReportValidator(CLOCK),
                reportedAt, "test.csv");
        try (Stream<ParsedRow<StrikeReport>> parsed = parser.parse(new StringReader(HEADER + String.join("\n", rows)))) {
            return parsed.toList();
        }
    }

    static StrikeReport accepted(ParsedRow<StrikeReport> row) {
        assertThat(row).as("row %s", row).isInstanceOf(ParsedRow.Accepted.class);
        return ((ParsedRow.Accepted<StrikeReport>) row).report();
    }

    static ParsedRow.Rejected<StrikeReport> rejected(ParsedRow<StrikeReport> row) {
        assertThat(row).as("row %s", row).isInstanceOf(ParsedRow.Rejected.class);
        return (ParsedRow.Rejected<StrikeReport>) row;
    }

    @Test
    void readsAMinuteRowInKyivTime() {
        StrikeReport r = accepted(parse(row("2026-01-08 19:30", "2026-01-09 09:00", "Shahed-136/131",
                "\"Primorsko-Akhtarsk and Chauda, Crimea\"", "Kyiv oblast and Lviv oblast", "242.0", "226.0",
                "kpszsu/posts/pfbid0SyvT")).get(0));
        assertThat(r.getTimeStart()).isEqualTo(Instant.parse("2026-01-08T17:30:00Z")); // EET, UTC+2
        assertThat(r.getTimeEnd()).isEqualTo(Instant.parse("2026-01-09T07:00:00Z"));
        assertThat(r.getTimePrecision()).isEqualTo(TimePrecision.MINUTE);
        assertThat(r.getLaunched()).isEqualTo(242);
        assertThat(r.getDestroyed()).isEqualTo(226);
        assertThat(r.getWeaponModel()).isEqualTo("Shahed-136/131");
        assertThat(r.getWeaponClass()).isEqualTo(WeaponClass.ATTACK_DRONE);
        assertThat(r.getLaunchArea()).isEqualTo("Primorsko-Akhtarsk and Chauda, Crimea");
        assertThat(r.getTargetRegions()).containsExactly("Kyiv oblast", "Lviv oblast");
        assertThat(r.getSource()).isEqualTo("kpszsu");
        assertThat(r.getSourceRef()).isEqualTo("kpszsu/posts/pfbid0SyvT");
        assertThat(r.getReportedAt()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
        assertThat(r.getId()).matches("af-[0-9a-f]{20}");
    }

    @Test
    void acceptsAnHourWithoutLeadingZeroAndTrailingSpaces() {
        List<ParsedRow<StrikeReport>> rows = parse(
                row("2023-05-16 3:30", "2023-05-16 07:00", "Kalibr", "Black Sea", "Ukraine", "6.0", "6.0", "kpszsu/posts/a"),
                row("2025-03-06 21:00 ", "2025-03-07 10:00", "Shahed-136/131", "", "Ukraine", "194.0", "100.0",
                        "kpszsu/posts/b"));
        StrikeReport noLeadingZero = accepted(rows.get(0));
        assertThat(noLeadingZero.getTimeStart()).isEqualTo(Instant.parse("2023-05-16T00:30:00Z")); // EEST, UTC+3
        assertThat(noLeadingZero.getTimePrecision()).isEqualTo(TimePrecision.MINUTE);
        StrikeReport trailingSpace = accepted(rows.get(1));
        assertThat(trailingSpace.getTimeStart()).isEqualTo(Instant.parse("2025-03-06T19:00:00Z"));
        assertThat(trailingSpace.getTimeEnd()).isEqualTo(Instant.parse("2025-03-07T08:00:00Z"));
        assertThat(trailingSpace.getLaunchArea()).isNull();
    }

    @Test
    void aDateOnlyRowCoversTheWholeKyivDay() {
        StrikeReport r = accepted(parse(row("2026-01-09", "2026-01-09", "Молнія", "", "south", "10.0", "10.0",
                "PvKPivden/posts/x")).get(0));
        assertThat(r.getTimePrecision()).isEqualTo(TimePrecision.DAY);
        assertThat(r.getTimeStart()).isEqualTo(Instant.parse("2026-01-08T22:00:00Z"));
        assertThat(r.getTimeEnd()).isEqualTo(Instant.parse("2026-01-09T21:59:59.999Z"));
        assertThat(r.getWeaponClass()).isEqualTo(WeaponClass.ATTACK_DRONE);
        assertThat(r.getSource()).isEqualTo("PvKPivden");
        assertThat(r.getTargetRegions()).containsExactly("south");
    }

    @Test
    void aRowWithATimeOnOneSideOfTheSameDayIsMinutePrecisionFromMidnight() {
        List<ParsedRow<StrikeReport>> rows = parse(
                row("2024-10-15", "2024-10-15 08:00", "X-59", "Belgorod oblast", "Ukraine", "2.0", "2.0", "kpszsu/posts/a"),
                row("2024-10-28 19:00", "2024-10-28", "Lancet", "", "Ukraine", "1.0", "0.0", "kpszsu/posts/b"));
        StrikeReport startDateOnly = accepted(rows.get(0));
        assertThat(startDateOnly.getTimePrecision()).isEqualTo(TimePrecision.MINUTE);
        assertThat(startDateOnly.getTimeStart()).isEqualTo(Instant.parse("2024-10-14T21:00:00Z"));
        assertThat(startDateOnly.getTimeEnd()).isEqualTo(Instant.parse("2024-10-15T05:00:00Z"));
        StrikeReport endDateOnly = accepted(rows.get(1));
        assertThat(endDateOnly.getTimePrecision()).isEqualTo(TimePrecision.MINUTE);
        assertThat(endDateOnly.getTimeStart()).isEqualTo(Instant.parse("2024-10-28T17:00:00Z"));
        assertThat(endDateOnly.getTimeEnd()).isEqualTo(endDateOnly.getTimeStart()); // never before the start
    }

    @Test
    void aRowWithATimeOnOneSideOfAnotherDayIsDayPrecisionSoItCannotGlueTwoNights() {
        List<ParsedRow<StrikeReport>> rows = parse(
                row("2024-07-07", "2024-07-08 08:00", "Orlan-10", "", "Ukraine", "2.0", "2.0", "PvKPivden/posts/a"),
                row("2024-10-28 19:00", "2024-10-29", "Lancet", "", "Ukraine", "1.0", "0.0", "kpszsu/posts/b"));
        StrikeReport startDateOnly = accepted(rows.get(0));
        assertThat(startDateOnly.getTimePrecision()).isEqualTo(TimePrecision.DAY);
        assertThat(startDateOnly.getTimeStart()).isEqualTo(Instant.parse("2024-07-06T21:00:00Z"));
        assertThat(startDateOnly.getTimeEnd()).isEqualTo(Instant.parse("2024-07-08T05:00:00Z"));
        StrikeReport endDateOnly = accepted(rows.get(1));
        assertThat(endDateOnly.getTimePrecision()).isEqualTo(TimePrecision.DAY);
        assertThat(endDateOnly.getTimeStart()).isEqualTo(Instant.parse("2024-10-28T17:00:00Z"));
        assertThat(endDateOnly.getTimeEnd()).isEqualTo(Instant.parse("2024-10-29T21:59:59.999Z"));
    }

    @Test
    void dstSwitchesOfKyivAreHonoured() {
        List<ParsedRow<StrikeReport>> rows = parse(
                // spring: 2024-03-31 03:00 EET -> 04:00 EEST; 03:30 does not exist and moves to 04:30 EEST
                row("2024-03-31 03:30", "2024-03-31 09:00", "Kalibr", "", "Ukraine", "1.0", "1.0", "kpszsu/posts/a"),
                row("2024-03-30 20:00", "2024-03-31 09:00", "Shahed-136/131", "", "Ukraine", "5.0", "5.0", "kpszsu/posts/b"),
                // autumn: 2024-10-27 04:00 EEST -> 03:00 EET; 03:30 happens twice
                row("2024-10-27 03:30", "2024-10-27 03:30", "Iskander-M", "", "Ukraine", "1.0", "0.0", "kpszsu/posts/c"),
                row("2024-10-26 19:00", "2024-10-27 08:00", "Shahed-136/131", "", "Ukraine", "7.0", "5.0", "kpszsu/posts/d"),
                row("2024-10-27", "2024-10-27", "ZALA", "", "south", "1.0", "1.0", "PvKPivden/posts/e"));
        assertThat(accepted(rows.get(0)).getTimeStart()).isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
        assertThat(accepted(rows.get(0)).getTimeEnd()).isEqualTo(Instant.parse("2024-03-31T06:00:00Z"));
        assertThat(accepted(rows.get(1)).getTimeStart()).isEqualTo(Instant.parse("2024-03-30T18:00:00Z"));
        assertThat(accepted(rows.get(2)).getTimeStart()).isEqualTo(Instant.parse("2024-10-27T00:30:00Z"));
        assertThat(accepted(rows.get(2)).getTimeEnd()).isEqualTo(Instant.parse("2024-10-27T01:30:00Z"));
        assertThat(accepted(rows.get(3)).getTimeStart()).isEqualTo(Instant.parse("2024-10-26T16:00:00Z"));
        assertThat(accepted(rows.get(3)).getTimeEnd()).isEqualTo(Instant.parse("2024-10-27T06:00:00Z"));
        // the 25-hour day
        assertThat(accepted(rows.get(4)).getTimeStart()).isEqualTo(Instant.parse("2024-10-26T21:00:00Z"));
        assertThat(accepted(rows.get(4)).getTimeEnd()).isEqualTo(Instant.parse("2024-10-27T21:59:59.999Z"));
    }

    @Test
    void floatCountsMustBeWholeAndNotNegative() {
        List<ParsedRow<StrikeReport>> rows = parse(
                row("2026-01-09", "2026-01-09", "Shahed-136/131", "", "south", "339.0", "330", "PvKPivden/posts/a"),
                row("2026-01-09", "2026-01-09", "Shahed-136/131", "", "east", "3.5", "", "PvKPivden/posts/b"),
                row("2026-01-09", "2026-01-09", "Shahed-136/131", "", "north", "-1.0", "", "PvKPivden/posts/c"),
                row("2026-01-09", "2026-01-09", "Shahed-136/131", "", "west", "many", "", "PvKPivden/posts/d"));
        assertThat(accepted(rows.get(0)).getLaunched()).isEqualTo(339);
        assertThat(accepted(rows.get(0)).getDestroyed()).isEqualTo(330);
        assertThat(rejected(rows.get(1)).fieldErrors()).extracting(FieldError::path).containsExactly("launched");
        assertThat(rejected(rows.get(1)).fieldErrors().get(0).message()).contains("whole number").contains("3.5");
        assertThat(rejected(rows.get(2)).fieldErrors()).extracting(FieldError::path).containsExactly("launched");
        assertThat(rejected(rows.get(2)).fieldErrors().get(0).message()).contains("from 0 to 5000");
        assertThat(rejected(rows.get(3)).fieldErrors()).extracting(FieldError::path).containsExactly("launched");
        assertThat(rejected(rows.get(3)).reasonCode()).isEqualTo(ParsedRow.VALIDATION);
    }

    @Test
    void missingLaunchedRefusesTheRowAndMissingDestroyedIsNull() {
        String noLaunched = row("2024-02-28", "2024-02-28", "C-300", "", "Kharkiv oblast", "", "0.0", "kpszsu/posts/a");
        List<ParsedRow<StrikeReport>> rows = parse(noLaunched,
                row("2024-02-28", "2024-02-28", "C-300", "", "Kharkiv", "4.0", "", "kpszsu/posts/b"));
        ParsedRow.Rejected<StrikeReport> refused = rejected(rows.get(0));
        assertThat(refused.reasonCode()).isEqualTo(ParsedRow.VALIDATION);
        assertThat(refused.fieldErrors()).extracting(FieldError::path).containsExactly("launched");
        assertThat(refused.reason()).contains("launched").contains("required");
        assertThat(refused.rawText()).isEqualTo(noLaunched);
        assertThat(refused.lineNumber()).isEqualTo(2);
        assertThat(accepted(rows.get(1)).getDestroyed()).isNull();
    }

    @Test
    void destroyedAboveLaunchedIsRefused() {
        ParsedRow.Rejected<StrikeReport> refused = rejected(parse(
                row("2024-02-28", "2024-02-28", "C-300", "", "Kharkiv", "4.0", "5.0", "kpszsu/posts/b")).get(0));
        assertThat(refused.fieldErrors()).extracting(FieldError::path).containsExactly("destroyed");
    }

    @Test
    void cyrillicAndBundledModelsAreClassified() {
        List<ParsedRow<StrikeReport>> rows = parse(
                row("2026-01-08 19:30", "2026-01-09 09:00", "C-400 and Iskander-M", "Bryansk oblast", "Ukraine", "13.0", "8.0",
                        "kpszsu/posts/a"),
                row("2024-07-21", "2024-07-21", "Привет-82", "", "east", "1.0", "1.0", "kpszsu/posts/b"),
                row("2024-07-28", "2024-07-28", "Картограф", "", "south", "1.0", "1.0", "PvKPivden/posts/c"));
        assertThat(accepted(rows.get(0)).getWeaponClass()).isEqualTo(WeaponClass.SURFACE_TO_AIR_MISSILE);
        assertThat(accepted(rows.get(0)).getWeaponModel()).isEqualTo("C-400 and Iskander-M");
        assertThat(accepted(rows.get(1)).getWeaponClass()).isEqualTo(WeaponClass.ATTACK_DRONE);
        assertThat(accepted(rows.get(2)).getWeaponClass()).isEqualTo(WeaponClass.OTHER_DRONE);
    }

    @Test
    void idsAreDeterministicAcrossParsesAndIgnoreTheImportTimeAndTheFigures() {
        String a = row("2026-01-08 19:30", "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "22.0", "10.0", "kpszsu/posts/p");
        String b = row("2026-01-08 19:30", "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "22.0", "10.0", "kpszsu/posts/q");
        List<ParsedRow<StrikeReport>> first = parse(Instant.parse("2026-03-01T00:00:00Z"), a, b);
        List<ParsedRow<StrikeReport>> second = parse(Instant.parse("2026-03-02T00:00:00Z"), a, b);
        assertThat(accepted(first.get(0)).getId()).isEqualTo(accepted(second.get(0)).getId());
        assertThat(accepted(first.get(1)).getId()).isEqualTo(accepted(second.get(1)).getId());
        assertThat(accepted(first.get(0)).getId()).isNotEqualTo(accepted(first.get(1)).getId());
        assertThat(accepted(first.get(0)).getReportedAt()).isNotEqualTo(accepted(second.get(0)).getReportedAt());
        // a corrected count keeps the id (it replaces the old figures downstream)...
        String corrected = row("2026-01-08 19:30", "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "23.0", "10.0",
                "kpszsu/posts/p");
        assertThat(accepted(parse(corrected).get(0)).getId()).isEqualTo(accepted(first.get(0)).getId());
        // ...and so does the same time written differently
        String respelled = row("2026-01-08 19:30 ", "2026-01-09 09:00", "Kalibr", "Black Sea", "Ukraine", "22.0", "10.0",
                "kpszsu/posts/p");
        assertThat(accepted(parse(respelled).get(0)).getId()).isEqualTo(accepted(first.get(0)).getId());
    }

    @Test
    void reportersAreTakenFromTheSourceLink() {
        assertThat(AirForceCsvParser.reporter("kpszsu/posts/pfbid02m1")).isEqualTo("kpszsu");
        assertThat(AirForceCsvParser.reporter("PvKPivden/posts/pfbid0vw4")).isEqualTo("PvKPivden");
        assertThat(AirForceCsvParser.reporter("https://t.me/kpszsu/22252")).isEqualTo("kpszsu");
        assertThat(AirForceCsvParser.reporter("PvKPivden/videos/698815895479087/")).isEqualTo("PvKPivden");
        assertThat(AirForceCsvParser.reporter("watch/?v=1216014506516442")).isEqualTo("facebook");
        assertThat(AirForceCsvParser.reporter("kharkivoda.gov.ua/news/123125")).isEqualTo("kharkivoda.gov.ua");
        assertThat(AirForceCsvParser.reporter("CinCAFU")).isEqualTo("CinCAFU");
        assertThat(AirForceCsvParser.targetRegions("Dnipropetrovsk oblast, Dnipro Raion and Dnipropetrovsk oblast, "
                + "Kryvyi Rih Raion")).containsExactly("Dnipropetrovsk oblast, Dnipro Raion", "Dnipropetrovsk oblast, Kryvyi Rih Raion");
        assertThat(AirForceCsvParser.targetRegions(null)).isEmpty();
    }

    @Test
    void brokenRowsAreRefusedWithTheirRawTextAndLine() {
        String shortRow = "2026-01-09,2026-01-09,Shahed-136/131,,south,,1.0";
        String multiLine = row("2026-01-09", "2026-01-09", "Shahed-136/131", "", "south", "1.0", "1.0", "PvKPivden/posts/m")
                .replace(",{},", ",\"{'south':\n 1}\",");
        String badTime = row("2026-13-09", "2026-01-09 25:00", "Shahed-136/131", "", "south", "1.0", "1.0", "PvKPivden/posts/t");
        List<ParsedRow<StrikeReport>> rows = parse(shortRow, "", multiLine, badTime, "\"unterminated,quote");
        assertThat(rows).hasSize(4);
        ParsedRow.Rejected<StrikeReport> tooShort = rejected(rows.get(0));
        assertThat(tooShort.reasonCode()).isEqualTo(ParsedRow.PARSE);
        assertThat(tooShort.reason()).contains("expected 22 fields");
        assertThat(tooShort.rawText()).isEqualTo(shortRow);
        assertThat(tooShort.lineNumber()).isEqualTo(2);
        StrikeReport spanning = accepted(rows.get(1)); // line 3 is blank
        assertThat(rows.get(1).lineNumber()).isEqualTo(4);
        assertThat(rows.get(1).rawText()).isEqualTo(multiLine);
        assertThat(spanning.getTargetRegions()).containsExactly("south");
        ParsedRow.Rejected<StrikeReport> times = rejected(rows.get(2));
        assertThat(times.lineNumber()).isEqualTo(6);
        assertThat(times.fieldErrors()).extracting(FieldError::path).containsExactly("timeStart", "timeEnd");
        assertThat(times.fieldErrors().get(0).message()).contains("2026-13-09");
        assertThat(rejected(rows.get(3)).reasonCode()).isEqualTo(ParsedRow.PARSE);
    }

    @Test
    void aFileWithoutTheRequiredColumnsIsRefusedAsAWhole() {
        AirForceCsvParser parser = new AirForceCsvParser(new ReportMapper(CLASSIFIER), new ReportValidator(CLOCK),
                Instant.EPOCH, "other.csv");
        assertThatThrownBy(() -> parser.parse(new StringReader("time_start,time_end,model\n1,2,3\n")))
                .isInstanceOf(ImportFormatException.class)
                .hasMessageContaining("other.csv").hasMessageContaining("launched");
        assertThatThrownBy(() -> parser.parse(new StringReader("")))
                .isInstanceOf(ImportFormatException.class).hasMessageContaining("empty");
    }
}
