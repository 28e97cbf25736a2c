package org.farmid.common.synth;

import com.typesafe.config.Config;
import java.time.LocalDate;
import org.farmid.common.config.SettingsReader;

/**
 * What {@code farmid synth} generates; read from the {@code farmid.synth} section.
 *
 * @param minutes footage per camera per day, cut into clips of {@code clipMinutes}
 * @param animals registered animals per pen at the start
 * @param visitors unregistered animals per pen
 * @param nightFraction share of all clips filmed at night under infrared light
 * @param herdChanges how many times an animal leaves and a new one joins at a day boundary
 */
public record SynthSettings(
    long seed,
    int cameras,
    int days,
    double minutes,
    double clipMinutes,
    int animals,
    int visitors,
    int fps,
    int width,
    int height,
    double nightFraction,
    int herdChanges,
    int enrolCrops,
    int bitrateKbps,
    LocalDate startDate,
    int threads) {

  public static final String SECTION = "farmid.synth";

  /** Reads and checks the section; every problem is named with its key. */
  public static SynthSettings from(Config config) {
    SettingsReader r = new SettingsReader(config, SECTION);
    SynthSettings s =
        new SynthSettings(
            r.longValue("seed"),
            r.intAtLeast("cameras", 1),
            r.intAtLeast("days", 1),
            r.positiveDouble("minutes"),
            r.positiveDouble("clip-minutes"),
            r.intAtLeast("animals", 1),
            r.intAtLeast("visitors", 0),
            r.intAtLeast("fps", 1),
            r.evenIntAtLeast("width", 64),
            r.evenIntAtLeast("height", 64),
            r.doubleBetween("night-fraction", 0, 1),
            r.intAtLeast("herd-changes", 0),
            r.intAtLeast("enrol-crops", 0),
            r.intAtLeast("bitrate-kbps", 50),
            r.date("start-date"),
            r.intAtLeast("threads", 1));
    if (s.herdChanges > 0 && s.days < 2) {
      r.problem(
          "key '"
              + r.pathOf("herd-changes")
              + "' needs at least 2 days (animals join and leave between days), but '"
              + r.pathOf("days")
              + "' is "
              + s.days);
    }
    if (s.minutes > 0 && s.clipMinutes > 0 && Math.ceil(s.minutes / s.clipMinutes) > 9) {
      r.problem(
          "keys '"
              + r.pathOf("minutes")
              + "' / '"
              + r.pathOf("clip-minutes")
              + "' give more than 9 clips per camera and day; raise clip-minutes");
    }
    r.throwIfInvalid();
    return s;
  }

  /** Frames in a clip of the given length. */
  public int framesIn(double seconds) {
    return (int) Math.round(seconds * fps);
  }
}
