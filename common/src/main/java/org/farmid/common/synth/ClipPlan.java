package org.farmid.common.synth;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** One video file of the synthetic archive: where, when, how lit, and who is in it. */
public record ClipPlan(
    int camera,
    int day,
    LocalDate date,
    LocalTime start,
    int frames,
    Lighting lighting,
    List<HerdMember> members,
    long seed) {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH-mm-ss");

  public static String cameraName(int camera) {
    return String.format("cam%02d", camera + 1);
  }

  /**
   * Path of the clip below the archive root, without extension: {@code cam01/2026-01-05/07-12-40}.
   */
  public String relativeStem() {
    return cameraName(camera) + "/" + date + "/" + start.format(TIME);
  }
}
