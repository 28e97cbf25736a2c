package org.farmid.common.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.farmid.common.gallery.HerdRegister;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;

/**
 * Ground truth for an archive, in the layout {@code farmid synth} writes: MOTChallenge files under
 * {@code ground-truth/} mirroring the archive's folders ({@code cam01/2026-01-05/18-14-56.txt} for
 * {@code archive/cam01/2026-01-05/18-14-56.mp4}), the herd register {@code animals.csv} and the
 * unregistered {@code visitors.csv} beside it.
 *
 * @param rows every box; {@code videoKey} is the file's path below the ground-truth folder without
 *     its extension, {@code frameIndex} is 0-based
 */
public record GroundTruthSet(List<Truth> rows, HerdRegister register, Set<String> visitors)
    implements java.io.Serializable {

  /** One ground-truth box of one frame. */
  public record Truth(String videoKey, int frameIndex, String animalId, Box box, double visibility)
      implements java.io.Serializable {}

  /**
   * The key shared by a video file and its ground-truth file: the video's path below the archive
   * without its extension.
   */
  public static String videoKey(String videoId) {
    int slash = videoId.lastIndexOf('/');
    int dot = videoId.lastIndexOf('.');
    return dot > slash ? videoId.substring(0, dot) : videoId;
  }

  /**
   * The label a classifier should give this animal: its id when registered (or when there is no
   * register and it is no visitor), else {@code unknown}.
   */
  public String truthLabel(String animalId) {
    if (visitors.contains(animalId)) {
      return org.farmid.common.gallery.OpenSetClassifier.UNKNOWN;
    }
    if (!register.isEmpty() && !register.stays().containsKey(animalId)) {
      return org.farmid.common.gallery.OpenSetClassifier.UNKNOWN;
    }
    return animalId;
  }

  /**
   * Reads {@code root}: a folder holding {@code ground-truth/}, or the ground-truth folder itself
   * (then the register and visitors are looked for in its parent).
   */
  public static GroundTruthSet read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("ground truth folder " + root + " does not exist");
    }
    Path gt = Files.isDirectory(root.resolve("ground-truth")) ? root.resolve("ground-truth") : root;
    Path meta = gt.equals(root) && root.getParent() != null ? root.getParent() : root;
    List<Truth> rows = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(gt)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no MOTChallenge .txt files under " + gt);
    }
    for (Path f : files) {
      String rel = gt.relativize(f).toString().replace('\\', '/');
      String key = rel.substring(0, rel.length() - ".txt".length());
      List<String> lines = Files.readAllLines(f);
      for (int n = 0; n < lines.size(); n++) {
        if (lines.get(n).isBlank()) {
          continue;
        }
        try {
          GroundTruthRow r = GroundTruthRow.parseMotLine(lines.get(n));
          rows.add(
              new Truth(key, r.frame() - 1, Integer.toString(r.id()), r.box(), r.visibility()));
        } catch (IllegalArgumentException e) {
          throw new IOException(f + " line " + (n + 1) + ": " + e.getMessage());
        }
      }
    }
    HerdRegister register =
        Files.isRegularFile(meta.resolve("animals.csv"))
            ? HerdRegister.read(meta.resolve("animals.csv"))
            : HerdRegister.empty();
    Set<String> visitors = new HashSet<>();
    Path v = meta.resolve("visitors.csv");
    if (Files.isRegularFile(v)) {
      List<String> lines = Files.readAllLines(v);
      for (int n = 1; n < lines.size(); n++) {
        if (!lines.get(n).isBlank()) {
          visitors.add(lines.get(n).split(",", -1)[0].trim());
        }
      }
    }
    return new GroundTruthSet(List.copyOf(rows), register, Set.copyOf(visitors));
  }
}
