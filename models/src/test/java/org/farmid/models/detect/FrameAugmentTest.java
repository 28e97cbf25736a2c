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

  @Test
  void aZoomStretchesItsWindowBilinearly() {
    // window x 1..2.5, y 0..1 at scale 2: output pixel (x, y) samples (0.75 + x / 2, y / 2 - 0.25),
    // the row clamped to 0; red is linear in x and y, so bilinear gives 10 (3 sy + sx) + 1
    byte[] z = FrameAugment.zoom(frame(), 3, 2, new FrameAugment.Window(1, 0, 2));
    assertThat(red(z, 0, 0)).isEqualTo(9); // 8.5 rounded up
    assertThat(red(z, 1, 1)).isEqualTo(21); // sx 1.25, sy 0.25
    assertThat(red(z, 2, 1)).isEqualTo(26); // sx 1.75, sy 0.25
    assertThat(z[1] & 0xff).isEqualTo(100);
    assertThat(z[2] & 0xff).isEqualTo(250);
    // scale 1 at the origin: the very same bytes
    assertThat(FrameAugment.zoom(frame(), 3, 2, new FrameAugment.Window(0, 0, 1)))
        .isEqualTo(frame());
  }

  @Test
  void aZoomCutsBoxesAtItsEdgeAndDropsSlivers() {
    // a 100x50 frame, window x 20..70, y 10..35 at scale 2
    FrameAugment.Window w = new FrameAugment.Window(20, 10, 2);
    assertThat(FrameAugment.zoom(new Box(30, 20, 10, 10), 100, 50, w))
        .isEqualTo(new Box(20, 20, 20, 20));
    // cut at the left and top edges: the part inside, 4 x 5 frame pixels, kept
    assertThat(FrameAugment.zoom(new Box(10, 5, 14, 10), 100, 50, w))
        .isEqualTo(new Box(0, 0, 8, 10));
    // cut at the right edge
    assertThat(FrameAugment.zoom(new Box(60, 20, 20, 10), 100, 50, w))
        .isEqualTo(new Box(80, 20, 20, 20));
    // 1 frame pixel inside: 2 zoomed pixels, under the 4 kept
    assertThat(FrameAugment.zoom(new Box(10, 5, 11, 10), 100, 50, w)).isNull();
    // outside the window altogether
    assertThat(FrameAugment.zoom(new Box(80, 40, 10, 5), 100, 50, w)).isNull();
  }
}
