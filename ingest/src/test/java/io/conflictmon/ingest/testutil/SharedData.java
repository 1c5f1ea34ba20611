package io.conflictmon.ingest.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data files of ../shared/data (surefire passes the folder as {@code conflictmon.shared.data}). */
public final class SharedData {
    public static final String ATTACKS = "missile_attacks_daily.csv";
    public static final String CASUALTIES_MONTHLY = "ohchr_civilian_casualties_monthly.csv";
    public static final String CASUALTIES_ANNUAL = "ohchr_civilian_casualties_annual.csv";

    private SharedData() {
    }

    public static Path dir() {
        String configured = System.getProperty("conflictmon.shared.data");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/data");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared data folder not found at " + dir.toAbsolutePath()
                    + " (set -Dconflictmon.shared.data)");
        }
        return dir.normalize();
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }
}
