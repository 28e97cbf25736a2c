package org.farmid.models.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.farmid.common.labels.MotLabels;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.video.VideoFrame;
import org.farmid.models.video.SegmentDecoder;

/**
 * A video with MOT or CVAT "MOT 1.1" ground truth beside it: {@code NAME.txt} next to {@code
 * NAME.mp4}, or {@code gt/gt.txt} (with the class names in {@code gt/labels.txt}) in its folder.
 * Frame {@code n} of the text is the video's frame {@code n - 1}.
 */
public final class MotVideoFrames implements LabelledFrames {
  private final Path video;
  private final Path text;
  private final Map<Integer, List<GroundTruthRow>> byFrame;

  private MotVideoFrames(Path video, Path text, Map<Integer, List<GroundTruthRow>> byFrame) {
    this.video = video;
    this.text = text;
    this.byFrame = byFrame;
  }

  /** Finds and checks the video's ground truth; the error names the file and line. */
  public static MotVideoFrames of(Path video) throws IOException {
    String name = video.getFileName().toString();
    Path dir = video.toAbsolutePath().getParent();
    Path beside = dir.resolve(name.substring(0, name.lastIndexOf('.')) + ".txt");
    Path gt = dir.resolve("gt").resolve("gt.txt");
    Path text = Files.isRegularFile(beside) ? beside : gt;
    if (!Files.isRegularFile(text)) {
      throw new IOException(
          "video " + video + " has no MOT ground truth (expected " + beside + " or " + gt + ")");
    }
    Path labels = text.resolveSibling("labels.txt");
    int classes = 0;
    if (Files.isRegularFile(labels)) {
      classes =
          (int)
              Files.readAllLines(labels, StandardCharsets.UTF_8).stream()
                  .filter(l -> !l.isBlank())
                  .count();
    }
    Map<Integer, List<GroundTruthRow>> byFrame = new TreeMap<>();
    for (GroundTruthRow r :
        MotLabels.parse(
            text.toString(), Files.readAllLines(text, StandardCharsets.UTF_8), classes)) {
      byFrame.computeIfAbsent(r.frame(), k -> new ArrayList<>()).add(r);
    }
    return new MotVideoFrames(video, text, byFrame);
  }

  @Override
  public String describe() {
    return "MOT " + text.toAbsolutePath().normalize() + " of " + video.toAbsolutePath().normalize();
  }

  @Override
  public void forEach(int step, Visitor visitor) throws IOException {
    try (SegmentDecoder d = SegmentDecoder.open(video)) {
      for (VideoFrame f = d.next(); f != null; f = d.next()) {
        if (f.index() % step == 0) {
          visitor.accept(
              new Labelled(
                  video.getFileName().toString(),
                  f,
                  byFrame.getOrDefault(f.index() + 1, List.of())));
        }
      }
    }
  }
}
