package org.farmid.models.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.video.VideoFrame;
import org.farmid.models.video.SegmentDecoder;

/**
 * Frames of an archive with MOT-style ground truth beside it ({@code ROOT/archive/**.mp4} and
 * {@code ROOT/ground-truth/**.txt}, as {@code farmid synth} writes them), every {@code step}-th
 * frame.
 */
public final class SynthFrames implements LabelledFrames {

  private final Path root;

  private SynthFrames(Path root) {
    this.root = root;
  }

  /** The archive below {@code root} as a labelled source. */
  public static SynthFrames of(Path root) {
    return new SynthFrames(root);
  }

  /** The archive's root folder. */
  public Path root() {
    return root;
  }

  @Override
  public String describe() {
    return "synth archive " + root.toAbsolutePath().normalize();
  }

  @Override
  public void forEach(int step, Visitor visitor) throws IOException {
    forEach(root, step, visitor);
  }

  public static List<Path> videos(Path root) throws IOException {
    Path archive = root.resolve("archive");
    if (!Files.isDirectory(archive)) {
      throw new IOException(
          "no archive/ folder in " + root + " (expected the output folder of farmid synth)");
    }
    try (Stream<Path> walk = Files.walk(archive)) {
      return walk.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
    }
  }

  public static void forEach(Path root, int step, Visitor visitor) throws IOException {
    for (Path video : videos(root)) {
      String rel = root.resolve("archive").relativize(video).toString();
      Path truth =
          root.resolve("ground-truth").resolve(rel.substring(0, rel.length() - 4) + ".txt");
      if (!Files.isRegularFile(truth)) {
        throw new IOException("video " + video + " has no ground truth at " + truth);
      }
      Map<Integer, List<GroundTruthRow>> byFrame = new TreeMap<>();
      for (String line : Files.readAllLines(truth)) {
        if (!line.isBlank()) {
          GroundTruthRow row = GroundTruthRow.parseMotLine(line);
          byFrame.computeIfAbsent(row.frame(), k -> new ArrayList<>()).add(row);
        }
      }
      try (SegmentDecoder d = SegmentDecoder.open(video)) {
        for (VideoFrame f = d.next(); f != null; f = d.next()) {
          if (f.index() % step == 0) {
            visitor.accept(new Labelled(rel, f, byFrame.getOrDefault(f.index() + 1, List.of())));
          }
        }
      }
    }
  }
}
