package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class TargetsTest {

  @Test
  void aBoxMarksItsCentreCellWithSizeAndOffset() {
    int ow = 10;
    int oh = 6;
    float[] heat = new float[2 * oh * ow];
    float[] size = new float[2 * oh * ow * 2];
    float[] offset = new float[2 * oh * ow * 2];
    float[] centers = new float[2 * oh * ow];
    // centre (44, 20) in an 80x48 input: output cell (5.5, 2.5) -> cell (5, 2), offset (0.5, 0.5)
    Targets.draw(
        List.of(new Box(24, 8, 40, 24)), 80, 48, 8, ow, oh, 1, heat, size, offset, centers);
    int cell = oh * ow + 2 * ow + 5;
    assertThat(centers[cell]).isEqualTo(1f);
    assertThat(heat[cell]).isEqualTo(1f);
    assertThat(size[2 * cell]).isCloseTo(40f / 80, within(1e-6f));
    assertThat(size[2 * cell + 1]).isCloseTo(24f / 48, within(1e-6f));
    assertThat(offset[2 * cell]).isCloseTo(0.5f, within(1e-6f));
    assertThat(offset[2 * cell + 1]).isCloseTo(0.5f, within(1e-6f));
    // the heat falls off around the centre and the first image of the batch is untouched
    assertThat(heat[cell + 1]).isBetween(0.01f, 0.99f);
    assertThat(heat[cell + 3]).isLessThan(heat[cell + 1]);
    for (int i = 0; i < oh * ow; i++) {
      assertThat(heat[i]).isZero();
    }
    float sum = 0;
    for (float c : centers) {
      sum += c;
    }
    assertThat(sum).isEqualTo(1f);
  }

  @Test
  void atStrideFourTheSameBoxLandsInAFinerCell() {
    int ow = 20;
    int oh = 12;
    float[] heat = new float[oh * ow];
    float[] size = new float[oh * ow * 2];
    float[] offset = new float[oh * ow * 2];
    float[] centers = new float[oh * ow];
    // centre (45, 21) in an 80x48 input: output cell (11.25, 5.25) -> cell (11, 5)
    Targets.draw(
        List.of(new Box(25, 9, 40, 24)), 80, 48, 4, ow, oh, 0, heat, size, offset, centers);
    int cell = 5 * ow + 11;
    assertThat(centers[cell]).isEqualTo(1f);
    assertThat(size[2 * cell]).isCloseTo(40f / 80, within(1e-6f));
    assertThat(offset[2 * cell]).isCloseTo(0.25f, within(1e-6f));
    assertThat(offset[2 * cell + 1]).isCloseTo(0.25f, within(1e-6f));
    // the Gaussian spreads over twice as many cells as at stride 8: sigma = 40 / 4 / 6 cells
    double sigma = 40.0 / 4 / 6;
    assertThat(heat[cell + 2]).isCloseTo((float) Math.exp(-4 / (2 * sigma * sigma)), within(1e-6f));
  }
}
