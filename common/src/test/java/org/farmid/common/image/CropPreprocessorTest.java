package org.farmid.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.farmid.common.geom.Box;
import org.junit.jupiter.api.Test;

class CropPreprocessorTest {

  @Test
  void goldenPixelsComeOutRgbFromBgrInput() {
    // Two pixels, BGR: (10,20,30) and (50,60,70).
    byte[] bgr = {10, 20, 30, 50, 60, 70};
    byte[] out = new CropPreprocessor(2).apply(bgr, 2, 1, new Box(0, 0, 2, 1));
    assertThat(out).containsExactly(30, 20, 10, 70, 60, 50, 30, 20, 10, 70, 60, 50);
  }

  @Test
  void downsamplingAveragesNeighbours() {
    byte[] bgr = new byte[4 * 3];
    int[] greys = {0, 100, 200, 250};
    for (int i = 0; i < 4; i++) {
      bgr[3 * i] = bgr[3 * i + 1] = bgr[3 * i + 2] = (byte) greys[i];
    }
    byte[] out = new CropPreprocessor(2).apply(bgr, 4, 1, new Box(0, 0, 4, 1));
    // output x=0 samples source x=0.5, x=1 samples 2.5
    assertThat(out[0] & 0xff).isEqualTo(50);
    assertThat(out[3] & 0xff).isEqualTo(225);
  }

  @Test
  void bufferedImagesOfAnyTypeGiveTheSameInputAsTheirBgrBytes() {
    BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, new Color(200, 10, 30).getRGB());
    rgb.setRGB(2, 1, new Color(5, 250, 90).getRGB());
    CropPreprocessor p = new CropPreprocessor(3);
    byte[] viaImage = p.apply(rgb);
    byte[] bgr = CropPreprocessor.packedBgr(rgb);
    assertThat(bgr[0] & 0xff).isEqualTo(30); // blue first
    assertThat(bgr[2] & 0xff).isEqualTo(200);
    assertThat(viaImage).isEqualTo(p.apply(bgr, 3, 2, new Box(0, 0, 3, 2)));
    // Top-left output pixel is the red pixel, in RGB order.
    assertThat(new int[] {viaImage[0] & 0xff, viaImage[1] & 0xff, viaImage[2] & 0xff})
        .containsExactly(200, 10, 30);
  }

  @Test
  void aFlipMirrorsTheCrop() {
    byte[] bgr = {10, 20, 30, 50, 60, 70};
    byte[] out =
        new CropPreprocessor(2)
            .apply(bgr, 2, 1, new Box(0, 0, 2, 1), new Jitter(0, 1, 0, 0, true, false));
    assertThat(out).containsExactly(70, 60, 50, 30, 20, 10, 70, 60, 50, 30, 20, 10);
  }

  @Test
  void alignedInputsLayTheAnimalAlongXAndReadOnlyTheRegion() {
    // A bright animal lying across the picture (a quarter turn), red at its top end; outside the
    // region, a blue band that no input may show.
    int w = 80;
    int h = 100;
    byte[] bgr = BodyAxisTest.ellipse(w, h, 30, 50, 40, 12, 90, 40, 220);
    for (int y = 10; y < 20; y++) {
      for (int x = 25; x < 35; x++) {
        int i = 3 * (y * w + x);
        bgr[i] = 0;
        bgr[i + 1] = 0;
        bgr[i + 2] = (byte) 230;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 60; x < w; x++) {
        int i = 3 * (y * w + x);
        bgr[i] = (byte) 255;
        bgr[i + 1] = 0;
        bgr[i + 2] = 0;
      }
    }
    Box region = new Box(0, 0, 60, 100);
    CropPreprocessor p = new CropPreprocessor(32, 16, true);
    assertThat(p.id()).isEqualTo(CropPreprocessor.ALIGNED_ID);
    byte[] out = p.apply(bgr, w, h, region);
    // The middle row runs along the body: bright from end to end but for the red mark at x = 0 or
    // x = 31 (which end is the head is not decided).
    int row = 8 * 32 * 3;
    int red = 0;
    for (int x = 0; x < 32; x++) {
      int r = out[row + 3 * x] & 0xff;
      int g = out[row + 3 * x + 1] & 0xff;
      int b = out[row + 3 * x + 2] & 0xff;
      assertThat(b).as("no blue from outside the region, x=%d", x).isLessThan(240);
      if (r > 200 && g < 60) {
        red++;
        assertThat(x < 8 || x > 23).as("red at an end, x=%d", x).isTrue();
      } else {
        assertThat(g).as("body at x=%d", x).isGreaterThan(150);
      }
    }
    assertThat(red).isGreaterThan(0);
    // The same pixels as a picture of their own give the same input, byte for byte.
    byte[] cut = new byte[60 * 100 * 3];
    for (int y = 0; y < 100; y++) {
      System.arraycopy(bgr, 3 * y * w, cut, 3 * y * 60, 60 * 3);
    }
    assertThat(p.apply(cut, 60, 100, new Box(0, 0, 60, 100))).isEqualTo(out);
    assertThat(
            CropPreprocessor.byId(CropPreprocessor.ALIGNED_ID, 32, 16)
                .apply(cut, 60, 100, new Box(0, 0, 60, 100)))
        .isEqualTo(out);
    assertThat(CropPreprocessor.byId("stretch-somehow", 32, 16)).isNull();
  }
}
