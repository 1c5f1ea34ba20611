package io.conflictmon.ingest.model;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Fills the optional fields of incoming reports and turns validated reports into their Avro records. Shared by the
 * importers and the HTTP API, so that a report gets the same id and class whichever way it arrives.
 */
public final class ReportMapper {
    private final WeaponClassifier classifier;

    public ReportMapper(WeaponClassifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    public WeaponClassifier classifier() {
        return classifier;
    }

    /**
     * The report with its defaults: {@code timePrecision} MINUTE, {@code weaponClass} from the model,
     * {@code targetRegions} empty, and an id derived from the content when none was given (blank counts as none).
     */
    public StrikeReportInput withDefaults(StrikeReportInput in) {
        TimePrecision precision = in.timePrecision() == null ? TimePrecision.MINUTE : in.timePrecision();
        WeaponClass weaponClass = in.weaponClass() == null ? classifier.classify(in.weaponModel()) : in.weaponClass();
        List<String> regions = in.targetRegions() == null ? List.of() : in.targetRegions();
        StrikeReportInput filled = new StrikeReportInput(in.id(), in.source(), in.timeStart(), in.timeEnd(), precision,
                in.weaponModel(), weaponClass, in.launched(), in.destroyed(), in.launchArea(), regions, in.sourceRef());
        return isBlank(filled.id()) ? filled.withId(ReportIds.strikeId(filled)) : filled;
    }

    /** The report with an id derived from source, period and region when none was given. */
    public CasualtyReportInput withDefaults(CasualtyReportInput in) {
        return isBlank(in.id()) ? in.withId(ReportIds.casualtyId(in)) : in;
    }

    /** The Avro record of a report that passed validation (with its defaults filled). */
    public static StrikeReport toAvro(StrikeReportInput valid, Instant reportedAt) {
        return StrikeReport.newBuilder()
                .setId(valid.id())
                .setSource(valid.source())
                .setReportedAt(reportedAt)
                .setTimeStart(valid.timeStart())
                .setTimeEnd(valid.timeEnd())
                .setTimePrecision(valid.timePrecision())
                .setWeaponModel(valid.weaponModel())
                .setWeaponClass(valid.weaponClass())
                .setLaunched(valid.launched())
                .setDestroyed(valid.destroyed())
                .setLaunchArea(valid.launchArea())
                .setTargetRegions(List.copyOf(valid.targetRegions()))
                .setSourceRef(valid.sourceRef())
                .build();
    }

    /** The Avro record of a casualty report that passed validation (with its defaults filled). */
    public static CasualtyReport toAvro(CasualtyReportInput valid, Instant reportedAt) {
        return CasualtyReport.newBuilder()
                .setId(valid.id())
                .setSource(valid.source())
                .setReportedAt(reportedAt)
                .setPeriodStart(valid.periodStart())
                .setPeriodEnd(valid.periodEnd())
                .setRegion(valid.region())
                .setKilled(valid.killed())
                .setInjured(valid.injured())
                .setChildrenKilled(valid.childrenKilled())
                .setChildrenInjured(valid.childrenInjured())
                .setStrikeReportId(valid.strikeReportId())
                .setWaveId(valid.waveId())
                .build();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
