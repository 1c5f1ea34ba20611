package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.testutil.SharedData;
import io.conflictmon.ingest.validation.FieldError;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class OhchrCsvParserTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);

    static List<ParsedRow<CasualtyReport>> parse(OhchrCsvParser.Table table, Reader in) {
        OhchrCsvParser parser = new OhchrCsvParser(table, new ReportMapper(WeaponClassifier.bundled()),
                new ReportValidator(CLOCK), CLOCK.instant(), "test.csv");
        try (Stream<ParsedRow<CasualtyReport>> rows = parser.parse(in)) {
            return rows.toList();
        }
    }

    static List<CSVRecord> plain(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser csv = CSVParser.builder().setReader(in)
                        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return csv.getRecords();
        }
    }

    @Test
    void theMonthlyFileGivesOneReportPerMonth() throws Exception {
        Path file = SharedData.file(SharedData.CASUALTIES_MONTHLY);
        List<ParsedRow<CasualtyReport>> rows;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            rows = parse(OhchrCsvParser.Table.MONTHLY, in);
        }
        List<CSVRecord> expected = plain(file);
        assertThat(rows).hasSameSizeAs(expected).allMatch(r -> r instanceof ParsedRow.Accepted);
        for (int i = 0; i < expected.size(); i++) {
            CSVRecord e = expected.get(i);
            CasualtyReport r = ((ParsedRow.Accepted<CasualtyReport>) rows.get(i)).report();
            YearMonth month = YearMonth.parse(e.get("month"));
            assertThat(r.getId()).isEqualTo("ohchr-" + month);
            assertThat(r.getSource()).isEqualTo("ohchr");
            assertThat(r.getPeriodStart()).isEqualTo(month.atDay(1));
            assertThat(r.getPeriodEnd()).isEqualTo(month.atEndOfMonth());
            assertThat(r.getRegion()).isNull();
            assertThat(r.getKilled()).isEqualTo(Integer.parseInt(e.get("killed")));
            assertThat(r.getInjured()).isEqualTo(Integer.parseInt(e.get("injured")));
            assertThat(r.getChildrenKilled()).isEqualTo(e.get("children_killed").isBlank() ? null
                    : Integer.valueOf(e.get("children_killed")));
            assertThat(r.getChildrenInjured()).isEqualTo(e.get("children_injured").isBlank() ? null
                    : Integer.valueOf(e.get("children_injured")));
        }
        CasualtyReport february2024 = ((ParsedRow.Accepted<CasualtyReport>) rows.stream()
                .filter(r -> ((ParsedRow.Accepted<CasualtyReport>) r).id().equals("ohchr-2024-02")).findFirst().orElseThrow())
                .report();
        assertThat(february2024.getPeriodEnd()).isEqualTo(LocalDate.of(2024, 2, 29)); // leap year
    }

    @Test
    void theAnnualFileGivesOneReportPerYear() throws Exception {
        Path file = SharedData.file(SharedData.CASUALTIES_ANNUAL);
        List<ParsedRow<CasualtyReport>> rows;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            rows = parse(OhchrCsvParser.Table.ANNUAL, in);
        }
        List<CSVRecord> expected = plain(file);
        assertThat(rows).hasSameSizeAs(expected).allMatch(r -> r instanceof ParsedRow.Accepted);
        for (int i = 0; i < expected.size(); i++) {
            CSVRecord e = expected.get(i);
            CasualtyReport r = ((ParsedRow.Accepted<CasualtyReport>) rows.get(i)).report();
            int year = Integer.parseInt(e.get("year"));
            assertThat(r.getId()).isEqualTo("ohchr-" + year);
            assertThat(r.getPeriodStart()).isEqualTo(LocalDate.of(year, 1, 1));
            assertThat(r.getPeriodEnd()).isEqualTo(LocalDate.of(year, 12, 31));
            assertThat(r.getKilled()).isEqualTo(Integer.parseInt(e.get("killed")));
            assertThat(r.getInjured()).isEqualTo(Integer.parseInt(e.get("injured")));
            assertThat(r.getChildrenKilled()).isNull();
        }
    }

    @Test
    void badRowsAreRefusedWithTheFieldAtFault() {
        List<ParsedRow<CasualtyReport>> rows = parse(OhchrCsvParser.Table.MONTHLY, new StringReader("""
                month,killed,injured,children_killed,children_injured
                2024-13,1,2,,
                2024-03,,5,,
                2024-04,10.0,20.0,11,
                2024-05,1.5,2,,
                """));
        assertThat(rows).hasSize(4).allMatch(r -> r instanceof ParsedRow.Rejected);
        assertThat(errors(rows.get(0))).extracting(FieldError::path).containsExactly("periodStart");
        assertThat(errors(rows.get(1))).extracting(FieldError::path).containsExactly("killed");
        assertThat(errors(rows.get(2))).extracting(FieldError::path).containsExactly("childrenKilled");
        assertThat(errors(rows.get(3))).extracting(FieldError::path).containsExactly("killed");
        assertThat(rows.get(3).lineNumber()).isEqualTo(5);
        assertThat(rows.get(3).rawText()).isEqualTo("2024-05,1.5,2,,");
    }

    static List<FieldError> errors(ParsedRow<CasualtyReport> row) {
        return ((ParsedRow.Rejected<CasualtyReport>) row).fieldErrors();
    }
}
