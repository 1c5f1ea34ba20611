package io.conflictmon.schemas;

import io.conflictmon.avro.AlertStatus;
import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.CasualtyTotals;
import io.conflictmon.avro.EscalationAlert;
import io.conflictmon.avro.FieldError;
import io.conflictmon.avro.Granularity;
import io.conflictmon.avro.RejectedRecord;
import io.conflictmon.avro.Severity;
import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.StrikeTotals;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WaveSummary;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.avro.YoyBasis;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** One filled-in record of each contract, shaped like DESIGN.md's examples. */
public final class SampleRecords {
    private SampleRecords() {
    }

    public static StrikeReport strikeReport() {
        return StrikeReport.newBuilder()
                .setId("kpszsu-2026-01-09-shahed")
                .setSource("kpszsu")
                .setReportedAt(Instant.parse("2026-01-09T08:15:00.123Z"))
                .setTimeStart(Instant.parse("2026-01-08T17:30:00Z"))
                .setTimeEnd(Instant.parse("2026-01-09T07:00:00Z"))
                .setTimePrecision(TimePrecision.MINUTE)
                .setWeaponModel("Shahed-136/131")
                .setWeaponClass(WeaponClass.ATTACK_DRONE)
                .setLaunched(242)
                .setDestroyed(226)
                .setLaunchArea("Primorsko-Akhtarsk")
                .setTargetRegions(List.of("Kyiv oblast", "Lviv oblast"))
                .setSourceRef("kpszsu/posts/123")
                .build();
    }

    public static CasualtyReport casualtyReport() {
        return CasualtyReport.newBuilder()
                .setId("ohchr-2025").setSource("ohchr").setReportedAt(Instant.parse("2026-01-12T10:00:00Z"))
                .setPeriodStart(LocalDate.of(2025, 1, 1)).setPeriodEnd(LocalDate.of(2025, 12, 31))
                .setKilled(2514).setInjured(12142).setChildrenKilled(null).setChildrenInjured(117)
                .build();
    }

    public static RejectedRecord rejectedRecord() {
        return RejectedRecord.newBuilder()
                .setSource("import:strikes.csv").setSourceId("strikes.csv:17").setReasonCode("validation")
                .setReason("launched must be >= 0")
                .setFieldErrors(List.of(FieldError.newBuilder().setPath("launched").setMessage("must be >= 0").build()))
                .setPayload(ByteBuffer.wrap("2026-01-09,-3,Shahed".getBytes(StandardCharsets.UTF_8)))
                .setLineNumber(17L).setRejectedAt(Instant.parse("2026-01-09T08:15:01Z"))
                .build();
    }

    public static WaveSummary waveSummary() {
        return WaveSummary.newBuilder()
                .setId("2026-01-08T17:30:00Z").setStart(Instant.parse("2026-01-08T17:30:00Z"))
                .setEnd(Instant.parse("2026-01-09T07:00:00Z")).setDurationMinutes(810)
                .setDrones(242).setMissiles(36).setDestroyed(244).setInterceptionRate(0.878)
                .setByClass(Map.of("ATTACK_DRONE", 242, "CRUISE_MISSILE", 22))
                .setByModel(Map.of("Shahed-136/131", 242))
                .setReportIds(List.of("a", "b")).setReportCount(2)
                .setUpdatedAt(Instant.parse("2026-01-09T08:15:00Z"))
                .build();
    }

    public static StrikeTotals strikeTotals() {
        return StrikeTotals.newBuilder()
                .setPeriod("2026-01").setGranularity(Granularity.MONTH).setDrones(4000).setMissiles(150)
                .setDestroyed(3600).setByClass(Map.of("ATTACK_DRONE", 4000L)).setReportCount(31)
                .setUpdatedAt(Instant.parse("2026-01-31T21:00:00Z"))
                .build();
    }

    public static CasualtyTotals casualtyTotals() {
        return CasualtyTotals.newBuilder()
                .setSource("ohchr").setYear(2025).setKilled(2514).setInjured(12142).setTotal(14656)
                .setMonthsCovered(12).setComplete(true).setBasis(YoyBasis.FULL_YEAR)
                .setPreviousTotal(11226L).setIncreasePct(30.55)
                .setUpdatedAt(Instant.parse("2026-01-12T10:00:00Z"))
                .build();
    }

    public static EscalationAlert escalationAlert() {
        return EscalationAlert.newBuilder()
                .setId("wave-drones/2026-01-08T17:30:00Z/WARNING/FIRING").setRule("wave-drones")
                .setSeverity(Severity.WARNING).setStatus(AlertStatus.FIRING).setSubject("2026-01-08T17:30:00Z")
                .setValue(242).setThreshold(200).setSummary("Wave 2026-01-08T17:30Z: 242 drones >= 200")
                .setLabels(Map.of("team", "ops")).setFiredAt(Instant.parse("2026-01-09T08:15:00Z"))
                .build();
    }
}
