package io.conflictmon.ingest.importer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The file formats the importer reads, recognised from a file name or named on the command line. */
public enum ImportFormat {
    /** {@code missile_attacks_daily*.csv}: the Air Force attack log. */
    AIR_FORCE_CSV("air-force-csv", ReportKind.STRIKE),
    /** {@code *casualties_monthly*}: OHCHR civilian casualties per month. */
    OHCHR_MONTHLY("ohchr-monthly", ReportKind.CASUALTY),
    /** {@code *casualties_annual*}: OHCHR civilian casualties per year. */
    OHCHR_ANNUAL("ohchr-annual", ReportKind.CASUALTY),
    /** {@code *.jsonl}: one report per line in the API's JSON shape; strike or casualty reports. */
    JSONL("jsonl", null);

    private final String cliName;
    private final ReportKind fixedKind;

    ImportFormat(String cliName, ReportKind fixedKind) {
        this.cliName = cliName;
        this.fixedKind = fixedKind;
    }

    /** The name used by {@code conflictmon import --format}. */
    public String cliName() {
        return cliName;
    }

    /** The kind of report the format always holds; empty for JSONL, which holds either. */
    public Optional<ReportKind> fixedKind() {
        return Optional.ofNullable(fixedKind);
    }

    /** The format a file name stands for, if any. */
    public static Optional<ImportFormat> recognize(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.startsWith("missile_attacks_daily") && name.endsWith(".csv")) {
            return Optional.of(AIR_FORCE_CSV);
        }
        if (name.contains("casualties_monthly")) {
            return Optional.of(OHCHR_MONTHLY);
        }
        if (name.contains("casualties_annual")) {
            return Optional.of(OHCHR_ANNUAL);
        }
        if (name.endsWith(".jsonl")) {
            return Optional.of(JSONL);
        }
        return Optional.empty();
    }

    /**
     * The format of a file, from its name.
     *
     * @throws IllegalArgumentException naming the recognised patterns when the name matches none
     */
    public static ImportFormat of(Path file) {
        String name = file.getFileName().toString();
        return recognize(name).orElseThrow(() -> new IllegalArgumentException("cannot tell the format of '" + name
                + "' from its name; recognised: missile_attacks_daily*.csv, *casualties_monthly*, *casualties_annual*, "
                + "*.jsonl (or give the format explicitly: " + cliNames() + ")"));
    }

    /** The format with this command-line name ({@code air-force-csv}) or enum name ({@code AIR_FORCE_CSV}). */
    public static ImportFormat fromCliName(String name) {
        for (ImportFormat format : values()) {
            if (format.cliName.equalsIgnoreCase(name) || format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; allowed: " + cliNames());
    }

    /**
     * The kind of a file's reports: the format's own, or for JSON Lines the kind the name suggests
     * ({@code casualt} in the name -> casualty reports, otherwise strike reports).
     */
    public ReportKind kindFor(Path file) {
        if (fixedKind != null) {
            return fixedKind;
        }
        return file.getFileName().toString().toLowerCase(Locale.ROOT).contains("casualt")
                ? ReportKind.CASUALTY : ReportKind.STRIKE;
    }

    private static String cliNames() {
        return Arrays.stream(values()).map(ImportFormat::cliName).toList().toString();
    }
}
