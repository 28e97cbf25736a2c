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
}
