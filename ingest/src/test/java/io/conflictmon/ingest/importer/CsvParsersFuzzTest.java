package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.testutil.FuzzInputs;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.avro.specific.SpecificRecord;

/**
 * Property-based fuzzing of the CSV parsers: for any text under a valid header (rows of plausible and hostile cells,
 * stray quotes, line breaks, too few or too many fields) every record becomes an accepted report or a rejected row with
 * a reason, in file order; for a header that lacks a required column the only exception is
 * {@link ImportFormatException}. Accepted reports hold counts the validator allows.
 */
class CsvParsersFuzzTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);
    static final ReportMapper MAPPER = new ReportMapper(WeaponClassifier.bundled());
    static final List<String> MONTHLY = List.of("month", "killed", "injured", "children_killed", "children_injured");
    static final List<String> ANNUAL = List.of("year", "killed", "injured", "children_killed", "children_injured",
            "provenance");

    @Property(tries = 400)
    void airForceRowsAreAcceptedOrRejected(@ForAll("airForceFiles") String csv) {
        AirForceCsvParser parser = new AirForceCsvParser(MAPPER, new ReportValidator(CLOCK), CLOCK.instant(), "f.csv");
        for (ParsedRow<StrikeReport> row : rows(parser, csv)) {
            if (row instanceof ParsedRow.Accepted<StrikeReport> accepted) {
                StrikeReport report = accepted.report();
                assertThat(report.getId()).isEqualTo(accepted.id()).startsWith(AirForceCsvParser.ID_PREFIX + "-");
                assertThat(report.getLaunched()).isBetween(0, ReportValidator.MAX_LAUNCHED);
                assertThat(report.getTimeEnd()).isAfterOrEqualTo(report.getTimeStart());
            }
        }
    }

    @Property(tries = 300)
    void ohchrRowsAreAcceptedOrRejected(@ForAll("ohchrFiles") String csv, @ForAll OhchrCsvParser.Table table) {
        OhchrCsvParser parser = new OhchrCsvParser(table, MAPPER, new ReportValidator(CLOCK), CLOCK.instant(), "o.csv");
        for (ParsedRow<CasualtyReport> row : rows(parser, csv)) {
            if (row instanceof ParsedRow.Accepted<CasualtyReport> accepted) {
                assertThat(accepted.report().getKilled()).isBetween(0, ReportValidator.MAX_CASUALTIES);
                assertThat(accepted.report().getPeriodEnd()).isAfterOrEqualTo(accepted.report().getPeriodStart());
            }
        }
    }

    @Provide
    Arbitrary<String> airForceFiles() {
        List<String> header = new ArrayList<>(AirForceCsvParser.REQUIRED_COLUMNS);
        header.add(2, "target_main");
        return Arbitraries.frequency(Tuple.of(8, header), Tuple.of(1, header.subList(1, header.size())),
                        Tuple.of(1, List.of("ID", "Ы")))
                .flatMap(FuzzInputs::csv);
    }

    @Provide
    Arbitrary<String> ohchrFiles() {
        return Arbitraries.frequency(Tuple.of(4, MONTHLY), Tuple.of(4, ANNUAL), Tuple.of(1, List.of("killed"))).flatMap(FuzzInputs::csv);
    }

    /** Every row of the text, or none when the header is refused; fails on any other exception. */
    private static <R extends SpecificRecord> List<ParsedRow<R>> rows(ReportFileParser<R> parser, String csv) {
        List<ParsedRow<R>> all;
        try (Stream<ParsedRow<R>> rows = parser.parse(new StringReader(csv))) {
            all = rows.toList();
        } catch (ImportFormatException e) {
            assertThat(e.getMessage()).contains("header");
            return List.of();
        }
        long previousLine = 1;
        for (ParsedRow<R> row : all) {
            assertThat(row.lineNumber()).isGreaterThan(previousLine);
            previousLine = row.lineNumber();
            assertThat(row.rawText()).isNotBlank();
            if (row instanceof ParsedRow.Rejected<R> rejected) {
                assertThat(rejected.reasonCode()).isIn(ParsedRow.PARSE, ParsedRow.VALIDATION);
                assertThat(rejected.reason()).isNotBlank();
            }
        }
        return all;
    }
}
