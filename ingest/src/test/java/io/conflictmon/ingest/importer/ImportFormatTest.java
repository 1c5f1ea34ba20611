package io.conflictmon.ingest.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImportFormatTest {
    @Test
    void recognisesFormatsFromFileNames() {
        assertThat(ImportFormat.of(Path.of("data/missile_attacks_daily.csv"))).isEqualTo(ImportFormat.AIR_FORCE_CSV);
        assertThat(ImportFormat.of(Path.of("missile_attacks_daily_2026-03.csv"))).isEqualTo(ImportFormat.AIR_FORCE_CSV);
        assertThat(ImportFormat.of(Path.of("ohchr_civilian_casualties_monthly.csv"))).isEqualTo(ImportFormat.OHCHR_MONTHLY);
        assertThat(ImportFormat.of(Path.of("ohchr_civilian_casualties_annual.csv"))).isEqualTo(ImportFormat.OHCHR_ANNUAL);
        assertThat(ImportFormat.of(Path.of("strikes.jsonl"))).isEqualTo(ImportFormat.JSONL);
        assertThat(ImportFormat.recognize("missiles_and_uavs.csv")).isEmpty();
        assertThatThrownBy(() -> ImportFormat.of(Path.of("notes.txt"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missile_attacks_daily*.csv").hasMessageContaining("air-force-csv");
    }

    @Test
    void knowsTheKindOfReportsAndTheCommandLineNames() {
        assertThat(ImportFormat.AIR_FORCE_CSV.kindFor(Path.of("x.csv"))).isEqualTo(ReportKind.STRIKE);
        assertThat(ImportFormat.OHCHR_ANNUAL.kindFor(Path.of("x.csv"))).isEqualTo(ReportKind.CASUALTY);
        assertThat(ImportFormat.JSONL.kindFor(Path.of("casualties-2025.jsonl"))).isEqualTo(ReportKind.CASUALTY);
        assertThat(ImportFormat.JSONL.kindFor(Path.of("strikes.jsonl"))).isEqualTo(ReportKind.STRIKE);
        assertThat(ImportFormat.fromCliName("ohchr-monthly")).isEqualTo(ImportFormat.OHCHR_MONTHLY);
        assertThat(ImportFormat.fromCliName("JSONL")).isEqualTo(ImportFormat.JSONL);
        assertThatThrownBy(() -> ImportFormat.fromCliName("xml")).hasMessageContaining("air-force-csv");
    }
}
