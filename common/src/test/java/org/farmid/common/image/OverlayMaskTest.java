package org.farmid.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.farmid.common.video.VideoFrame;
import org.junit.jupiter.api.Test;

class OverlayMaskTest {
  private static final int W = 30;
  private static final int H = 20;

  private static void set(byte[] bgr, int x, int y, int v) {
    int i = 3 * (y * W + x);
    bgr[i] = (byte) v;
    bgr[i + 1] = (byte) v;
    bgr[i + 2] = (byte) v;
  }

  private static int at(VideoFrame f, int x, int y) {
    return f.bgr()[3 * (y * W + x)] & 0xff;
  }

  @Test
  void aSmallDarkGlyphIsCoveredBoxAndAllByTheColourAroundItAndLargeDarkRegionsStay() {
    byte[] bgr = new byte[3 * W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        // grey 100 left of x = 11, 200 from it on; a dark strip along the bottom (rows 15-19)
        set(bgr, x, y, y >= 15 ? 5 : x < 11 ? 100 : 200);
      }
    }
    // the glyph: a 3x5 bar, x 10-12, y 5-9
    for (int y = 5; y <= 9; y++) {
      for (int x = 10; x <= 12; x++) {
        set(bgr, x, y, 10);
      }
    }
    VideoFrame masked =
        OverlayMask.apply(new VideoFrame(3, 7, W, H, bgr), new OverlayMask.Settings(50, 10));

    // Grown by one pixel (x 9-13, y 4-10), then two more: the box x 7-15, y 2-12. Its border
    // holds 17 pixels of 100 (x 7-10 of the top and bottom rows, the left column's 9) and 19 of
    // 200: (17 * 100 + 19 * 200) / 36 = 152.8 -> 153, on every channel of the whole box.
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int expected =
            x >= 7 && x <= 15 && y >= 2 && y <= 12 ? 153 : y >= 15 ? 5 : x < 11 ? 100 : 200;
        assertThat(at(masked, x, y)).as("pixel %d,%d", x, y).isEqualTo(expected);
        assertThat(masked.bgr()[3 * (y * W + x) + 2] & 0xff).isEqualTo(expected);
      }
    }
    assertThat(masked.index()).isEqualTo(3);
    assertThat(masked.timestampMicros()).isEqualTo(7);
    // the input is left as it was
    assertThat(bgr[3 * (5 * W + 10)]).isEqualTo((byte) 10);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new OverlayMask.Settings(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level must lie in [1, 255]");
    assertThatThrownBy(() -> new OverlayMask.Settings(50, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
