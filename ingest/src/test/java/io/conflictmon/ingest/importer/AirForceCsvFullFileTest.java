package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.testutil.AttackLogSums;
import io.conflictmon.ingest.testutil.SharedData;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The parser on the whole real attack log, checked against a separate plain commons-csv pass over the file. */
class AirForceCsvFullFileTest {
    static final Path FILE = SharedData.file(SharedData.ATTACKS);
    static final WeaponClassifier CLASSIFIER = WeaponClassifier.bundled();
    static List<ParsedRow<StrikeReport>> rows;

    @BeforeAll
    static void parseTheFile() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);
        AirForceCsvParser parser = new AirForceCsvParser(new ReportMapper(CLASSIFIER), new ReportValidator(clock),
                clock.instant(), FILE.getFileName().toString());
        try (Reader in = Files.newBufferedReader(FILE, StandardCharsets.UTF_8);
                Stream<ParsedRow<StrikeReport>> parsed = parser.parse(in)) {
            rows = parsed.toList();
        }
    }

    /** The independent pass: every record of the file, straight from commons-csv. */
    static List<CSVRecord> plainRecords() {
        return AttackLogSums.records(FILE);
    }

    @Test
    void everyRowIsAccountedFor() throws Exception {
        List<CSVRecord> records = plainRecords();
        long accepted = rows.stream().filter(r -> r instanceof ParsedRow.Accepted).count();
        long rejected = rows.stream().filter(r -> r instanceof ParsedRow.Rejected).count();
        assertThat(rows).hasSize(records.size());
        assertThat(accepted + rejected).isEqualTo(records.size());
        // the only refusals are the rows without a launched count
        long withoutLaunched = records.stream().filter(r -> r.get("launched").isBlank()).count();
        assertThat(rejected).isEqualTo(withoutLaunched).isPositive();
        rows.stream().filter(r -> r instanceof ParsedRow.Rejected).map(r -> (ParsedRow.Rejected<StrikeReport>) r)
                .forEach(r -> assertThat(r.fieldErrors()).as("line %d", r.lineNumber())
                        .extracting(e -> e.path()).containsExactly("launched"));
        // line numbers match the plain parser's (no multi-line records in this file: line = record number + 1)
        for (int i = 0; i < records.size(); i++) {
            assertThat(rows.get(i).lineNumber()).isEqualTo(records.get(i).getRecordNumber() + 1);
        }
    }

    @Test
    void idsAreUniqueSoNoRowHidesAnother() {
        Set<String> ids = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (ParsedRow<StrikeReport> row : rows) {
            if (row instanceof ParsedRow.Accepted<StrikeReport> a && !ids.add(a.id())) {
                repeated.add(a.id() + " at line " + a.lineNumber());
            }
        }
        assertThat(repeated).as("rows sharing an id (exact duplicates would)").isEmpty();
    }

    @Test
    void noValidRowHasAnUnknownClass() {
        assertThat(accepted()).extracting(StrikeReport::getWeaponClass).doesNotContain(WeaponClass.UNKNOWN);
    }

    @Test
    void perYearDroneAndMissileSumsMatchAPlainPassOverTheCsv() {
        Map<Integer, long[]> actual = new TreeMap<>();
        for (StrikeReport r : accepted()) {
            int year = KyivTime.dayOf(r.getTimeEnd()).getYear();
            actual.computeIfAbsent(year, y -> new long[2])[WeaponClassifier.isDrone(r.getWeaponClass()) ? 0 : 1] += r.getLaunched();
        }
        assertThat(AttackLogSums.toText(actual)).isEqualTo(AttackLogSums.perYear(FILE, CLASSIFIER));
        assertThat(actual).containsKeys(2022, 2023, 2024, 2025, 2026);
    }

    static List<StrikeReport> accepted() {
        return rows.stream().filter(r -> r instanceof ParsedRow.Accepted)
                .map(r -> ((ParsedRow.Accepted<StrikeReport>) r).report()).toList();
    }
}
