package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class FrameAugmentTest {
  // a 3x2 frame: pixel (x, y) has red 10 * (3y + x) + 1, green 100, blue 250
  private static byte[] frame() {
    byte[] rgb = new byte[3 * 2 * 3];
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        int i = (y * 3 + x) * 3;
        rgb[i] = (byte) (10 * (3 * y + x) + 1);
        rgb[i + 1] = 100;
        rgb[i + 2] = (byte) 250;
      }
    }
    return rgb;
  }

  private static int red(byte[] rgb, int x, int y) {
    return rgb[(y * 3 + x) * 3] & 0xff;
  }

  @Test
  void flipsMovePixelsAndBoxesTogether() {
    byte[] both = FrameAugment.pixels(frame(), 3, 2, new FrameAugment.Change(true, true, 1, 0));
    // (0, 0) now holds what was at (2, 1): 10 * 5 + 1
    assertThat(red(both, 0, 0)).isEqualTo(51);
    assertThat(red(both, 2, 1)).isEqualTo(1);
    assertThat(red(both, 1, 0)).isEqualTo(41);
    Box b = new Box(0, 0, 1, 2);
    assertThat(FrameAugment.box(b, 3, 2, new FrameAugment.Change(true, false, 1, 0)))
        .isEqualTo(new Box(2, 0, 1, 2));
    assertThat(
            FrameAugment.box(new Box(1, 0, 2, 1), 3, 2, new FrameAugment.Change(true, true, 1, 0)))
        .isEqualTo(new Box(0, 1, 2, 1));
    // no change gives the very same bytes
    assertThat(FrameAugment.pixels(frame(), 3, 2, FrameAugment.Change.NONE)).isEqualTo(frame());
  }

  @Test
  void contrastAndBrightnessClampToTheByteRange() {
    byte[] out =
        FrameAugment.pixels(frame(), 3, 2, new FrameAugment.Change(false, false, 1.2f, -10f));
    assertThat(red(out, 1, 0)).isEqualTo(3); // 11 * 1.2 - 10 = 3.2
    assertThat(out[1] & 0xff).isEqualTo(110); // 100 * 1.2 - 10
    assertThat(out[2] & 0xff).isEqualTo(255); // 250 * 1.2 - 10 = 290, clamped
    byte[] dark =
        FrameAugment.pixels(frame(), 3, 2, new FrameAugment.Change(false, false, 0.5f, -20f));
    assertThat(red(dark, 0, 0)).isZero(); // 0.5 - 20, clamped
  }
}
