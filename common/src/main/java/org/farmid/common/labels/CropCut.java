package org.farmid.common.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Where the crops cut out of labelled frames go, and which of them enrol each animal: a box with an
 * identity becomes {@code <identity>/<source>_<frame>_<k>.png} (k its place among the frame's
 * boxes), so an animal's crops sort by source and time; the first {@code enrol} of them in that
 * order form its gallery ({@code train}) and the rest are classified against it ({@code val}), as
 * {@code eval-crops --split-csv} reads them.
 */
public final class CropCut {

  /** One crop, its path relative to the output folder. */
  public record Crop(String path, String identity, String split) {}

  private CropCut() {}

  /** The crop's path below the output folder. */
  public static String path(String identity, String source, int frame, int k) {
    String stem =
        source
            .substring(source.lastIndexOf('/') + 1)
            .replaceFirst("(?i)[.](jpe?g|png|bmp|mp4|mkv|avi|mov)$", "");
    return String.format(Locale.ROOT, "%s/%s_%06d_%d.png", safe(identity), safe(stem), frame, k);
  }

  /**
   * Splits each animal's crops, in path order: the first {@code enrol} enrol it, the rest are
   * queries; an animal with no more than {@code enrol} crops only enrols.
   *
   * @return every crop, by identity and then path
   */
  public static List<Crop> split(Map<String, List<String>> pathsByIdentity, int enrol) {
    return split(pathsByIdentity, enrol, p -> false);
  }

  /**
   * As {@link #split(Map, int)}, but an animal's crops whose path {@code first} accepts come before
   * the others (enrolling from one clip or day and classifying another, say).
   */
  public static List<Crop> split(
      Map<String, List<String>> pathsByIdentity, int enrol, Predicate<String> first) {
    if (enrol < 1) {
      throw new IllegalArgumentException("crops to enrol each animal must be at least 1");
    }
    List<Crop> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : new TreeMap<>(pathsByIdentity).entrySet()) {
      List<String> paths =
          e.getValue().stream()
              .sorted(
                  Comparator.comparing((String p) -> first.test(p) ? 0 : 1)
                      .thenComparing(Comparator.naturalOrder()))
              .toList();
      for (int i = 0; i < paths.size(); i++) {
        out.add(new Crop(paths.get(i), e.getKey(), i < enrol ? "train" : "val"));
      }
    }
    return out;
  }

  /** The {@code path,identity,split} CSV of the crops. */
  public static String csv(List<Crop> crops) {
    StringBuilder sb = new StringBuilder("path,identity,split\n");
    for (Crop c : crops) {
      sb.append(c.path()).append(',').append(c.identity()).append(',').append(c.split());
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "-");
  }
}
