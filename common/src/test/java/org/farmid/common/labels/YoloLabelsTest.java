package org.farmid.common.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;
import org.junit.jupiter.api.Test;

class YoloLabelsTest {

  @Test
  void aBoxLineIsItsCentreAndSizeInTheImagesPixels() {
    List<GroundTruthRow> rows =
        YoloLabels.parse(
            "a.txt", List.of("0 0.5 0.25 0.2 0.1", "", "0 0.1 0.1 0.2 0.2"), 1, 200, 100);
    assertThat(rows)
        .containsExactly(
            new GroundTruthRow(1, 0, new Box(80, 20, 40, 10), 1.0),
            new GroundTruthRow(1, 0, new Box(0, 0, 40, 20), 1.0));
  }

  @Test
  void aPolygonBecomesItsEnclosingBox() {
    // Triangle (0.1,0.2) (0.4,0.8) (0.3,0.1) on 100x50: x 10..40, y 5..40.
    List<GroundTruthRow> rows =
        YoloLabels.parse("a.txt", List.of("0 0.1 0.2 0.4 0.8 0.3 0.1"), 1, 100, 50);
    Box b = rows.get(0).box();
    assertThat(b.left()).isCloseTo(10, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(b.top()).isCloseTo(5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(b.width()).isCloseTo(30, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(b.height()).isCloseTo(35, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void badLinesAreRefusedWithFileLineAndWhatWasExpected() {
    assertThatThrownBy(
            () ->
                YoloLabels.parse(
                    "l/a.txt", List.of("0 0.5 0.5 0.1 0.1", "0 0.5 1.2 0.1 0.1"), 1, 10, 10))
        .isInstanceOf(LabelFormatException.class)
        .hasMessage(
            "l/a.txt:2: value 2 (1.2) is outside [0, 1]; YOLO coordinates are fractions of the"
                + " image's width and height");
    assertThatThrownBy(() -> YoloLabels.parse("l/a.txt", List.of("1 0.5 0.5 0.1 0.1"), 1, 10, 10))
        .hasMessage("l/a.txt:1: unknown class 1; data.yaml names 1 class (0)");
    assertThatThrownBy(() -> YoloLabels.parse("l/a.txt", List.of("3 0.5 0.5 0.1 0.1"), 2, 10, 10))
        .hasMessage("l/a.txt:1: unknown class 3; data.yaml names 2 classes (0 to 1)");
    assertThatThrownBy(() -> YoloLabels.parse("l/a.txt", List.of("0 0.5 0.5 0.1"), 1, 10, 10))
        .hasMessage(
            "l/a.txt:1: 4 values; expected 5 for a box (class cx cy w h) or an odd number of at"
                + " least 7 for a polygon (class x1 y1 x2 y2 x3 y3 ...)");
    assertThatThrownBy(
            () -> YoloLabels.parse("l/a.txt", List.of("0 0.5 0.5 0.1 0.1 0.2"), 1, 10, 10))
        .hasMessageStartingWith("l/a.txt:1: 6 values;");
    assertThatThrownBy(() -> YoloLabels.parse("l/a.txt", List.of("pig 0.5 0.5 0.1 0.1"), 1, 10, 10))
        .hasMessage("l/a.txt:1: class 'pig' is not a class number (0, 1, ...)");
    assertThatThrownBy(() -> YoloLabels.parse("l/a.txt", List.of("0 0.5 0.5 x 0.1"), 1, 10, 10))
        .hasMessage("l/a.txt:1: value 3 'x' is not a number");
  }

  @Test
  void dataYamlGivesTheClassesAndSplitsInEitherForm() {
    YoloLabels.DataYaml d =
        YoloLabels.parseDataYaml(
            "data.yaml",
            "    train: train/images\n    val: val/images\n\n    nc: 1\n    names: ['pig']\n");
    assertThat(d.names()).containsExactly("pig");
    assertThat(d.splits()).isEqualTo(Map.of("train", "train/images", "val", "val/images"));
    YoloLabels.DataYaml m =
        YoloLabels.parseDataYaml(
            "data.yaml", "path: ds\ntrain: images/train\nnames:\n  0: pig\n  1: cow\n");
    assertThat(m.names()).containsExactly("pig", "cow");
    assertThat(m.path()).isEqualTo("ds");
  }

  @Test
  void aBadDataYamlIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> YoloLabels.parseDataYaml("d.yaml", "nc: 2\nnames: ['pig']\n"))
        .isInstanceOf(LabelFormatException.class)
        .hasMessage("d.yaml: nc is 2 but names lists 1 classes");
    assertThatThrownBy(() -> YoloLabels.parseDataYaml("d.yaml", "train: a\n"))
        .hasMessage(
            "d.yaml: names: expected a list of class names or a map of class number to name");
    assertThatThrownBy(() -> YoloLabels.parseDataYaml("d.yaml", "names: [pig\ntrain: : :\n"))
        .isInstanceOf(LabelFormatException.class)
        .hasMessageStartingWith("d.yaml:");
  }
}
