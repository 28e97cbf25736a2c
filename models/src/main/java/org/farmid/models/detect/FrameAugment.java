package org.farmid.models.detect;

import org.farmid.common.geom.Box;
import org.farmid.common.image.CropPreprocessor;

/**
 * Augmentation of a detector training frame: a zoom into part of it (animals larger, and cut by the
 * picture's edge as at the edge of a camera's view), mirror images across either axis (footage is
 * seen from above, so an animal upside down is still an animal) and a change of contrast and
 * brightness, applied to the RGB bytes and the boxes alike.
 */
final class FrameAugment {
  private FrameAugment() {}

  /** What to do to one frame: flips, then {@code value * gain + bias}, clamped to 0..255. */
  record Change(boolean flipX, boolean flipY, float gain, float bias) {
    static final Change NONE = new Change(false, false, 1f, 0f);
  }

  /**
   * A zoom: the window of {@code width / scale x height / scale} pixels whose top-left corner is at
   * ({@code left}, {@code top}) stretched to the whole frame.
   */
  record Window(double left, double top, double scale) {}

  /** Boxes cut by the window's edge to less than this many pixels either way are dropped. */
  static final double MIN_SIDE = 4;

  /**
   * The window's pixels stretched to the frame's {@code width x height}, bilinear ({@link
   * CropPreprocessor#stretch}).
   */
  static byte[] zoom(byte[] rgb, int width, int height, Window w) {
    return CropPreprocessor.stretch(
        rgb,
        width,
        height,
        new Box(w.left(), w.top(), width / w.scale(), height / w.scale()),
        width,
        height);
  }

  /**
   * A box of the frame in the zoomed frame, cut to the frame's edge: null when less than {@link
   * #MIN_SIDE} pixels of it are left either way.
   */
  static Box zoom(Box b, int width, int height, Window w) {
    double left = Math.max(0, (b.left() - w.left()) * w.scale());
    double top = Math.max(0, (b.top() - w.top()) * w.scale());
    double right = Math.min(width, (b.right() - w.left()) * w.scale());
    double bottom = Math.min(height, (b.bottom() - w.top()) * w.scale());
    if (right - left < MIN_SIDE || bottom - top < MIN_SIDE) {
      return null;
    }
    return new Box(left, top, right - left, bottom - top);
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
