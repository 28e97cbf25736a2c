package org.farmid.common.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PenSimulationTest {

  private static final double EPS = 1e-9;

  @Test
  void aSmallHerdLiesInTwoColumnsARowApart() {
    // pen 7.0 x 4.0 m, rest corner at (0.9, 1.0): rows while 1.0 + r * 0.46 <= 3.6, so r = 0..5
    double[][] spots = PenSimulation.restSpots(9, 7.0, 4.0, 0.9, 1.0);
    assertThat(spots[0]).containsExactly(new double[] {0.9, 1.0}, within(EPS));
    assertThat(spots[1]).containsExactly(new double[] {2.2, 1.0}, within(EPS));
    assertThat(spots[2]).containsExactly(new double[] {0.9, 1.46}, within(EPS));
    assertThat(spots[7]).containsExactly(new double[] {2.2, 2.38}, within(EPS));
    assertThat(spots[8]).containsExactly(new double[] {0.9, 2.84}, within(EPS));
  }

  @Test
  void aLargeHerdTakesMoreColumnsInsteadOfPilingOnOneSpot() {
    // 6 rows a column (1.0 .. 3.3 m); columns at 0.9 and 2.2, then 3.5, 4.8 and 6.1 (<= 6.3)
    double[][] spots = PenSimulation.restSpots(30, 7.0, 4.0, 0.9, 1.0);
    assertThat(spots[11]).containsExactly(new double[] {2.2, 3.3}, within(EPS));
    assertThat(spots[12]).containsExactly(new double[] {3.5, 1.0}, within(EPS));
    assertThat(spots[17]).containsExactly(new double[] {3.5, 3.3}, within(EPS));
    assertThat(spots[18]).containsExactly(new double[] {4.8, 1.0}, within(EPS));
    assertThat(spots[29]).containsExactly(new double[] {6.1, 3.3}, within(EPS));
    for (int a = 0; a < spots.length; a++) {
      for (int b = a + 1; b < spots.length; b++) {
        double d = Math.hypot(spots[a][0] - spots[b][0], spots[a][1] - spots[b][1]);
        assertThat(d).as("slots %d and %d", a, b).isGreaterThan(0.45);
      }
    }
  }

  @Test
  void aRestCornerMidPenFillsColumnsOnBothSides() {
    // pen 6.0 x 3.6 m, corner at (3.3, 1.1): 5 rows (1.1 .. 2.94); columns 3.3, 4.6, then
    // 5.9 > 5.3 is past the wall, so 2.0 and 0.7 on the other side
    double[][] spots = PenSimulation.restSpots(20, 6.0, 3.6, 3.3, 1.1);
    assertThat(spots[10]).containsExactly(new double[] {2.0, 1.1}, within(EPS));
    assertThat(spots[15]).containsExactly(new double[] {0.7, 1.1}, within(EPS));
    assertThat(spots[19]).containsExactly(new double[] {0.7, 2.94}, within(EPS));
  }

  @Test
  void whenTheFloorIsFullAnimalsLieHalfAcrossANeighbour() {
    // pen 4.0 x 3.0 m, corner at (0.9, 1.0): 4 rows (1.0 .. 2.38), columns 0.9, 2.2 only
    // (3.5 > 3.3): 8 places on the floor, then half a row further down, or up at the last row
    double[][] spots = PenSimulation.restSpots(12, 4.0, 3.0, 0.9, 1.0);
    assertThat(spots[8]).containsExactly(new double[] {0.9, 1.23}, within(EPS));
    assertThat(spots[9]).containsExactly(new double[] {2.2, 1.23}, within(EPS));
    assertThat(spots[11]).containsExactly(new double[] {2.2, 1.69}, within(EPS));
    double[][] full = PenSimulation.restSpots(16, 4.0, 3.0, 0.9, 1.0);
    assertThat(full[15]).containsExactly(new double[] {2.2, 2.38 - 0.23}, within(EPS));
  }
}
