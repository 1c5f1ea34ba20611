package io.conflictmon.streams.totals;

/** Names of the strike-totals state. */
public final class StrikeTotalsStores {

  /** Period key ({@code 2026}, {@code 2026-01}, {@code 2026-01-09}) -> StrikeTotals. */
  public static final String TOTALS = "strike-totals-store";

  private StrikeTotalsStores() {
  }
}
