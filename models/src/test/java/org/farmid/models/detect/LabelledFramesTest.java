package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.farmid.common.geom.Box;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.labels.LabelFormatException;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledFramesTest {

  private static List<LabelledFrames.Labelled> all(LabelledFrames source) throws IOException {
    List<LabelledFrames.Labelled> out = new ArrayList<>();
    source.forEach(1, out::add);
    return out;
  }

  @Test
  void faroPigsYoloPolygonsBecomeOneBoxPerPigOnTheRealFrames() throws IOException {
    Path faro = SharedData.require("faropig");
    List<LabelledFrames.Labelled> val = all(LabelledFrames.open(faro, "val"));
    // The dataset's README: 5 val frames holding 57 pigs, 5 train frames holding 50.
    assertThat(val).hasSize(5);
    assertThat(val.stream().mapToInt(f -> f.truth().size()).sum()).isEqualTo(57);
    assertThat(val).extracting(f -> f.truth().size()).containsExactly(7, 9, 16, 15, 10);
    for (LabelledFrames.Labelled f : val) {
      assertThat(f.frame().width() * f.frame().height()).isIn(704 * 576, 800 * 500);
      for (Box b : f.boxes()) {
        assertThat(b.left()).isGreaterThanOrEqualTo(0);
        assertThat(b.right()).isLessThanOrEqualTo(f.frame().width());
        assertThat(b.bottom()).isLessThanOrEqualTo(f.frame().height());
        assertThat(b.area()).isPositive();
      }
    }
    List<LabelledFrames.Labelled> train = all(LabelledFrames.open(faro.resolve("train"), "val"));
    assertThat(train.stream().mapToInt(f -> f.truth().size()).sum()).isEqualTo(50);
    assertThat(LabelledFrames.open(faro, "train").describe()).contains("train/images");
  }

  @Test
  void yoloBoxesCocoBoxesAndMissingImagesOnSmallFolders(@TempDir Path dir) throws IOException {
    Path yolo = dir.resolve("yolo");
    Files.createDirectories(yolo.resolve("images"));
    Files.createDirectories(yolo.resolve("labels"));
    ImageIO.write(
        new BufferedImage(40, 20, BufferedImage.TYPE_3BYTE_BGR),
        "png",
        yolo.resolve("images/a.png").toFile());
    ImageIO.write(
        new BufferedImage(40, 20, BufferedImage.TYPE_3BYTE_BGR),
        "png",
        yolo.resolve("images/b.png").toFile());
    Files.writeString(yolo.resolve("data.yaml"), "names: [pig]\n");
    Files.writeString(yolo.resolve("labels/a.txt"), "0 0.5 0.5 0.5 0.5\n");
    List<LabelledFrames.Labelled> frames = all(LabelledFrames.open(yolo, "train"));
    assertThat(frames)
        .extracting(LabelledFrames.Labelled::video)
        .containsExactly("images/a.png", "images/b.png");
    assertThat(frames.get(0).truth())
        .containsExactly(new GroundTruthRow(1, 0, new Box(10, 5, 20, 10), 1.0));
    // An image without a label file shows no animal.
    assertThat(frames.get(1).truth()).isEmpty();

    Files.writeString(yolo.resolve("labels/c.txt"), "0 0.5 0.5 0.5 0.5\n");
    assertThatThrownBy(() -> LabelledFrames.open(yolo, "train"))
        .isInstanceOf(LabelFormatException.class)
        .hasMessageContaining("labels/c.txt: no image c (.jpg, .jpeg, .png, .bmp) in ");
    Files.delete(yolo.resolve("labels/c.txt"));
    Files.writeString(yolo.resolve("labels/b.txt"), "0 0.5 0.5 0.5 0.5\n1 0.5 0.5 0.5 0.5\n");
    assertThatThrownBy(() -> LabelledFrames.open(yolo, "train"))
        .hasMessageEndingWith("labels/b.txt:2: unknown class 1; data.yaml names 1 class (0)");

    Path coco = dir.resolve("coco");
    Files.createDirectories(coco.resolve("images"));
    Files.copy(yolo.resolve("images/a.png"), coco.resolve("images/a.png"));
    String json =
        CocoLabels.write(
            List.of(
                new CocoLabels.Image(
                    1,
                    "a.png",
                    40,
                    20,
                    0,
                    List.of(new GroundTruthRow(1, 1, new Box(1, 2, 3, 4), 1.0)))),
            List.of("animal"));
    Files.writeString(coco.resolve("annotations.json"), json);
    List<LabelledFrames.Labelled> c = all(LabelledFrames.open(coco, "val"));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).boxes()).containsExactly(new Box(1, 2, 3, 4));
    Files.writeString(coco.resolve("annotations.json"), json.replace("a.png", "gone.png"));
    assertThatThrownBy(() -> LabelledFrames.open(coco.resolve("annotations.json"), "val"))
        .isInstanceOf(LabelFormatException.class)
        .hasMessageEndingWith(
            "annotations.json:5: image 1: file gone.png not found beside the file or in images/");
    Files.writeString(
        coco.resolve("annotations.json"), json.replace("\"width\" : 40", "\"width\" : 41"));
    assertThatThrownBy(() -> all(LabelledFrames.open(coco, "val")))
        .hasMessageEndingWith("annotations.json:5: image 1 (a.png) is 40x20, the file says 41x20");

    assertThatThrownBy(() -> LabelledFrames.open(dir.resolve("nothing"), "val"))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("nothing do not exist");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> LabelledFrames.open(empty, "val"))
        .hasMessageContaining("is no labelled source: expected a farmid synth archive");
  }
}
