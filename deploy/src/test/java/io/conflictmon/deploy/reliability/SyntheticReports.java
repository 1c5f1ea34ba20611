package io.conflictmon.deploy.reliability;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.StrikeReportInput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Synthetic strike reports in the importer's JSON Lines format, shaped like the real attack log (the idea of bench's
 * {@code SyntheticStrikes}, kept small here so that deploy's tests do not depend on the bench module): night windows
 * (01:00-05:00 Kyiv, so each night is one wave) and date-only reports, drones and missiles, over the days of the real
 * log. Each report carries its own id {@code synthetic-<n>}: {@code count} reports are {@code count} distinct ids.
 * Their sums go into an {@link ExpectedStrikeTotals} as they are written.
 */
final class SyntheticReports {
    private static final List<String> MODELS = List.of("Shahed-136/131", "Kalibr", "Iskander-M", "X-101/X-555",
            "Orlan-10", "Lancet", "Shahed-136/131", "X-59/X-69");
    private static final LocalDate FIRST_DAY = LocalDate.of(2022, 10, 1);
    private static final int DAYS = 1_200; // to mid-January 2026, inside the real log and never in the future

    private SyntheticReports() {
    }

    /** Writes {@code count} reports to {@code file} and adds each to {@code expected}. */
    static void writeJsonLines(int count, Path file, ExpectedStrikeTotals expected) {
        ObjectWriter writer = IngestJson.mapper().copy()
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                .writerFor(StrikeReportInput.class);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int n = 0; n < count; n++) {
                StrikeReportInput report = report(n);
                LocalDate day = FIRST_DAY.plusDays(n % DAYS);
                expected.add(day, report.weaponModel(), report.timePrecision(), report.launched());
                out.write(writer.writeValueAsString(report));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StrikeReportInput report(int n) {
        LocalDate day = FIRST_DAY.plusDays(n % DAYS);
        String model = MODELS.get((n / DAYS) % MODELS.size());
        int launched = 1 + (n * 7919) % 60;
        int destroyed = launched * 3 / 4;
        if (n % 3 == 0) {
            return new StrikeReportInput("synthetic-" + n, "pvkshid", KyivTime.startOfDay(day), KyivTime.endOfDay(day),
                    TimePrecision.DAY, model, null, launched, destroyed, null, List.of("Kharkiv oblast"), null);
        }
        int minute = (n / DAYS) % 120;
        return new StrikeReportInput("synthetic-" + n, "kpszsu",
                KyivTime.windowStart(LocalDateTime.of(day.getYear(), day.getMonth(), day.getDayOfMonth(), 1, 0)
                        .plusMinutes(minute)),
                KyivTime.windowEnd(LocalDateTime.of(day.getYear(), day.getMonth(), day.getDayOfMonth(), 5, 0)),
                TimePrecision.MINUTE, model, null, launched, destroyed, "Primorsko-Akhtarsk", List.of("Ukraine"), null);
    }
}
