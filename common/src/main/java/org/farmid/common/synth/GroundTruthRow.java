package org.farmid.common.synth;

import org.farmid.common.geom.Box;

/**
 * One row of a MOTChallenge ground-truth file: {@code
 * frame,id,left,top,width,height,1,1,visibility}.
 *
 * @param frame 1-based frame number (frame 1 is at time 0)
 * @param id the animal (a track id), or {@link #NO_IDENTITY} where labels give boxes only
 * @param box the animal's whole extent clipped to the picture, even where others cover part of it
 * @param visibility share of the animal's body seen in the picture: 1 when nothing covers it and it
 *     is wholly inside the picture, less otherwise
 */
public record GroundTruthRow(int frame, int id, Box box, double visibility) {

  /** The id of a box whose labels name no animal (YOLO, COCO without a track id). */
  public static final int NO_IDENTITY = 0;

  /** The row as MOTChallenge text. */
  public String toMotLine() {
    return String.format(
        java.util.Locale.ROOT,
        "%d,%d,%d,%d,%d,%d,1,1,%.2f",
        frame,
        id,
        (long) box.left(),
        (long) box.top(),
        (long) box.width(),
        (long) box.height(),
        visibility);
  }

  /** Parses one line written by {@link #toMotLine()} (or any MOTChallenge gt line). */
  public static GroundTruthRow parseMotLine(String line) {
    String[] f = line.split(",");
    if (f.length < 6) {
      throw new IllegalArgumentException("not a MOTChallenge row (fewer than 6 fields): " + line);
    }
    double visibility = f.length >= 9 ? Double.parseDouble(f[8].trim()) : 1.0;
    return new GroundTruthRow(
        (int) Double.parseDouble(f[0].trim()),
        (int) Double.parseDouble(f[1].trim()),
        new Box(
            Double.parseDouble(f[2].trim()),
            Double.parseDouble(f[3].trim()),
            Double.parseDouble(f[4].trim()),
            Double.parseDouble(f[5].trim())),
        visibility);
  }
}
