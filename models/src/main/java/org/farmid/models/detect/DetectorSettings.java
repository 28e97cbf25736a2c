package org.farmid.models.detect;

import com.typesafe.config.Config;
import java.nio.file.Path;
import org.farmid.common.config.SettingsReader;
import org.farmid.models.tf.AdamFeed;

/**
 * The {@code farmid.detector} section, checked: the detector's training recipe. Each key is also a
 * flag of {@code train-detector} with the same name, so every problem names both.
 */
public record DetectorSettings(DetectorTrainer.Options training, DetectorTrainer.Zoom zoom) {
  public static final String SECTION = "farmid.detector";

  public static DetectorSettings from(Config config) {
    SettingsReader r = new SettingsReader(config, SECTION);
    int[] input = r.sizeAtLeast("input-size", 64);
    int stride = r.intAtLeast("stride", 1);
    if (stride != 4 && stride != 8) {
      r.problem(key(r, "stride") + " must be 4 or 8, got " + stride);
    } else {
      int multiple = DetectorGraph.inputMultiple(stride);
      if (input[0] % multiple != 0 || input[1] % multiple != 0) {
        r.problem(
            key(r, "input-size")
                + ": both sides must be multiples of "
                + multiple
                + " at --stride "
                + stride
                + ", got "
                + input[0]
                + "x"
                + input[1]);
      }
    }
    int width = r.intAtLeast("width", 4);
    double giou = nonNegative(r, "giou-weight");
    int epochs = r.intAtLeast("epochs", 0);
    int batch = r.intAtLeast("batch", 1);
    double lr = r.positiveDouble("learning-rate");
    String schedule = r.string("learning-rate-schedule");
    String badSchedule = AdamFeed.unknownSchedule(schedule);
    if (badSchedule != null) {
      r.problem(key(r, "learning-rate-schedule") + " " + badSchedule);
    }
    long seed = r.longValue("seed");
    int frameStep = r.intAtLeast("frame-step", 1);
    String flips = r.string("test-flips");
    try {
      DetectorTrainer.checkTestFlips(flips);
    } catch (IllegalArgumentException e) {
      r.problem(key(r, "test-flips") + ": " + e.getMessage());
    }
    double sigma = nonNegative(r, "soft-nms-sigma");
    double zoomShare = r.doubleValue("zoom-share");
    if (!(zoomShare >= 0 && zoomShare <= 1)) {
      r.problem(key(r, "zoom-share") + " must be from 0 to 1, got " + zoomShare);
    }
    double zoomMax = r.doubleValue("zoom-max");
    if (!(zoomMax >= 1)) {
      r.problem(key(r, "zoom-max") + " must be 1 or more, got " + zoomMax);
    }
    r.throwIfInvalid();
    return new DetectorSettings(
        new DetectorTrainer.Options(
            input[0],
            input[1],
            width,
            stride,
            (float) giou,
            epochs,
            batch,
            (float) lr,
            schedule,
            seed,
            frameStep,
            flips,
            (float) sigma,
            null),
        new DetectorTrainer.Zoom(zoomShare, zoomMax));
  }

  /** The trainer's options, starting from {@code initFrom} (null: from scratch). */
  public DetectorTrainer.Options options(Path initFrom) {
    return training.withInitFrom(initFrom);
  }

  private static double nonNegative(SettingsReader r, String key) {
    double v = r.doubleValue(key);
    if (!(v >= 0)) {
      r.problem(key(r, key) + " must be 0 or more, got " + v);
    }
    return v;
  }

  private static String key(SettingsReader r, String key) {
    return "key '" + r.pathOf(key) + "' (--" + key + ")";
  }
}
