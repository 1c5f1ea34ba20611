package io.conflictmon.streams.testing;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A minimal reader of the real Air Force CSV for the streams acceptance test. Hand-written on purpose:
 * the real importer lives in {@code ingest}, which {@code streams} must not depend on (topics are the
 * contract). It follows the data README's rules: Kyiv local times, rows with both times are MINUTE,
 * the rest DAY (a whole Kyiv day), float counts, rows without {@code launched} skipped (ingest
 * dead-letters them), the class from {@code missiles_and_uavs.csv} or, for models missing there, by name.
 */
public final class AirForceCsv {

  public static final String STRIKES_FILE = "missile_attacks_daily.csv";
  public static final String MODELS_FILE = "missiles_and_uavs.csv";

  private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd H:mm");
  private static final Pattern DRONE_NAME =
      Pattern.compile("shahed|geran|gerbera|decoy|uav|молнія|фенікс|картограф|привет|orlan|zala|supercam|lancet",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private AirForceCsv() {
  }

  /** The data directory the build points at ({@code conflictmon.shared.data}). */
  public static Path dataDir() {
    return Path.of(System.getProperty("conflictmon.shared.data", "../../shared/data"));
  }

  public static boolean available() {
    return Files.isReadable(dataDir().resolve(STRIKES_FILE)) && Files.isReadable(dataDir().resolve(MODELS_FILE));
  }

  public static List<StrikeReport> read() throws IOException {
    Map<String, WeaponClass> classes = modelClasses(dataDir().resolve(MODELS_FILE));
    List<StrikeReport> reports = new ArrayList<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader reader = Files.newBufferedReader(dataDir().resolve(STRIKES_FILE), StandardCharsets.UTF_8);
         CSVParser parser = CSVParser.parse(reader, format)) {
      for (CSVRecord row : parser) {
        String launched = row.get("launched").trim();
        if (launched.isEmpty()) {
          continue;
        }
        String start = row.get("time_start").trim();
        String end = row.get("time_end").trim();
        boolean timed = start.length() > 10 && end.length() > 10;
        Instant timeStart;
        Instant timeEnd;
        if (timed) {
          timeStart = LocalDateTime.parse(start, MINUTE).atZone(KYIV).toInstant();
          timeEnd = LocalDateTime.parse(end, MINUTE).atZone(KYIV).toInstant();
        } else {
          LocalDate day = LocalDate.parse(start.substring(0, 10));
          timeStart = day.atStartOfDay(KYIV).toInstant();
          timeEnd = day.plusDays(1).atStartOfDay(KYIV).toInstant().minusMillis(1);
        }
        String model = row.get("model").trim();
        String destroyed = row.get("destroyed").trim();
        String source = row.get("source");
        reports.add(StrikeReport.newBuilder()
            .setId("af-row-" + row.getRecordNumber())
            .setSource(source.contains("/posts/") ? source.substring(0, source.indexOf("/posts/")) : source)
            .setReportedAt(Instant.parse("2026-03-02T00:00:00Z"))
            .setTimeStart(timeStart)
            .setTimeEnd(timeEnd)
            .setTimePrecision(timed ? TimePrecision.MINUTE : TimePrecision.DAY)
            .setWeaponModel(model)
            .setWeaponClass(classes.getOrDefault(model, classByName(model)))
            .setLaunched((int) Double.parseDouble(launched))
            .setDestroyed(destroyed.isEmpty() ? null : (int) Double.parseDouble(destroyed))
            .setTargetRegions(List.of())
            .setSourceRef(source)
            .build());
      }
    }
    return reports;
  }

  private static Map<String, WeaponClass> modelClasses(Path file) throws IOException {
    Map<String, WeaponClass> classes = new HashMap<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = CSVParser.parse(reader, format)) {
      for (CSVRecord row : parser) {
        String category = row.get("category").toLowerCase(Locale.ROOT);
        WeaponClass weaponClass = switch (category) {
          case "uav" -> row.get("type").contains("reconnaissance") ? WeaponClass.OTHER_DRONE : WeaponClass.ATTACK_DRONE;
          case "ballistic missile" -> WeaponClass.BALLISTIC_MISSILE;
          case "cruise missile" -> WeaponClass.CRUISE_MISSILE;
          case "guided bomb" -> WeaponClass.GUIDED_BOMB;
          default -> category.startsWith("surface-to-air") ? WeaponClass.SURFACE_TO_AIR_MISSILE : WeaponClass.UNKNOWN;
        };
        classes.put(row.get("model").trim(), weaponClass);
      }
    }
    return classes;
  }

  private static WeaponClass classByName(String model) {
    if (DRONE_NAME.matcher(model).find()) {
      return WeaponClass.ATTACK_DRONE;
    }
    if (model.toLowerCase(Locale.ROOT).contains("bomb")) {
      return WeaponClass.GUIDED_BOMB;
    }
    return model.contains("Iskander-M") ? WeaponClass.BALLISTIC_MISSILE : WeaponClass.CRUISE_MISSILE;
  }
}
