package org.farmid.common.geom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoxTest {

  @Test
  void iouOfPartlyOverlappingBoxesIsComputedByHand() {
    Box a = new Box(0, 0, 10, 10);
    Box b = new Box(5, 5, 10, 10);
    // intersection 5x5 = 25, union 100 + 100 - 25 = 175
    assertThat(a.iou(b)).isCloseTo(25.0 / 175.0, within(1e-12));
    assertThat(b.iou(a)).isCloseTo(25.0 / 175.0, within(1e-12));
  }

  @Test
  void largestCoverIsTheMostOfABoxThatOneOtherHolds() {
    java.util.List<Box> boxes =
        java.util.List.of(
            new Box(0, 0, 10, 10), // a
            new Box(5, 0, 10, 10), // covers half of a
            new Box(0, 8, 4, 4), // covers 4x2 = 8 of a's 100, and a covers half of it
            new Box(2, 2, 1, 1), // inside a: a covers it whole
            new Box(50, 50, 0, 0)); // empty
    assertThat(Box.largestCover(boxes, 0)).isCloseTo(0.5, within(1e-12));
    assertThat(Box.largestCover(boxes, 2)).isCloseTo(0.5, within(1e-12));
    assertThat(Box.largestCover(boxes, 3)).isEqualTo(1.0);
    assertThat(Box.largestCover(boxes, 4)).isZero();
    assertThat(Box.largestCover(java.util.List.of(new Box(0, 0, 3, 3)), 0)).isZero();
  }

  @Test
  void disjointAndIdenticalBoxes() {
    Box a = new Box(0, 0, 10, 10);
    assertThat(a.iou(new Box(10, 0, 5, 5))).isZero();
    assertThat(a.iou(new Box(0, 0, 10, 10))).isEqualTo(1.0);
  }

  @Test
  void clipKeepsTheInsidePartAndEmptiesOutsideBoxes() {
    assertThat(new Box(-5, 10, 20, 10).clip(100, 50)).isEqualTo(new Box(0, 10, 15, 10));
    assertThat(new Box(95, 45, 20, 20).clip(100, 50)).isEqualTo(new Box(95, 45, 5, 5));
    assertThat(new Box(120, 10, 5, 5).clip(100, 50).area()).isZero();
  }

  @Test
  void cornersInAnyOrder() {
    assertThat(Box.ofCorners(10, 8, 2, 3)).isEqualTo(new Box(2, 3, 8, 5));
    assertThatThrownBy(() -> new Box(0, 0, -1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
