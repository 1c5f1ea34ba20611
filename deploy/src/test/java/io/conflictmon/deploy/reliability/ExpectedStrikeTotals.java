package io.conflictmon.deploy.reliability;

import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.model.WeaponClassifier;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Drones and missiles per Kyiv day, month and year summed straight from the inputs (the attack-log CSV rows, the
 * synthetic reports), without the pipeline: what the strike-totals store must hold after any fault. Also the sum over
 * reports with a time window, which the waves must add up to (every such report is in exactly one wave).
 */
final class ExpectedStrikeTotals {
    private static final WeaponClassifier CLASSIFIER = WeaponClassifier.bundled();

    /** Period key to {drones, missiles}. */
    private final Map<String, long[]> byPeriod = new TreeMap<>();
    private long windowDrones;
    private long windowMissiles;
    private long reports;

    /** Counts one report on its Kyiv counting day (the day its window ends; a date-only report: its date). */
    void add(LocalDate countingDay, String model, TimePrecision precision, long launched) {
        boolean drone = WeaponClassifier.isDrone(CLASSIFIER.classify(model));
        for (String period : List.of(countingDay.toString(), countingDay.toString().substring(0, 7),
                countingDay.toString().substring(0, 4))) {
            byPeriod.computeIfAbsent(period, p -> new long[2])[drone ? 0 : 1] += launched;
        }
        if (precision == TimePrecision.MINUTE) {
            if (drone) {
                windowDrones += launched;
            } else {
                windowMissiles += launched;
            }
        }
        reports++;
    }

    /**
     * Adds every row of the Air Force attack log the importer takes (rows without {@code launched} are refused):
     * times are Kyiv local; a window (a time on both sides, or on one side and the same date on the other) counts on
     * its end date, a row of whole days on its start date.
     */
    void addAttackLog(Path csv) {
        for (CSVRecord row : readCsv(csv)) {
            String launched = row.get("launched").strip();
            if (launched.isEmpty()) {
                continue;
            }
            String start = row.get("time_start").strip();
            String end = row.get("time_end").strip();
            // a time on both sides, or on one side with the same date on the other, is a window; otherwise whole days
            // (e.g. start 2024-07-07, end 2024-07-08 08:00), as the importer documents
            boolean window = start.length() > 10 && end.length() > 10
                    || start.substring(0, 10).equals(end.substring(0, 10)) && (start.length() > 10 || end.length() > 10);
            String day = window ? end : start;
            add(LocalDate.parse(day.substring(0, 10)), row.get("model"),
                    window ? TimePrecision.MINUTE : TimePrecision.DAY, (long) Double.parseDouble(launched));
        }
    }

    /** Period to "drones=D missiles=M", comparable as a whole with the store's contents. */
    Map<String, String> asText() {
        Map<String, String> text = new TreeMap<>();
        byPeriod.forEach((period, sums) -> text.put(period, text(sums[0], sums[1])));
        return text;
    }

    static String text(long drones, long missiles) {
        return "drones=" + drones + " missiles=" + missiles;
    }

    long windowDrones() {
        return windowDrones;
    }

    long windowMissiles() {
        return windowMissiles;
    }

    /** Reports added, i.e. distinct report ids the pipeline must hold. */
    long reports() {
        return reports;
    }

    static Path sharedData() {
        return Path.of(System.getProperty("conflictmon.shared.data", "../../shared/data"));
    }

    static List<CSVRecord> readCsv(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in)
                     .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return parser.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
