package org.farmid.common.labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * YOLO (Ultralytics) labels: a {@code data.yaml} naming the classes and the image folders of each
 * split, and one text file per image whose lines are {@code class cx cy w h} (a box) or {@code
 * class x1 y1 x2 y2 ...} (a segmentation polygon, which becomes its enclosing box), every value but
 * the class normalised to the image's width and height.
 */
public final class YoloLabels {

  /**
   * What {@code data.yaml} says.
   *
   * @param names class names by class number
   * @param splits image folder of each split given ({@code train}, {@code val}, {@code test}),
   *     relative to {@code path} or to the file's folder
   * @param path the dataset root the file names, or null
   */
  public record DataYaml(List<String> names, Map<String, String> splits, String path) {}

  private YoloLabels() {}

  /** Reads {@code data.yaml}; the error names the file, the line and the key. */
  public static DataYaml parseDataYaml(String file, String text) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (MarkedYAMLException e) {
      throw new LabelFormatException(
          file, e.getProblemMark().getLine() + 1, "not YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new LabelFormatException(file, 0, "not YAML: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new LabelFormatException(
          file, 0, "expected a mapping with the keys names (and nc, train, val, test)");
    }
    Object rawNames = map.get("names");
    List<String> names = new ArrayList<>();
    if (rawNames instanceof List<?> list) {
      list.forEach(n -> names.add(String.valueOf(n)));
    } else if (rawNames instanceof Map<?, ?> byNumber) {
      Map<Integer, String> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : byNumber.entrySet()) {
        if (!(e.getKey() instanceof Integer k) || k < 0) {
          throw new LabelFormatException(
              file, 0, "names: key " + e.getKey() + " is not a class number (0, 1, ...)");
        }
        sorted.put(k, String.valueOf(e.getValue()));
      }
      int expect = 0;
      for (Map.Entry<Integer, String> e : sorted.entrySet()) {
        if (e.getKey() != expect++) {
          throw new LabelFormatException(
              file, 0, "names: class numbers must run 0, 1, 2, ... without gaps");
        }
        names.add(e.getValue());
      }
    } else {
      throw new LabelFormatException(
          file, 0, "names: expected a list of class names or a map of class number to name");
    }
    if (names.isEmpty()) {
      throw new LabelFormatException(file, 0, "names: no class given");
    }
    Object nc = map.get("nc");
    if (nc != null && !(nc instanceof Integer n && n == names.size())) {
      throw new LabelFormatException(
          file, 0, "nc is " + nc + " but names lists " + names.size() + " classes");
    }
    Map<String, String> splits = new LinkedHashMap<>();
    for (String split : List.of("train", "val", "test")) {
      Object v = map.get(split);
      if (v instanceof String s && !s.isBlank()) {
        splits.put(split, s.trim());
      } else if (v instanceof List<?> l && !l.isEmpty()) {
        splits.put(split, String.valueOf(l.get(0)).trim());
      }
    }
    Object path = map.get("path");
    return new DataYaml(List.copyOf(names), splits, path == null ? null : String.valueOf(path));
  }

  /**
   * Reads one image's label file into boxes in the image's pixels (frame 1, ids by line, full
   * visibility). Refused, with the file and line: a line that is neither a box nor a polygon, a
   * value that is not a number or lies outside [0, 1], a class outside {@code 0..classCount-1}.
   */
  public static List<GroundTruthRow> parse(
      String file, List<String> lines, int classCount, int width, int height) {
    List<GroundTruthRow> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      int lineNo = i + 1;
      String[] f = line.split("\\s+");
      if (f.length != 5 && (f.length < 7 || f.length % 2 == 0)) {
        throw new LabelFormatException(
            file,
            lineNo,
            f.length
                + " values; expected 5 for a box (class cx cy w h) or an odd number of at least 7"
                + " for a polygon (class x1 y1 x2 y2 x3 y3 ...)");
      }
      int cls;
      try {
        cls = Integer.parseInt(f[0]);
      } catch (NumberFormatException e) {
        throw new LabelFormatException(
            file, lineNo, "class '" + f[0] + "' is not a class number (0, 1, ...)");
      }
      if (cls < 0 || cls >= classCount) {
        throw new LabelFormatException(
            file,
            lineNo,
            "unknown class "
                + cls
                + "; data.yaml names "
                + classCount
                + (classCount == 1 ? " class (0)" : " classes (0 to " + (classCount - 1) + ")"));
      }
      double[] v = new double[f.length - 1];
      for (int k = 1; k < f.length; k++) {
        double x;
        try {
          x = Double.parseDouble(f[k]);
        } catch (NumberFormatException e) {
          throw new LabelFormatException(
              file, lineNo, "value " + k + " '" + f[k] + "' is not a number");
        }
        if (!(x >= 0 && x <= 1)) {
          throw new LabelFormatException(
              file,
              lineNo,
              String.format(
                  Locale.ROOT,
                  "value %d (%s) is outside [0, 1]; YOLO coordinates are fractions of the image's"
                      + " width and height",
                  k,
                  f[k]));
        }
        v[k - 1] = x;
      }
      Box box;
      if (v.length == 4) {
        box =
            new Box(
                (v[0] - v[2] / 2) * width, (v[1] - v[3] / 2) * height, v[2] * width, v[3] * height);
      } else {
        double x0 = 1;
        double y0 = 1;
        double x1 = 0;
        double y1 = 0;
        for (int k = 0; k < v.length; k += 2) {
          x0 = Math.min(x0, v[k]);
          x1 = Math.max(x1, v[k]);
          y0 = Math.min(y0, v[k + 1]);
          y1 = Math.max(y1, v[k + 1]);
        }
        box = new Box(x0 * width, y0 * height, (x1 - x0) * width, (y1 - y0) * height);
      }
      rows.add(new GroundTruthRow(1, GroundTruthRow.NO_IDENTITY, box, 1.0));
    }
    return rows;
  }
}
