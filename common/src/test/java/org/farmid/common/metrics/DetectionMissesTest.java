package org.farmid.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.farmid.common.detect.Detection;
import org.farmid.common.geom.Box;
import org.farmid.common.metrics.DetectionMisses.Truth;
import org.junit.jupiter.api.Test;

class DetectionMissesTest {

  @Test
  void bandsSplitAtTheirUpperBoundsAndKeepOneInTheLast() {
    assertThat(DetectionMisses.band(0.0)).isEqualTo(0);
    assertThat(DetectionMisses.band(0.29)).isEqualTo(0);
    assertThat(DetectionMisses.band(0.3)).isEqualTo(1);
    assertThat(DetectionMisses.band(0.5)).isEqualTo(2);
    assertThat(DetectionMisses.band(0.79)).isEqualTo(2);
    assertThat(DetectionMisses.band(0.8)).isEqualTo(3);
    assertThat(DetectionMisses.band(1.0)).isEqualTo(3);
  }

  @Test
  void handMadeFramesCountFoundBoxesPerBandAndFalsePositives() {
    Box whole = new Box(0, 0, 100, 100);
    Box half = new Box(200, 0, 100, 100);
    Box hidden = new Box(400, 0, 100, 100);
    Map<String, List<Truth>> truth =
        Map.of(
            "f1",
            List.of(new Truth(whole, 1.0), new Truth(half, 0.45), new Truth(hidden, 0.1)),
            "f2",
            List.of(new Truth(whole, 0.9)));
    Map<String, List<Detection>> dets =
        Map.of(
            "f1",
            List.of(
                new Detection(new Box(0, 0, 100, 100), 0.9f, 1), // whole, IoU 1
                new Detection(new Box(0, 0, 100, 90), 0.8f, 1), // whole again: taken, so false
                new Detection(new Box(200, 0, 100, 40), 0.7f, 1), // half, IoU 0.4: false
                new Detection(new Box(400, 0, 100, 100), 0.2f, 1)), // hidden, under the score
            "f2",
            List.of(new Detection(new Box(0, 0, 100, 60), 0.6f, 1)), // IoU 0.6
            "f3",
            List.of(new Detection(new Box(0, 0, 10, 10), 0.5f, 1))); // a frame without animals
    DetectionMisses.Counts c = DetectionMisses.count(truth, dets, 0.5, 0.3f);
    assertThat(c.boxes()).containsExactly(1, 1, 0, 2);
    assertThat(c.found()).containsExactly(0, 0, 0, 2);
    assertThat(c.detections()).isEqualTo(5);
    assertThat(c.falsePositives()).isEqualTo(3);
    // The second box on the whole animal is a duplicate, the loose one on the half-hidden animal
    // misplaced, the one in the empty frame background.
    assertThat(c.duplicates()).isEqualTo(1);
    assertThat(c.misplaced()).isEqualTo(1);
    assertThat(c.recall()).isCloseTo(0.5, within(1e-12));
    assertThat(c.precision()).isCloseTo(0.4, within(1e-12));
    assertThat(c.recall(2)).isNaN();
    assertThat(c.recall(3)).isCloseTo(1.0, within(1e-12));
    // Missed: the half-hidden animal, with a box of IoU 0.4 on it (near), and the hidden one,
    // whose only box scores under 0.3 (nothing near).
    assertThat(c.missed()).isEqualTo(2);
    assertThat(c.missedNear()).isEqualTo(1);
    // Two of the four animals are less than half visible; both of the others are found, and
    // finding every animal that shows at least half would leave recall at (0 + 2) / 4.
    assertThat(DetectionMisses.BANDS[DetectionMisses.HALF_VISIBLE - 1]).isEqualTo(0.5);
    assertThat(c.shareBelow(DetectionMisses.HALF_VISIBLE)).isCloseTo(0.5, within(1e-12));
    assertThat(c.recallFrom(DetectionMisses.HALF_VISIBLE)).isCloseTo(1.0, within(1e-12));
    assertThat(c.recallIfFoundFrom(DetectionMisses.HALF_VISIBLE)).isCloseTo(0.5, within(1e-12));
    assertThat(c.recallFrom(0)).isCloseTo(c.recall(), within(1e-12));

    // At score 0.1 the hidden animal's box counts as well.
    DetectionMisses.Counts low = DetectionMisses.count(truth, dets, 0.5, 0.1f);
    assertThat(low.found()).containsExactly(1, 0, 0, 2);
    assertThat(low.precision()).isCloseTo(0.5, within(1e-12));
    assertThat(low.missed()).isEqualTo(1);
    assertThat(low.missedNear()).isEqualTo(1);
    // The hidden animal is found at that score: with every animal that shows found too, 3 of 4.
    assertThat(low.recallIfFoundFrom(DetectionMisses.HALF_VISIBLE)).isCloseTo(0.75, within(1e-12));
    assertThat(low.recallFrom(3)).isCloseTo(1.0, within(1e-12));
    assertThat(low.recallFrom(2)).isCloseTo(1.0, within(1e-12));
  }
}
