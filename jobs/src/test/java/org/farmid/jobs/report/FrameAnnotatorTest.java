package org.farmid.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAnnotatorTest {
  private static final int W = 200;
  private static final int H = 150;

  private static int[] bgrAt(byte[] frame, int x, int y) {
    int i = (y * W + x) * 3;
    return new int[] {frame[i] & 0xff, frame[i + 1] & 0xff, frame[i + 2] & 0xff};
  }

  private static int[] bgr(Color c) {
    return new int[] {c.getBlue(), c.getGreen(), c.getRed()};
  }

  @Test
  void boxesArePaintedInTheFramesOwnBgrBytes() {
    byte[] frame = new byte[W * H * 3];
    FrameAnnotator.draw(
        frame,
        W,
        H,
        List.of(
            new FrameAnnotator.Mark(40, 60, 80, 60, "7 t1", "7"),
            new FrameAnnotator.Mark(150, 100, 30, 30, "unknown", "unknown")),
        null);
    // left edge of the named box, below its label: the animal's colour, in B, G, R order
    assertThat(bgrAt(frame, 40, 100)).containsExactly(bgr(FrameAnnotator.colourOf("7")));
    // the inside of the box stays untouched
    assertThat(bgrAt(frame, 80, 100)).containsExactly(0, 0, 0);
    // the unknown box is red: B=30, G=30, R=230
    assertThat(bgrAt(frame, 150, 120)).containsExactly(30, 30, 230);
    // nothing far from both boxes changes
    assertThat(bgrAt(frame, 5, 140)).containsExactly(0, 0, 0);
  }

  @Test
  void aCaptionGetsADarkBandTopLeft() {
    byte[] frame = new byte[W * H * 3];
    java.util.Arrays.fill(frame, (byte) 200);
    FrameAnnotator.draw(frame, W, H, List.of(), "cam01 2026-01-05 08:00:00 frame 0");
    int[] corner = bgrAt(frame, 1, 1);
    assertThat(corner[0]).isLessThan(120);
    assertThat(bgrAt(frame, 150, 140)).containsExactly(200, 200, 200);
  }

  @Test
  void animalColoursAreStableAndNeverTheUnknownRed() {
    assertThat(FrameAnnotator.colourOf("12")).isEqualTo(FrameAnnotator.colourOf("12"));
    for (int i = 0; i < 500; i++) {
      float[] hsb =
          Color.RGBtoHSB(
              FrameAnnotator.colourOf("a" + i).getRed(),
              FrameAnnotator.colourOf("a" + i).getGreen(),
              FrameAnnotator.colourOf("a" + i).getBlue(),
              null);
      assertThat(hsb[0]).as("hue of a" + i).isBetween(0.07f, 0.89f);
    }
  }

  @Test
  void aFrameOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> FrameAnnotator.draw(new byte[10], W, H, List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("200x150");
  }
}
