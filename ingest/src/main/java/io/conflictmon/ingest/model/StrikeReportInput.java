package io.conflictmon.ingest.model;

import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import java.time.Instant;
import java.util.List;

/**
 * A strike report as the JSON API and the importers receive it, before defaults and validation: every field may
 * be missing (null). Field names are those of DESIGN.md "JSON shapes" and of the Avro {@code StrikeReport}.
 * Optional fields: {@code id} (derived from the content), {@code timePrecision} (MINUTE), {@code weaponClass}
 * (classified from the model), {@code destroyed}, {@code launchArea}, {@code targetRegions} (empty), {@code sourceRef}.
 */
public record StrikeReportInput(
        String id,
        String source,
        Instant timeStart,
        Instant timeEnd,
        TimePrecision timePrecision,
        String weaponModel,
        WeaponClass weaponClass,
        Integer launched,
        Integer destroyed,
        String launchArea,
        List<String> targetRegions,
        String sourceRef) {

    public StrikeReportInput withId(String newId) {
        return new StrikeReportInput(newId, source, timeStart, timeEnd, timePrecision, weaponModel, weaponClass, launched,
                destroyed, launchArea, targetRegions, sourceRef);
    }
}
