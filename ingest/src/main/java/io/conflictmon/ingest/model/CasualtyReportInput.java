package io.conflictmon.ingest.model;

import java.time.LocalDate;

/**
 * A casualty report as the JSON API and the importers receive it, before defaults and validation: every field may
 * be missing (null). Field names are those of DESIGN.md "JSON shapes" and of the Avro {@code CasualtyReport}.
 * Optional fields: {@code id} (derived from source, period and region), {@code region} (null: the whole country),
 * the children counts, {@code strikeReportId}, {@code waveId}.
 */
public record CasualtyReportInput(
        String id,
        String source,
        LocalDate periodStart,
        LocalDate periodEnd,
        String region,
        Integer killed,
        Integer injured,
        Integer childrenKilled,
        Integer childrenInjured,
        String strikeReportId,
        String waveId) {

    public CasualtyReportInput withId(String newId) {
        return new CasualtyReportInput(newId, source, periodStart, periodEnd, region, killed, injured, childrenKilled,
                childrenInjured, strikeReportId, waveId);
    }
}
