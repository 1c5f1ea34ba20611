package io.conflictmon.ingest.testutil;

import io.conflictmon.ingest.model.WeaponClassifier;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Expected figures of the attack log computed the plain way, independently of the importer: commons-csv straight
 * over the file, the year from the text of {@code time_end} (totals count by the end, in Kyiv time, which the file
 * is written in), the drone/missile split from the classifier.
 */
public final class AttackLogSums {
    private AttackLogSums() {
    }

    public static List<CSVRecord> records(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser csv = CSVParser.builder().setReader(in)
                        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return csv.getRecords();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Rows the importer must refuse: those without a launched count. */
    public static long withoutLaunched(Path file) {
        return records(file).stream().filter(r -> r.get("launched").isBlank()).count();
    }

    /** year -> {drones launched, missiles launched}, over the rows with a launched count, as text for comparison. */
    public static String perYear(Path file, WeaponClassifier classifier) {
        Map<Integer, long[]> sums = new TreeMap<>();
        for (CSVRecord r : records(file)) {
            if (r.get("launched").isBlank()) {
                continue;
            }
            int year = Integer.parseInt(r.get("time_end").strip().substring(0, 4));
            long launched = (long) Double.parseDouble(r.get("launched"));
            boolean drone = WeaponClassifier.isDrone(classifier.classify(r.get("model")));
            sums.computeIfAbsent(year, y -> new long[2])[drone ? 0 : 1] += launched;
        }
        return toText(sums);
    }

    public static String toText(Map<Integer, long[]> sums) {
        Map<Integer, String> text = new TreeMap<>();
        sums.forEach((year, s) -> text.put(year, "drones=" + s[0] + " missiles=" + s[1]));
        return text.toString();
    }
}
