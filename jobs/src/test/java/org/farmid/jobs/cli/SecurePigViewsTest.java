package org.farmid.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.farmid.jobs.cli.FarmIdCliTest.farmid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-labelled views of the real SecurePig clips ({@code src/test/resources/securepig-views}:
 * a COCO file with a box on every pig of 24 camera views, and the {@code frames.csv} that names
 * each view's clip, camera tile and frame) rebuilt from {@code ../shared/data} the way a farm
 * rebuilds its labelled set: {@code export-frames --frames} with the clips' 2x2 mosaic layout. The
 * boxes must land on the pigs of the rebuilt images (pale animals on a dark floor), so a wrong
 * tile, frame or scale fails here before any detector figure is reported on these views.
 */
class SecurePigViewsTest {
  private static final Path VIEWS =
      Path.of(System.getProperty("basedir", "."), "src/test/resources/securepig-views");
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path clips() {
    return SharedData.require("securepig-clips");
  }

  @Test
  void theLabelledViewsAreRebuiltFromTheClipsAndTheBoxesLieOnThePigs(@TempDir Path dir)
      throws IOException {
    Path clips = clips();
    Path out = dir.resolve("views");
    Path json = dir.resolve("export.json");
    FarmIdCliTest.Result ex =
        farmid(
            "export-frames",
            "--archive",
            clips.toString(),
            "--frames",
            VIEWS.resolve("frames.csv").toString(),
            "--labels",
            VIEWS.resolve("annotations.json").toString(),
            "--out",
            out.toString(),
            "--conf",
            VIEWS.resolve("mosaic.conf").toString(),
            "--json",
            json.toString());
    assertThat(ex.code()).as(ex.err()).isZero();
    assertThat(JSON.readTree(json.toFile()).get("frames_written").asInt()).isEqualTo(24);
    assertThat(Files.readAllLines(out.resolve("frames.csv")))
        .isEqualTo(Files.readAllLines(VIEWS.resolve("frames.csv")));

    CocoLabels.Dataset labels =
        CocoLabels.parse("annotations.json", Files.readString(VIEWS.resolve("annotations.json")));
    assertThat(labels.images()).hasSize(24);
    assertThat(labels.images().stream().mapToInt(i -> i.boxes().size()).sum()).isEqualTo(167);
    double inside = 0;
    double outside = 0;
    long nInside = 0;
    long nOutside = 0;
    for (CocoLabels.Image im : labels.images()) {
      BufferedImage img = ImageIO.read(out.resolve("images").resolve(im.fileName()).toFile());
      assertThat(img.getWidth()).as(im.fileName()).isEqualTo(640);
      assertThat(img.getHeight()).as(im.fileName()).isEqualTo(360);
      for (int y = 0; y < img.getHeight(); y += 2) {
        for (int x = 0; x < img.getWidth(); x += 2) {
          int rgb = img.getRGB(x, y);
          double luma =
              0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
          if (covered(im.boxes(), x, y)) {
            inside += luma;
            nInside++;
          } else {
            outside += luma;
            nOutside++;
          }
        }
      }
    }
    // Measured on the labelled views: the boxes' pixels average a luma of 136, the rest 111 (a
    // difference of 25); the same boxes moved a quarter or half a view to the right differ by
    // under 4.
    assertThat(inside / nInside - outside / nOutside).isGreaterThan(15);

    Path evalJson = dir.resolve("eval.json");
    FarmIdCliTest.Result eval =
        farmid(
            "eval-detector",
            "--model",
            Path.of(System.getProperty("basedir", "."), "..", "models", "detector-default")
                .toString(),
            "--archive",
            out.toString(),
            "--json",
            evalJson.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    JsonNode figures = JSON.readTree(evalJson.toFile());
    assertThat(figures.get("frames").asInt()).isEqualTo(24);
    assertThat(figures.get("ground_truth_boxes").asInt()).isEqualTo(167);

    // Part of the set: the views of two of the four cameras, from a filtered frames file.
    Path half = dir.resolve("half.csv");
    Files.write(
        half,
        Files.readAllLines(VIEWS.resolve("frames.csv")).stream()
            .filter(
                l ->
                    l.startsWith("file_name")
                        || l.startsWith("D68VOGH21_")
                        || l.startsWith("D68VOGH22_"))
            .toList());
    FarmIdCliTest.Result part =
        farmid(
            "export-frames",
            "--archive",
            clips.toString(),
            "--frames",
            half.toString(),
            "--labels",
            VIEWS.resolve("annotations.json").toString(),
            "--out",
            dir.resolve("half").toString(),
            "--conf",
            VIEWS.resolve("mosaic.conf").toString());
    assertThat(part.code()).as(part.err()).isZero();
    CocoLabels.Dataset halfLabels =
        CocoLabels.parse(
            "annotations.json", Files.readString(dir.resolve("half/annotations.json")));
    assertThat(halfLabels.images()).hasSize(12);
    assertThat(halfLabels.images().stream().mapToInt(i -> i.boxes().size()).sum()).isEqualTo(83);

    // The pigs' overlay numbers make a real identity set: 115 boxes of 20 pigs; each pig's three
    // crops of the Displacement clip enrol it, those of Fleeing (12 minutes earlier) are queries.
    Path crops = dir.resolve("crops");
    Path cutJson = dir.resolve("cut.json");
    FarmIdCliTest.Result cut =
        farmid(
            "cut-crops",
            "--labels",
            out.toString(),
            "--out",
            crops.toString(),
            "--enrol-first",
            "Displacement",
            "--json",
            cutJson.toString());
    assertThat(cut.code()).as(cut.err()).isZero();
    JsonNode c = JSON.readTree(cutJson.toFile());
    assertThat(c.get("animals").asInt()).isEqualTo(20);
    assertThat(c.get("crops").asInt()).isEqualTo(115);
    assertThat(c.get("boxes_without_identity").asInt()).isEqualTo(52);
    assertThat(c.get("boxes_outside_frame").asInt()).isZero();
    assertThat(c.get("enrolment_crops").asInt()).isEqualTo(60);
    // Again into the same folder, or from labels that name no animal (YOLO): refused.
    FarmIdCliTest.Result again =
        farmid("cut-crops", "--labels", out.toString(), "--out", crops.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("--out " + crops + " is not empty");
    Path faropig = clips.resolveSibling("faropig");
    if (Files.isDirectory(faropig)) {
      FarmIdCliTest.Result yolo =
          farmid(
              "cut-crops",
              "--labels",
              faropig.toString(),
              "--out",
              dir.resolve("yolo-crops").toString());
      assertThat(yolo.code()).isEqualTo(2);
      assertThat(yolo.err()).contains("none of its 50 boxes names an animal");
    }
    List<String> split = Files.readAllLines(crops.resolve("split.csv"));
    assertThat(split.stream().filter(l -> l.endsWith(",train")))
        .allMatch(l -> l.contains("Displacement"));
    assertThat(split.stream().filter(l -> l.endsWith(",val")))
        .hasSize(55)
        .allMatch(l -> l.contains("Fleeing"));

    // The overlay's numbers name the pigs: cut with them masked, the same crops and split, each
    // crop the same size, and none left as it was (every pig has its number drawn on it).
    Path masked = dir.resolve("masked");
    FarmIdCliTest.Result cutMasked =
        farmid(
            "cut-crops",
            "--labels",
            out.toString(),
            "--out",
            masked.toString(),
            "--enrol-first",
            "Displacement",
            "--mask-overlay",
            "50");
    assertThat(cutMasked.code()).as(cutMasked.err()).isZero();
    assertThat(Files.readAllLines(masked.resolve("split.csv"))).isEqualTo(split);
    for (String line : split.subList(1, split.size())) {
      String rel = line.split(",")[0];
      BufferedImage plain = ImageIO.read(crops.resolve(rel).toFile());
      BufferedImage hidden = ImageIO.read(masked.resolve(rel).toFile());
      assertThat(hidden.getWidth()).as(rel).isEqualTo(plain.getWidth());
      assertThat(hidden.getHeight()).as(rel).isEqualTo(plain.getHeight());
      assertThat(
              hidden.getRGB(
                  0, 0, hidden.getWidth(), hidden.getHeight(), null, 0, hidden.getWidth()))
          .as(rel)
          .isNotEqualTo(
              plain.getRGB(0, 0, plain.getWidth(), plain.getHeight(), null, 0, plain.getWidth()));
    }
    FarmIdCliTest.Result badMask =
        farmid(
            "cut-crops",
            "--labels",
            out.toString(),
            "--out",
            dir.resolve("bad-mask").toString(),
            "--mask-overlay",
            "300");
    assertThat(badMask.code()).isEqualTo(2);
    assertThat(badMask.err()).contains("--mask-overlay must lie in [1, 255]");
  }

  private static boolean covered(List<GroundTruthRow> boxes, int x, int y) {
    for (GroundTruthRow r : boxes) {
      if (x >= r.box().left()
          && x < r.box().left() + r.box().width()
          && y >= r.box().top()
          && y < r.box().top() + r.box().height()) {
        return true;
      }
    }
    return false;
  }
}
