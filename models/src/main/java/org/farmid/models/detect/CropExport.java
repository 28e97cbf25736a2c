package org.farmid.models.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.farmid.common.geom.Box;
import org.farmid.common.image.OverlayMask;
import org.farmid.common.labels.CropCut;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.video.VideoFrame;

/**
 * Cuts the boxes of labelled frames that name an animal out of their frames, one PNG per box in a
 * folder per animal ({@link CropCut} names and splits them), with {@code split.csv} beside them: a
 * farm's own footage and labels become enrolment crops ({@code enrol --crops}, {@code
 * train-embedder --crops}) and an identification test ({@code eval-crops --split-csv}).
 */
public final class CropExport {

  /**
   * What was cut; boxes without an identity, boxes of an identity with no pixel inside their frame
   * and boxes labelled less visible than asked are counted, not cut.
   */
  public record Outcome(
      int frames,
      int crops,
      int withoutIdentity,
      int outsideFrame,
      int lessVisible,
      int animals,
      int enrolment,
      int queries) {}

  private CropExport() {}

  /**
   * @param enrolFirst sources (a video or image name) whose crops enrol their animal before any
   *     other's
   * @param mask burnt-in text to hide in each frame before cutting ({@link OverlayMask}), or null
   *     to cut the pixels as they are
   * @param minVisibility boxes whose label gives a visible share below this (MOT's ninth column,
   *     synth's ground truth) are not cut: a crop of an animal mostly under its neighbours shows
   *     the neighbours; labels without a visibility count as fully visible
   */
  public static Outcome run(
      LabelledFrames source,
      int frameStep,
      int enrol,
      Predicate<String> enrolFirst,
      OverlayMask.Settings mask,
      double minVisibility,
      Path out,
      Consumer<String> progress)
      throws IOException {
    Set<String> firstPaths = new HashSet<>();
    Map<String, List<String>> byIdentity = new TreeMap<>();
    int[] frames = {0};
    int[] anonymous = {0};
    int[] outside = {0};
    int[] lessVisible = {0};
    source.forEach(
        frameStep,
        labelled -> {
          frames[0]++;
          VideoFrame f =
              mask == null ? labelled.frame() : OverlayMask.apply(labelled.frame(), mask);
          List<GroundTruthRow> rows = labelled.truth();
          for (int k = 0; k < rows.size(); k++) {
            GroundTruthRow r = rows.get(k);
            if (r.id() == GroundTruthRow.NO_IDENTITY) {
              anonymous[0]++;
              continue;
            }
            if (r.visibility() < minVisibility) {
              lessVisible[0]++;
              continue;
            }
            String identity = Integer.toString(r.id());
            String rel = CropCut.path(identity, labelled.video(), f.index(), k);
            Box b = r.box();
            int x0 = (int) Math.max(0, Math.floor(b.left()));
            int y0 = (int) Math.max(0, Math.floor(b.top()));
            int x1 = (int) Math.min(f.width(), Math.ceil(b.left() + b.width()));
            int y1 = (int) Math.min(f.height(), Math.ceil(b.top() + b.height()));
            if (x1 - x0 < 1 || y1 - y0 < 1) {
              outside[0]++;
              continue;
            }
            writePng(f.crop(x0, y0, x1 - x0, y1 - y0), out.resolve(rel));
            byIdentity.computeIfAbsent(identity, i -> new ArrayList<>()).add(rel);
            if (enrolFirst.test(labelled.video())) {
              firstPaths.add(rel);
            }
          }
          if (frames[0] % 50 == 0) {
            progress.accept(frames[0] + " frames cut");
          }
        });
    List<CropCut.Crop> crops = CropCut.split(byIdentity, enrol, firstPaths::contains);
    Files.createDirectories(out);
    Files.writeString(out.resolve("split.csv"), CropCut.csv(crops), StandardCharsets.UTF_8);
    long train = crops.stream().filter(c -> c.split().equals("train")).count();
    return new Outcome(
        frames[0],
        crops.size(),
        anonymous[0],
        outside[0],
        lessVisible[0],
        byIdentity.size(),
        (int) train,
        (int) (crops.size() - train));
  }

  private static void writePng(VideoFrame f, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(f.toImage(), "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }
}
