package io.conflictmon.streams.waves;

import io.conflictmon.avro.StrikeReport;
import io.conflictmon.avro.TimePrecision;
import io.conflictmon.avro.WeaponClass;

/**
 * What a wave needs of one MINUTE-precision strike report: its window and its counts.
 *
 * @param destroyed null when the report does not give it
 */
public record WaveMember(String id, long start, long end, WeaponClass weaponClass, String weaponModel,
                         int launched, Integer destroyed) {

  /** Only reports with a time (MINUTE precision) form waves; date-only reports join none. */
  public static boolean formsWaves(StrikeReport report) {
    return report != null && report.getTimePrecision() == TimePrecision.MINUTE;
  }

  public static WaveMember of(StrikeReport report) {
    return new WaveMember(report.getId(), report.getTimeStart().toEpochMilli(), report.getTimeEnd().toEpochMilli(),
        report.getWeaponClass(), report.getWeaponModel(), report.getLaunched(), report.getDestroyed());
  }
}
