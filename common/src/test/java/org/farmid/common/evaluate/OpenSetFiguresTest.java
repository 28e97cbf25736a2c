package org.farmid.common.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class OpenSetFiguresTest {

  @Test
  void figuresOfAHandWorkedCase() {
    // 10 matched detections: animal a 5 (4 right, 1 called unknown), animal b 3 (2 right, 1 as
    // a), visitors 2 (1 rejected, 1 called b). Plus 2 false positives and 3 misses.
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    counts.put(List.of("a", "a"), 4L);
    counts.put(List.of("a", "unknown"), 1L);
    counts.put(List.of("b", "b"), 2L);
    counts.put(List.of("b", "a"), 1L);
    counts.put(List.of("unknown", "unknown"), 1L);
    counts.put(List.of("unknown", "b"), 1L);
    OpenSetFigures f = OpenSetFigures.of(10, 2, 3, counts);
    assertThat(f.detectionPrecision()).isCloseTo(10.0 / 12, within(1e-12));
    assertThat(f.detectionRecall()).isCloseTo(10.0 / 13, within(1e-12));
    assertThat(f.accuracy()).isCloseTo(7.0 / 10, within(1e-12));
    // a: P 4/5, R 4/5, F1 0.8; b: P 2/3, R 2/3, F1 2/3
    assertThat(f.perAnimal()).extracting(c -> c.label()).containsExactly("a", "b");
    assertThat(f.perAnimal().get(0).f1()).isCloseTo(0.8, within(1e-12));
    assertThat(f.perAnimal().get(1).f1()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(f.macroF1()).isCloseTo((0.8 + 2.0 / 3) / 2, within(1e-12));
    assertThat(f.weightedF1()).isCloseTo((0.8 * 5 + 2.0 / 3 * 3) / 8, within(1e-12));
    assertThat(f.unknownRejectionRate()).isCloseTo(0.5, within(1e-12));
    assertThat(f.falseUnknownRate()).isCloseTo(1.0 / 8, within(1e-12));
  }

  @Test
  void framesMatchOneToOneAboveTheIouThreshold() {
    List<Box> truth = List.of(new Box(0, 0, 10, 10), new Box(20, 0, 10, 10));
    // d0 overlaps both truths a little, d1 is truth 0 shifted by 1 px, d2 sits on truth 1.
    List<Box> dets = List.of(new Box(5, 0, 20, 10), new Box(1, 0, 10, 10), new Box(20, 1, 10, 10));
    assertThat(FrameMatching.match(truth, dets, 0.5)).containsExactly(1, 2);
    assertThat(FrameMatching.match(truth, List.of(new Box(50, 50, 5, 5)), 0.5))
        .containsExactly(-1, -1);
  }
}
