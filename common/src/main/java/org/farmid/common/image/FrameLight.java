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
}
