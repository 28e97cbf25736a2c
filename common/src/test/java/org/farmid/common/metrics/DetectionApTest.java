package org.farmid.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.farmid.common.detect.Detection;
import org.farmid.common.detect.NonMaxSuppression;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class DetectionApTest {

  @Test
  void handMadeImageWithOneLooseBoxAndOneFalsePositive() {
    Box g1 = new Box(200, 200, 50, 50);
    Box g2 = new Box(0, 0, 100, 100);
    List<Detection> dets =
        List.of(
            new Detection(new Box(200, 200, 50, 50), 0.9f, 1), // IoU 1
            new Detection(new Box(0, 0, 100, 62), 0.8f, 1), // IoU 0.62
            new Detection(new Box(400, 400, 20, 20), 0.7f, 1)); // nothing there
    DetectionAp.Summary s =
        DetectionAp.evaluate(Map.of("img", List.of(g1, g2)), Map.of("img", dets));
    // At IoU 0.50, 0.55, 0.60 both boxes are found: AP 1. From 0.65 on only the first is: its
    // precision 1 holds up to recall 0.5, so 51 of 101 recall points, AP 51/101.
    double half = 51.0 / 101;
    assertThat(s.map50()).isCloseTo(1.0, within(1e-12));
    assertThat(s.map75()).isCloseTo(half, within(1e-12));
    assertThat(s.map()).isCloseTo((3 * 1.0 + 7 * half) / 10, within(1e-12));
    assertThat(s.recall100()).isCloseTo((3 * 1.0 + 7 * 0.5) / 10, within(1e-12));
  }

  @Test
  void rankingMattersAndMissedImagesCount() {
    Box g = new Box(0, 0, 10, 10);
    // The false positive scores higher than the hit: precision 0.5 at recall 0.5.
    Map<String, List<Detection>> dets =
        Map.of(
            "a",
            List.of(new Detection(new Box(50, 50, 10, 10), 0.9f, 1), new Detection(g, 0.5f, 1)));
    DetectionAp.Summary s = DetectionAp.evaluate(Map.of("a", List.of(g), "b", List.of(g)), dets);
    assertThat(s.map50()).isCloseTo(51 * 0.5 / 101, within(1e-12));
    assertThat(s.recall100()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void nonMaxSuppressionKeepsTheBestOfOverlappingBoxes() {
    List<Detection> kept =
        NonMaxSuppression.apply(
            List.of(
                new Detection(new Box(0, 0, 10, 10), 0.6f, 1),
                new Detection(new Box(1, 0, 10, 10), 0.9f, 1),
                new Detection(new Box(30, 30, 10, 10), 0.4f, 1)),
            0.5);
    assertThat(kept).extracting(Detection::score).containsExactly(0.9f, 0.4f);
  }
}
