package org.farmid.common.image;

/**
 * Tells infrared night frames from colour ones: an infrared camera gives grey pictures, so the
 * spread between a pixel's largest and smallest channel stays near zero everywhere.
 */
public final class FrameLight {
  /** Mean channel spread (0-255) below which a frame counts as infrared. */
  public static final double INFRARED_BELOW = 6.0;

  private FrameLight() {}

  /** Mean of max(B,G,R) - min(B,G,R) over a grid of about 10,000 pixels of a packed BGR frame. */
  public static double colourSpread(byte[] bgr, int width, int height) {
    int pixels = width * height;
    int step = Math.max(1, pixels / 10_000);
    long sum = 0;
    int n = 0;
    for (int p = 0; p < pixels; p += step) {
      int b = bgr[3 * p] & 0xff;
      int g = bgr[3 * p + 1] & 0xff;
      int r = bgr[3 * p + 2] & 0xff;
      sum += Math.max(b, Math.max(g, r)) - Math.min(b, Math.min(g, r));
      n++;
    }
    return n == 0 ? 0 : (double) sum / n;
  }

  public static boolean isInfrared(byte[] bgr, int width, int height) {
    return colourSpread(bgr, width, height) < INFRARED_BELOW;
  }

  /**
   * The luminance of the pixel starting at byte {@code i} of packed RGB, 0-255: {@code (77 R + 150
   * G + 29 B) / 256}, the grey an infrared camera or a grey conversion gives it.
   */
  public static int luminance(byte[] rgb, int i) {
    return (77 * (rgb[i] & 0xff) + 150 * (rgb[i + 1] & 0xff) + 29 * (rgb[i + 2] & 0xff)) >> 8;
  }

  /** Whether a picture (a frame or a crop) is an infrared camera's grey one. */
  public static boolean isInfrared(java.awt.image.BufferedImage img) {
    return isInfrared(packedRgb(img), img.getWidth(), img.getHeight());
  }

  /** A picture's pixels as packed RGB bytes, row by row. */
  public static byte[] packedRgb(java.awt.image.BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] packed = new byte[3 * argb.length];
    for (int i = 0; i < argb.length; i++) {
      packed[3 * i] = (byte) (argb[i] >> 16);
      packed[3 * i + 1] = (byte) (argb[i] >> 8);
      packed[3 * i + 2] = (byte) argb[i];
    }
    return packed;
  }
}
