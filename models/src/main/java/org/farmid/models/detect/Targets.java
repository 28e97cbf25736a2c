package org.farmid.models.detect;

import java.util.List;
import org.farmid.common.geom.Box;

/** CenterNet training targets of one frame: centre heatmap, box size and sub-cell offset. */
final class Targets {
  private Targets() {}

  /**
   * Draws the targets of image {@code n} of a batch into flat {@code [N, oh, ow, C]} arrays. Boxes
   * are in input pixels; sizes are written as shares of the input, offsets in cells.
   */
  static void draw(
      List<Box> boxes,
      int inputWidth,
      int inputHeight,
      int stride,
      int ow,
      int oh,
      int n,
      float[] heat,
      float[] size,
      float[] offset,
      float[] centers) {
    int base = n * oh * ow;
    for (Box b : boxes) {
      double cx = b.centerX() / stride;
      double cy = b.centerY() / stride;
      int ix = Math.max(0, Math.min(ow - 1, (int) Math.floor(cx)));
      int iy = Math.max(0, Math.min(oh - 1, (int) Math.floor(cy)));
      double sx = Math.max(0.5, b.width() / stride / 6);
      double sy = Math.max(0.5, b.height() / stride / 6);
      int rx = (int) Math.ceil(3 * sx);
      int ry = (int) Math.ceil(3 * sy);
      for (int y = Math.max(0, iy - ry); y <= Math.min(oh - 1, iy + ry); y++) {
        for (int x = Math.max(0, ix - rx); x <= Math.min(ow - 1, ix + rx); x++) {
          double g =
              Math.exp(
                  -((x - ix) * (x - ix) / (2 * sx * sx) + (y - iy) * (y - iy) / (2 * sy * sy)));
          int cell = base + y * ow + x;
          heat[cell] = (float) Math.max(heat[cell], g);
        }
      }
      int cell = base + iy * ow + ix;
      heat[cell] = 1f;
      centers[cell] = 1f;
      size[2 * cell] = (float) (b.width() / inputWidth);
      size[2 * cell + 1] = (float) (b.height() / inputHeight);
      offset[2 * cell] = (float) (cx - ix);
      offset[2 * cell + 1] = (float) (cy - iy);
    }
  }
}
