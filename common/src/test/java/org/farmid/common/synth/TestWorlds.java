package org.farmid.common.synth;

import java.time.LocalDate;

/** Small synthetic worlds for tests. */
public final class TestWorlds {
  private TestWorlds() {}

  /** One small pen: 640x360, 5 fps, 30 s of one day. */
  public static SynthSettings smallPen(long seed) {
    return settings(seed, 1, 1, 0.5, 0.5, 8, 1, 0.0, 0);
  }

  public static SynthSettings settings(
      long seed,
      int cameras,
      int days,
      double minutes,
      double clipMinutes,
      int animals,
      int visitors,
      double nightFraction,
      int herdChanges) {
    return new SynthSettings(
        seed,
        cameras,
        days,
        minutes,
        clipMinutes,
        animals,
        visitors,
        5,
        640,
        360,
        nightFraction,
        herdChanges,
        2,
        400,
        LocalDate.of(2026, 1, 5),
        1);
  }
}
