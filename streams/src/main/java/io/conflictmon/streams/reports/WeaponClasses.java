package io.conflictmon.streams.reports;

import io.conflictmon.avro.WeaponClass;

/** The drone/missile split every aggregate uses. */
public final class WeaponClasses {

  private WeaponClasses() {
  }

  /**
   * Drones are ATTACK_DRONE and OTHER_DRONE; every other class, UNKNOWN included, counts as a
   * missile (the contract in StrikeReport.avsc). On the real data the importer classifies every
   * model, so UNKNOWN only arises from a producer that sends a class this reader does not know;
   * it stays visible as {@code UNKNOWN} in the per-class maps.
   */
  public static boolean isDrone(WeaponClass weaponClass) {
    return weaponClass == WeaponClass.ATTACK_DRONE || weaponClass == WeaponClass.OTHER_DRONE;
  }
}
