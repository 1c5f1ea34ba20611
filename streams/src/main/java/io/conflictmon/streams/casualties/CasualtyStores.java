package io.conflictmon.streams.casualties;

/** Names of the casualty state. */
public final class CasualtyStores {

  /** Report id -> last accepted CasualtyReport (the upsert log). */
  public static final String REPORTS = "casualty-reports";

  /** {@code source/yyyy/id} -> CasualtyReport: the reports of a source's year, found by prefix scan. */
  public static final String REPORTS_BY_YEAR = "casualty-reports-by-year";

  /** {@code source/yyyy} and {@code source/yyyy-MM} -> CasualtyTotals. */
  public static final String TOTALS = "casualty-totals-store";

  private CasualtyStores() {
  }

  static String yearPrefix(String source, int year) {
    return CasualtyPeriod.yearKey(source, year) + "/";
  }

  static String indexKey(String source, int year, String reportId) {
    return yearPrefix(source, year) + reportId;
  }
}
