package io.conflictmon.streams.errors;

import io.conflictmon.avro.CasualtyReport;
import io.conflictmon.avro.FieldError;
import io.conflictmon.streams.casualties.CasualtyPeriod;
import java.util.ArrayList;
import java.util.List;

/** The rules a casualty report must meet before it is counted (see {@link StrikeReportValidator}). */
public final class CasualtyReportValidator implements Validator<CasualtyReport> {

  @Override
  public List<FieldError> validate(String key, CasualtyReport report) {
    List<FieldError> errors = new ArrayList<>();
    if (key == null || key.isBlank()) {
      errors.add(StrikeReportValidator.error("key", "must be the report id, got " + (key == null ? "no key" : "a blank key")));
    }
    if (report == null) {
      return errors;
    }
    if (report.getId() == null || report.getId().isBlank()) {
      errors.add(StrikeReportValidator.error("id", "must not be blank"));
    } else if (key != null && !key.equals(report.getId())) {
      errors.add(StrikeReportValidator.error("id", "must equal the record key '" + key + "', got '" + report.getId() + "'"));
    }
    if (report.getSource() == null || report.getSource().isBlank() || report.getSource().contains("/")) {
      errors.add(StrikeReportValidator.error("source", "must be a non-blank name without '/' (totals are keyed source/year), got '"
          + report.getSource() + "'"));
    }
    if (CasualtyPeriod.of(report).isEmpty()) {
      errors.add(StrikeReportValidator.error("periodEnd", "the period " + report.getPeriodStart() + ".." + report.getPeriodEnd()
          + " must be one whole year, one whole month, or days inside one month (periodEnd not before periodStart)"));
    }
    if (report.getKilled() < 0) {
      errors.add(StrikeReportValidator.error("killed", "must be >= 0, got " + report.getKilled()));
    }
    if (report.getInjured() < 0) {
      errors.add(StrikeReportValidator.error("injured", "must be >= 0, got " + report.getInjured()));
    }
    Integer childrenKilled = report.getChildrenKilled();
    if (childrenKilled != null && (childrenKilled < 0 || childrenKilled > report.getKilled())) {
      errors.add(StrikeReportValidator.error("childrenKilled", "must be between 0 and killed (" + report.getKilled()
          + ") or absent, got " + childrenKilled));
    }
    Integer childrenInjured = report.getChildrenInjured();
    if (childrenInjured != null && (childrenInjured < 0 || childrenInjured > report.getInjured())) {
      errors.add(StrikeReportValidator.error("childrenInjured", "must be between 0 and injured (" + report.getInjured()
          + ") or absent, got " + childrenInjured));
    }
    return errors;
  }
}
