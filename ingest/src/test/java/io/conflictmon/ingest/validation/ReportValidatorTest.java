package io.conflictmon.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;
import io.conflictmon.ingest.model.CasualtyReportInput;
import io.conflictmon.ingest.model.StrikeReportInput;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportValidatorTest {
    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    final ReportValidator validator = new ReportValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    static StrikeReportInput strike() {
        return new StrikeReportInput("kpszsu-1", "kpszsu", Instant.parse("2026-01-08T17:30:00Z"),
                Instant.parse("2026-01-09T07:00:00Z"), TimePrecision.MINUTE, "Shahed-136/131", WeaponClass.ATTACK_DRONE,
                242, 226, "Primorsko-Akhtarsk", List.of("Kyiv oblast"), "kpszsu/posts/x");
    }

    static StrikeReportInput strike(String id, String source, Instant start, Instant end, TimePrecision precision,
            String model, WeaponClass weaponClass, Integer launched, Integer destroyed, String launchArea,
            List<String> regions, String ref) {
        return new StrikeReportInput(id, source, start, end, precision, model, weaponClass, launched, destroyed, launchArea,
                regions, ref);
    }

    static CasualtyReportInput casualty(LocalDate start, LocalDate end) {
        return new CasualtyReportInput("ohchr-x", "ohchr", start, end, null, 10, 20, 1, 2, null, null);
    }

    List<String> paths(List<FieldError> errors) {
        return errors.stream().map(FieldError::path).toList();
    }

    @Test
    void aCompleteReportIsValid() {
        assertThat(validator.validate(strike())).isEmpty();
        assertThat(validator.validate(casualty(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)))).isEmpty();
    }

    @Test
    void requiredFieldsAreNamed() {
        List<FieldError> errors = validator.validate(new StrikeReportInput(null, null, null, null, null, null, null, null,
                null, null, null, null));
        assertThat(paths(errors)).containsExactly("id", "source", "timeStart", "timeEnd", "timePrecision", "weaponModel",
                "weaponClass", "launched");
        assertThat(errors).allMatch(e -> e.message().startsWith("required"));
        List<FieldError> casualty = validator.validate(new CasualtyReportInput(null, " ", null, null, null, null, null,
                null, null, null, null));
        assertThat(paths(casualty)).containsExactly("id", "source", "periodStart", "periodEnd", "killed", "injured");
    }

    @Test
    void countsMustBeInRange() {
        StrikeReportInput s = strike();
        assertThat(paths(validator.validate(strike(s.id(), s.source(), s.timeStart(), s.timeEnd(), s.timePrecision(),
                s.weaponModel(), s.weaponClass(), -1, null, null, List.of(), null)))).containsExactly("launched");
        List<FieldError> absurd = validator.validate(strike(s.id(), s.source(), s.timeStart(), s.timeEnd(), s.timePrecision(),
                s.weaponModel(), s.weaponClass(), 5_001, -2, null, List.of(), null));
        assertThat(paths(absurd)).containsExactly("launched", "destroyed");
        assertThat(absurd.get(0).message()).contains("0 to 5000").contains("5001");
        assertThat(validator.validate(strike(s.id(), s.source(), s.timeStart(), s.timeEnd(), s.timePrecision(),
                s.weaponModel(), s.weaponClass(), 5_000, 5_000, null, List.of(), null))).isEmpty();
        List<FieldError> destroyed = validator.validate(strike(s.id(), s.source(), s.timeStart(), s.timeEnd(),
                s.timePrecision(), s.weaponModel(), s.weaponClass(), 10, 11, null, List.of(), null));
        assertThat(destroyed).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("destroyed");
            assertThat(e.message()).contains("must not exceed launched (10)");
        });
        CasualtyReportInput tooMany = new CasualtyReportInput("x", "ohchr", LocalDate.of(2025, 1, 1),
                LocalDate.of(2025, 12, 31), null, 1_000_001, -1, 5, 3, null, null);
        assertThat(paths(validator.validate(tooMany))).containsExactly("killed", "injured", "childrenInjured");
        CasualtyReportInput children = new CasualtyReportInput("x", "ohchr", LocalDate.of(2025, 1, 1),
                LocalDate.of(2025, 12, 31), null, 1_000_000, 10, 1_000_000, 11, null, null);
        assertThat(paths(validator.validate(children))).containsExactly("childrenInjured");
    }

    @Test
    void timesMustBeOrderedAfter2014AndNotInTheFuture() {
        StrikeReportInput s = strike();
        List<FieldError> reversed = validator.validate(strike(s.id(), s.source(), s.timeEnd(), s.timeStart(),
                s.timePrecision(), s.weaponModel(), s.weaponClass(), 1, 1, null, List.of(), null));
        assertThat(paths(reversed)).containsExactly("timeEnd");
        assertThat(reversed.get(0).message()).contains("must not be before timeStart");
        List<FieldError> old = validator.validate(strike(s.id(), s.source(), Instant.parse("2013-12-31T21:59:59Z"),
                s.timeEnd(), s.timePrecision(), s.weaponModel(), s.weaponClass(), 1, 1, null, List.of(), null));
        assertThat(paths(old)).containsExactly("timeStart");
        assertThat(old.get(0).message()).contains("2014-01-01");
        // 2014-01-01 00:00 Kyiv time is 2013-12-31T22:00Z: allowed
        assertThat(validator.validate(strike(s.id(), s.source(), Instant.parse("2013-12-31T22:00:00Z"), s.timeEnd(),
                s.timePrecision(), s.weaponModel(), s.weaponClass(), 1, 1, null, List.of(), null))).isEmpty();
        Instant tomorrow = NOW.plusSeconds(86_400);
        assertThat(validator.validate(strike(s.id(), s.source(), s.timeStart(), tomorrow, s.timePrecision(),
                s.weaponModel(), s.weaponClass(), 1, 1, null, List.of(), null))).isEmpty();
        List<FieldError> future = validator.validate(strike(s.id(), s.source(), s.timeStart(), tomorrow.plusSeconds(1),
                s.timePrecision(), s.weaponModel(), s.weaponClass(), 1, 1, null, List.of(), null));
        assertThat(paths(future)).containsExactly("timeEnd");
        assertThat(future.get(0).message()).contains("one day in the future");
        assertThat(paths(validator.validate(strike(s.id(), s.source(), s.timeStart(), s.timeEnd(), TimePrecision.UNKNOWN,
                s.weaponModel(), s.weaponClass(), 1, 1, null, List.of(), null)))).containsExactly("timePrecision");
    }

    @Test
    void lengthsAndListSizesAreBounded() {
        StrikeReportInput s = strike();
        String longId = "a".repeat(129);
        String longModel = "m".repeat(201);
        List<String> regions = Collections.nCopies(101, "Kyiv oblast");
        List<FieldError> errors = validator.validate(strike(longId, s.source(), s.timeStart(), s.timeEnd(), s.timePrecision(),
                longModel, s.weaponClass(), 1, 1, "x".repeat(501), regions, "r".repeat(2_001)));
        assertThat(paths(errors)).containsExactly("id", "weaponModel", "launchArea", "targetRegions", "sourceRef");
        assertThat(errors.get(0).message()).contains("at most 128");
        assertThat(errors.get(3).message()).contains("at most 100 regions");
        List<FieldError> badItems = validator.validate(strike("has space", s.source(), s.timeStart(), s.timeEnd(),
                s.timePrecision(), s.weaponModel(), s.weaponClass(), 1, 1, "tab\there", List.of("ok", " "), null));
        assertThat(paths(badItems)).containsExactly("id", "launchArea", "targetRegions[1]");
        assertThat(validator.validate(strike("a".repeat(128), s.source(), s.timeStart(), s.timeEnd(), s.timePrecision(),
                "m".repeat(200), s.weaponClass(), 1, 1, null, Collections.nCopies(100, "r"), null))).isEmpty();
    }

    @Test
    void casualtyPeriodsAreADayRangeInOneMonthAWholeMonthOrAWholeYear() {
        assertThat(validator.validate(casualty(LocalDate.of(2024, 3, 5), LocalDate.of(2024, 3, 5)))).isEmpty();
        assertThat(validator.validate(casualty(LocalDate.of(2024, 3, 5), LocalDate.of(2024, 3, 9)))).isEmpty();
        assertThat(validator.validate(casualty(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29)))).isEmpty();
        assertThat(validator.validate(casualty(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)))).isEmpty();
        List<FieldError> acrossMonths = validator.validate(casualty(LocalDate.of(2024, 3, 25), LocalDate.of(2024, 4, 2)));
        assertThat(paths(acrossMonths)).containsExactly("periodEnd");
        assertThat(acrossMonths.get(0).message()).contains("within one calendar month").contains("whole calendar year");
        assertThat(paths(validator.validate(casualty(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 30)))))
                .containsExactly("periodEnd");
        assertThat(paths(validator.validate(casualty(LocalDate.of(2024, 3, 9), LocalDate.of(2024, 3, 5)))))
                .containsExactly("periodEnd");
        assertThat(paths(validator.validate(casualty(LocalDate.of(2013, 12, 31), LocalDate.of(2013, 12, 31)))))
                .containsExactly("periodStart", "periodEnd");
        // the year in progress may be reported as a whole; days may not reach past tomorrow
        assertThat(validator.validate(casualty(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)))).isEmpty();
        assertThat(validator.validate(casualty(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31)))).isEmpty();
        assertThat(paths(validator.validate(casualty(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 4)))))
                .containsExactly("periodEnd");
        assertThat(paths(validator.validate(casualty(LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 30)))))
                .containsExactly("periodStart");
    }
}
