package org.farmid.common.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;

/**
 * MOTChallenge ground truth and CVAT's "MOT 1.1" export: one line per box, {@code
 * frame,track,left,top,width,height[,not_ignored[,class[,visibility]]]}, frames counted from 1.
 * CVAT writes the class as a 1-based line number of {@code labels.txt}. Rows marked ignored ({@code
 * not_ignored = 0}) are left out.
 */
public final class MotLabels {

  private MotLabels() {}

  /**
   * Reads the rows. Refused, with the file and line: fewer than 6 fields, a field that is not a
   * number, a frame below 1, a size that is not positive, a visibility outside [0, 1], a class
   * outside {@code 1..classCount} (checked only when {@code classCount > 0}, that is when a {@code
   * labels.txt} names the classes).
   */
  public static List<GroundTruthRow> parse(String file, List<String> lines, int classCount) {
    List<GroundTruthRow> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      int lineNo = i + 1;
      String[] f = line.split("\\s*,\\s*");
      if (f.length < 6) {
        throw new LabelFormatException(
            file,
            lineNo,
            f.length
                + " fields; expected frame,track,left,top,width,height[,not_ignored,class,"
                + "visibility]");
      }
      double[] v = new double[f.length];
      for (int k = 0; k < f.length; k++) {
        try {
          v[k] = Double.parseDouble(f[k]);
        } catch (NumberFormatException e) {
          throw new LabelFormatException(
              file, lineNo, "field " + (k + 1) + " '" + f[k] + "' is not a number");
        }
        if (!Double.isFinite(v[k])) {
          throw new LabelFormatException(
              file, lineNo, "field " + (k + 1) + " '" + f[k] + "' is not a finite number");
        }
      }
      if (v[0] < 1 || v[0] != Math.rint(v[0])) {
        throw new LabelFormatException(
            file, lineNo, "frame " + f[0] + " must be a whole number from 1 (the first frame)");
      }
      if (!(v[4] > 0 && v[5] > 0)) {
        throw new LabelFormatException(
            file, lineNo, "box size " + f[4] + "x" + f[5] + " must be positive");
      }
      if (f.length >= 7 && v[6] == 0) {
        continue;
      }
      if (f.length >= 8 && classCount > 0 && (v[7] < 1 || v[7] > classCount)) {
        throw new LabelFormatException(
            file,
            lineNo,
            String.format(
                Locale.ROOT,
                "unknown class %s; labels.txt names %d class%s (1 to %d)",
                f[7],
                classCount,
                classCount == 1 ? "" : "es",
                classCount));
      }
      double visibility = f.length >= 9 ? v[8] : 1.0;
      if (!(visibility >= 0 && visibility <= 1)) {
        throw new LabelFormatException(file, lineNo, "visibility " + f[8] + " is outside [0, 1]");
      }
      rows.add(
          new GroundTruthRow((int) v[0], (int) v[1], new Box(v[2], v[3], v[4], v[5]), visibility));
    }
    return rows;
  }
}
