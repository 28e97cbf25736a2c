package org.farmid.common.synth;

/** How a clip is lit; follows the clock. */
public enum Lighting {
  DAY,
  DUSK,
  /** Infrared at night: grey, noisy, low contrast. */
  NIGHT_IR;

  public static Lighting atHour(int hour) {
    if (hour < 6 || hour >= 21) {
      return NIGHT_IR;
    }
    if (hour == 6 || hour >= 19) {
      return DUSK;
    }
    return DAY;
  }
}
