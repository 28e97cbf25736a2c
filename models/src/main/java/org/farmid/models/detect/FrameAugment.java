package org.farmid.models.detect;

import org.farmid.common.geom.Box;

/**
 * Augmentation of a detector training frame: mirror images across either axis (footage is seen from
 * above, so an animal upside down is still an animal) and a change of contrast and brightness,
 * applied to the RGB bytes and the boxes alike.
 */
final class FrameAugment {
  private FrameAugment() {}

  /** What to do to one frame: flips, then {@code value * gain + bias}, clamped to 0..255. */
  record Change(boolean flipX, boolean flipY, float gain, float bias) {
    static final Change NONE = new Change(false, false, 1f, 0f);
  }

  /** The frame's RGB bytes ({@code width x height x 3}) changed. */
  static byte[] pixels(byte[] rgb, int width, int height, Change c) {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      int sy = c.flipY() ? height - 1 - y : y;
      for (int x = 0; x < width; x++) {
        int sx = c.flipX() ? width - 1 - x : x;
        int from = (sy * width + sx) * 3;
        int to = (y * width + x) * 3;
        for (int k = 0; k < 3; k++) {
          float v = (rgb[from + k] & 0xff) * c.gain() + c.bias();
          out[to + k] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return out;
  }

  /** A box of the frame after the same flips. */
  static Box box(Box b, int width, int height, Change c) {
    double left = c.flipX() ? width - b.right() : b.left();
    double top = c.flipY() ? height - b.bottom() : b.top();
    return new Box(left, top, b.width(), b.height());
  }
}
