package io.conflictmon.streams.reports;

/** Names of the strike-report state. */
public final class StrikeReportStores {

  /** Report id -> last accepted StrikeReport: the upsert log that makes duplicates no-ops and corrections exact. */
  public static final String REPORTS = "strike-reports";

  private StrikeReportStores() {
  }
}
