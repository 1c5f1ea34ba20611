package io.conflictmon.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.ingest.model.IngestJson;
import io.conflictmon.ingest.model.KyivTime;
import io.conflictmon.ingest.model.ReportMapper;
import io.conflictmon.ingest.model.StrikeReportInput;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.validation.ReportValidator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Synthetic strike reports shaped like the real Air Force data ({@code ../shared/data/missile_attacks_daily.csv}): the
 * same reporters, weapon models, launch areas, target regions and {@code kpszsu/posts/pfbid...} references, about a
 * third of the rows with a date only, and the rest grouped into attack waves of a handful of reports each (three waves
 * a day, more than the 3 h wave gap apart, so the topology forms waves as it does on the real file).
 *
 * <p>Deterministic for a seed. Every report is distinct in what its derived id hashes (source, window, model, places),
 * so an import of {@code count} rows publishes {@code count} reports. Reports come in time order, day by day, as an
 * air command posts them. Dates run from the validator's {@link ReportValidator#EARLIEST_DATE} onwards, as far as needed
 * for about {@value #REPORTS_PER_WAVE} reports per wave, and never past yesterday (the validator refuses the future).
 */
public final class SyntheticStrikes {
    /** Average reports per wave: a kpszsu night report has 2-8 rows, the regional commands add a few. */
    static final int REPORTS_PER_WAVE = 8;
    /** Share of reports with a time window (the rest carry a date only), as in the real file (1,370 of 3,468 rows + regional). */
    static final double MINUTE_SHARE = 0.65;

    private record Model(String name, int minLaunched, int maxLaunched) {
    }

    /** A wave slot of a Kyiv day: windows start within the first hour and end within the last hour. */
    private record Slot(LocalTime start, LocalTime end, int weight) {
    }

    // Gaps between slots (05:30-10:00, 13:00-17:00, 21:00-00:30) all exceed the 3 h wave gap.
    private static final List<Slot> SLOTS = List.of(
            new Slot(LocalTime.of(0, 30), LocalTime.of(5, 30), 3),
            new Slot(LocalTime.of(10, 0), LocalTime.of(13, 0), 1),
            new Slot(LocalTime.of(17, 0), LocalTime.of(21, 0), 2));

    private static final List<Model> WAVE_MODELS = List.of(
            new Model("Shahed-136/131", 10, 400), new Model("Shahed-136/131", 5, 120), new Model("Iskander-M", 1, 8),
            new Model("X-101/X-555", 2, 60), new Model("Kalibr", 1, 20), new Model("X-59/X-69", 1, 10),
            new Model("Iskander-M/KN-23", 1, 12), new Model("X-47 Kinzhal", 1, 8), new Model("C-300", 1, 10),
            new Model("Unknown UAV", 1, 40), new Model("X-22", 1, 6), new Model("Iskander-K", 1, 5));
    private static final List<Model> DAY_MODELS = List.of(
            new Model("Orlan-10", 1, 6), new Model("Supercam", 1, 5), new Model("ZALA", 1, 5), new Model("Lancet", 1, 4),
            new Model("Unknown UAV", 1, 40), new Model("Reconnaissance UAV", 1, 6), new Model("Молнія", 1, 5),
            new Model("Merlin-VR", 1, 3));
    private static final List<String> WAVE_SOURCES = List.of("kpszsu", "kpszsu", "kpszsu", "PvKPivden", "pvkshid", "PvkZahid");
    // no repeats: a date-only report is told apart by (region, model, source)
    private static final List<String> DAY_SOURCES = List.of("PvKPivden", "pvkshid", "kpszsu", "PvkZahid");
    private static final List<String> LAUNCH_AREAS = List.of("Crimea", "Black Sea", "Kursk oblast", "Primorsko-Akhtarsk",
            "Belgorod oblast", "Voronezh oblast", "Rostov oblast", "Primorsko-Akhtarsk and Chauda, Crimea", "Bryansk oblast",
            "Primorsko-Akhtarsk and Kursk oblast", "Zaporizhzhia oblast",
            "Primorsko-Akhtarsk and Kursk oblast and Millerovo and Hvardiiske, Crimea");
    private static final List<String> REGIONS = List.of("Ukraine", "south", "Odesa oblast", "Kherson oblast",
            "Mykolaiv oblast", "east", "Kharkiv oblast", "Dnipropetrovsk oblast", "Dnipropetrovsk oblast, Dnipro Raion",
            "Kyiv oblast", "Lviv oblast", "Zaporizhzhia oblast");
    private static final String REF_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private SyntheticStrikes() {
    }

    /** {@code count} reports as the JSON API and the importers receive them: no id, no weapon class (derived on import). */
    public static List<StrikeReportInput> inputs(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int minuteCount = (int) Math.round(count * MINUTE_SHARE);
        int dayCount = count - minuteCount;
        LocalDate first = ReportValidator.EARLIEST_DATE.plusDays(1);
        long availableDays = ChronoUnit.DAYS.between(first, LocalDate.now(KyivTime.ZONE).minusDays(1));
        int days = (int) Math.max(1, Math.min(availableDays,
                Math.ceil(minuteCount / (double) (SLOTS.size() * REPORTS_PER_WAVE))));

        // How many reports each wave slot and each day gets: every report picks a slot at random, by slot weight.
        int[][] perSlot = new int[days][SLOTS.size()];
        int totalWeight = SLOTS.stream().mapToInt(Slot::weight).sum();
        for (int i = 0; i < minuteCount; i++) {
            int pick = random.nextInt(totalWeight);
            int slot = 0;
            while (pick >= SLOTS.get(slot).weight()) {
                pick -= SLOTS.get(slot).weight();
                slot++;
            }
            perSlot[random.nextInt(days)][slot]++;
        }
        int[] perDay = new int[days];
        for (int i = 0; i < dayCount; i++) {
            perDay[random.nextInt(days)]++;
        }

        List<StrikeReportInput> reports = new ArrayList<>(count);
        for (int d = 0; d < days; d++) {
            LocalDate day = first.plusDays(d);
            for (int s = 0; s < SLOTS.size(); s++) {
                waveReports(random, day, SLOTS.get(s), perSlot[d][s], reports);
            }
            dayReports(random, day, perDay[d], reports);
        }
        return reports;
    }

    /** The same reports with their defaults and derived ids, as the importer publishes them. */
    public static List<StrikeReport> avro(List<StrikeReportInput> inputs, Instant reportedAt) {
        ReportMapper mapper = new ReportMapper(WeaponClassifier.bundled());
        List<StrikeReport> reports = new ArrayList<>(inputs.size());
        for (StrikeReportInput input : inputs) {
            reports.add(ReportMapper.toAvro(mapper.withDefaults(input), reportedAt));
        }
        return reports;
    }

    /** Writes the reports as JSON Lines in the API's shape (absent fields left out), the importer's {@code jsonl} format. */
    public static void writeJsonLines(List<StrikeReportInput> inputs, Path file) throws IOException {
        ObjectWriter writer = IngestJson.mapper().copy()
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                .writerFor(StrikeReportInput.class);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (StrikeReportInput input : inputs) {
                out.write(writer.writeValueAsString(input));
                out.write('\n');
            }
        }
    }

    private static void waveReports(SplittableRandom random, LocalDate day, Slot slot, int count,
            List<StrikeReportInput> into) {
        if (count == 0) {
            return;
        }
        Instant slotStart = KyivTime.windowStart(LocalDateTime.of(day, slot.start()));
        Instant slotEnd = KyivTime.windowEnd(LocalDateTime.of(day, slot.end()));
        // Distinct start times make every report of the wave distinct; all stay in the slot's first hour.
        long stepSeconds = Math.max(1, 3600 / count);
        List<StrikeReportInput> wave = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            Model model = k == 0 ? WAVE_MODELS.get(0) : pick(random, WAVE_MODELS);
            String source = k == 0 ? "kpszsu" : pick(random, WAVE_SOURCES);
            Instant start = slotStart.plusSeconds(k * stepSeconds);
            Instant end = slotEnd.minusSeconds(60L * random.nextInt(61));
            List<String> regions = source.equals("kpszsu") && random.nextInt(3) > 0
                    ? List.of("Ukraine") : regions(random);
            String launchArea = random.nextInt(10) < 7 ? pick(random, LAUNCH_AREAS) : null;
            wave.add(report(random, source, start, end, TimePrecision.MINUTE, model, launchArea, regions));
        }
        // kpszsu posts one summary after the wave; regional commands post as it goes: order by end of window
        wave.sort((a, b) -> a.timeEnd().compareTo(b.timeEnd()));
        into.addAll(wave);
    }

    private static void dayReports(SplittableRandom random, LocalDate day, int count, List<StrikeReportInput> into) {
        Instant start = KyivTime.startOfDay(day);
        Instant end = KyivTime.endOfDay(day);
        int combinations = REGIONS.size() * DAY_MODELS.size() * DAY_SOURCES.size();
        if (count > combinations) {
            throw new IllegalStateException("too many date-only reports on " + day + ": " + count + " > " + combinations);
        }
        // Distinct (region, model, source) per day make the date-only reports of a day distinct.
        List<Integer> picks = new ArrayList<>(combinations);
        for (int i = 0; i < combinations; i++) {
            picks.add(i);
        }
        Collections.shuffle(picks, new Random(random.nextLong()));
        for (int k = 0; k < count; k++) {
            int combination = picks.get(k);
            String region = REGIONS.get(combination % REGIONS.size());
            Model model = DAY_MODELS.get((combination / REGIONS.size()) % DAY_MODELS.size());
            String source = DAY_SOURCES.get(combination / (REGIONS.size() * DAY_MODELS.size()));
            into.add(report(random, source, start, end, TimePrecision.DAY, model, null, List.of(region)));
        }
    }

    private static StrikeReportInput report(SplittableRandom random, String source, Instant start, Instant end,
            TimePrecision precision, Model model, String launchArea, List<String> regions) {
        int launched = model.minLaunched() + random.nextInt(model.maxLaunched() - model.minLaunched() + 1);
        Integer destroyed = random.nextInt(20) == 0 ? null : (int) Math.round(launched * (0.7 + 0.3 * random.nextDouble()));
        return new StrikeReportInput(null, source, start, end, precision, model.name(), null, launched, destroyed,
                launchArea, regions, sourceRef(random, source));
    }

    private static List<String> regions(SplittableRandom random) {
        int size = 1 + random.nextInt(3);
        List<String> regions = new ArrayList<>(size);
        while (regions.size() < size) {
            String region = pick(random, REGIONS);
            if (!regions.contains(region)) {
                regions.add(region);
            }
        }
        return regions;
    }

    /** Like the real references: {@code kpszsu/posts/pfbid0} and 66 more characters. */
    private static String sourceRef(SplittableRandom random, String source) {
        StringBuilder ref = new StringBuilder(source.length() + 80).append(source).append("/posts/pfbid0");
        for (int i = 0; i < 66; i++) {
            ref.append(REF_ALPHABET.charAt(random.nextInt(REF_ALPHABET.length())));
        }
        return ref.toString();
    }

    private static <T> T pick(SplittableRandom random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
