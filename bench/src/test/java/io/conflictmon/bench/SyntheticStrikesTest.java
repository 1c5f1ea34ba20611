package io.conflictmon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.importer.JsonLinesParser;
import io.conflictmon.ingest.importer.ParsedRow;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStrikesTest {
    private static final int COUNT = 5_000;

    @Test
    void everyGeneratedReportPassesTheImporterAsADistinctReport(@TempDir Path dir) throws IOException {
        List<StrikeReportInput> inputs = SyntheticStrikes.inputs(COUNT, 1);
        Path file = dir.resolve("strikes.jsonl");
        SyntheticStrikes.writeJsonLines(inputs, file);

        Instant now = Instant.now();
        JsonLinesParser<StrikeReport> parser = JsonLinesParser.strikes(new ReportMapper(WeaponClassifier.bundled()),
                new ReportValidator(Clock.systemUTC()), now, file.getFileName().toString());
        List<ParsedRow<StrikeReport>> rows;
        try (Reader reader = Files.newBufferedReader(file); Stream<ParsedRow<StrikeReport>> parsed = parser.parse(reader)) {
            rows = parsed.toList();
        }

        assertThat(rows).hasSize(COUNT);
        assertThat(rows.stream().filter(row -> row instanceof ParsedRow.Rejected<?>))
                .as("rejected rows").isEmpty();
        List<String> ids = rows.stream().map(row -> ((ParsedRow.Accepted<StrikeReport>) row).id()).toList();
        assertThat(ids).doesNotHaveDuplicates();
        // the in-memory Avro reports are the ones the importer builds from the file
        assertThat(SyntheticStrikes.avro(inputs, now)).isEqualTo(rows.stream()
                .map(row -> ((ParsedRow.Accepted<StrikeReport>) row).report()).toList());
    }

    @Test
    void reportsFormWavesOfSeveralReportsAndKeepADateOnlyShare() {
        List<StrikeReport> reports = SyntheticStrikes.avro(SyntheticStrikes.inputs(COUNT, 2), Instant.now());
        long minute = reports.stream().filter(r -> r.getTimePrecision() == TimePrecision.MINUTE).count();
        assertThat(minute).isEqualTo(Math.round(COUNT * SyntheticStrikes.MINUTE_SHARE));

        // count waves as the topology does: MINUTE windows at most 3 h apart, transitively (they come sorted by day)
        List<StrikeReport> timed = reports.stream().filter(r -> r.getTimePrecision() == TimePrecision.MINUTE)
                .sorted((a, b) -> a.getTimeStart().compareTo(b.getTimeStart())).toList();
        int waves = 0;
        Instant waveEnd = Instant.MIN;
        for (StrikeReport report : timed) {
            if (report.getTimeStart().isAfter(waveEnd.plus(Duration.ofHours(3)))) {
                waves++;
                waveEnd = report.getTimeEnd();
            } else if (report.getTimeEnd().isAfter(waveEnd)) {
                waveEnd = report.getTimeEnd();
            }
        }
        double perWave = minute / (double) waves;
        assertThat(perWave).as("reports per wave").isBetween(SyntheticStrikes.REPORTS_PER_WAVE * 0.7,
                SyntheticStrikes.REPORTS_PER_WAVE * 1.3);
    }

    @Test
    void theSameSeedGivesTheSameReports() {
        assertThat(SyntheticStrikes.inputs(500, 9)).isEqualTo(SyntheticStrikes.inputs(500, 9));
    }
}
