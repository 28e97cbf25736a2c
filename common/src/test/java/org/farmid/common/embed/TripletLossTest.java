package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TripletLossTest {
  /** Two animals, two crops each, on the unit circle. */
  static final float[][] FOUR = {{1f, 0f}, {0.8f, 0.6f}, {0f, 1f}, {-0.6f, 0.8f}};

  static final int[] FOUR_LABELS = {0, 0, 1, 1};

  @Test
  void semiHardPicksTheNearestNegativeBeyondThePositive() {
    // d(a0,a1)=d(b0,b1)=sqrt(.4); nearest farther negatives: sqrt(2) for a0 and b1, sqrt(.8) for
    // a1 and b0. Mean of [sqrt(.4)-sqrt(2)+1, sqrt(.4)-sqrt(.8)+1] twice.
    double expected = (Math.sqrt(0.4) - Math.sqrt(2) + 1 + Math.sqrt(0.4) - Math.sqrt(0.8) + 1) / 2;
    assertThat(TripletLoss.semiHard(FOUR, FOUR_LABELS, 1.0)).isCloseTo(expected, within(1e-6));
    assertThat(expected).isCloseTo(0.4781355, within(1e-6));
  }

  @Test
  void semiHardFallsBackToTheFarthestNegativeWhenNoneIsBeyondThePositive() {
    float[][] e = {{1f, 0f}, {-1f, 0f}, {0f, 1f}};
    int[] labels = {0, 0, 1};
    // d(0,1)=2, the only negative is at sqrt(2) < 2: loss 2 - sqrt(2) + 0.2 for both pairs.
    assertThat(TripletLoss.semiHard(e, labels, 0.2)).isCloseTo(2.2 - Math.sqrt(2), within(1e-6));
  }

  @Test
  void batchHardUsesFarthestPositiveAndNearestNegativePerAnchor() {
    float[][] e = {{1f, 0f}, {-1f, 0f}, {0f, 1f}};
    int[] labels = {0, 0, 1};
    // anchors 0 and 1: 2 - sqrt(2) + 0.2; anchor 2 has no positive and is left out.
    assertThat(TripletLoss.batchHard(e, labels, 0.2)).isCloseTo(2.2 - Math.sqrt(2), within(1e-6));
    double expected = (Math.sqrt(0.4) - Math.sqrt(2) + 1 + Math.sqrt(0.4) - Math.sqrt(0.8) + 1) / 2;
    assertThat(TripletLoss.batchHard(FOUR, FOUR_LABELS, 1.0)).isCloseTo(expected, within(1e-6));
  }

  @Test
  void wellSeparatedClassesCostNothing() {
    float[][] e = {{1f, 0f}, {0.99f, 0.14f}, {-1f, 0f}, {-0.99f, 0.14f}};
    assertThat(TripletLoss.semiHard(e, new int[] {0, 0, 1, 1}, 0.5)).isZero();
  }
}
