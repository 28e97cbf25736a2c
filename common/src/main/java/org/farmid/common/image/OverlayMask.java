package org.farmid.common.image;

import java.util.ArrayDeque;
import org.farmid.common.video.VideoFrame;

/**
 * Hides text a recorder or another tracker burnt into the picture (numbers beside each animal, a
 * clock), so that crops cut from such footage cannot be told apart by the text: every small
 * connected patch of near-black pixels (each channel below {@code level}, grown by one pixel) whose
 * bounding box is at most {@code maxSide} pixels each way is covered, box and two pixels around it,
 * by the mean colour of the pixels on that box's border that are not themselves dark. Filling the
 * whole box, not the pixels, leaves no outline of the glyph. Larger dark regions (shadows, a dark
 * floor) are left as they are.
 */
public final class OverlayMask {
  private OverlayMask() {}

  /** What counts as burnt-in text: darker than {@code level}, at most {@code maxSide} across. */
  public record Settings(int level, int maxSide) {
    public Settings {
      if (level < 1 || level > 255 || maxSide < 1) {
        throw new IllegalArgumentException(
            "level must lie in [1, 255] and maxSide be at least 1, got " + level + ", " + maxSide);
      }
    }
  }

  /** The four neighbours a patch grows through. */
  private static final int[][] STEPS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};

  /** The frame with its small dark patches covered; the input is not changed. */
  public static VideoFrame apply(VideoFrame f, Settings settings) {
    int level = settings.level();
    int maxSide = settings.maxSide();
    int w = f.width();
    int h = f.height();
    byte[] in = f.bgr();
    boolean[] dark = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        int max = Math.max(in[i] & 0xff, Math.max(in[i + 1] & 0xff, in[i + 2] & 0xff));
        if (max < level) {
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int xx = x + dx;
              int yy = y + dy;
              if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                dark[yy * w + xx] = true;
              }
            }
          }
        }
      }
    }
    byte[] out = in.clone();
    boolean[] seen = new boolean[w * h];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < w * h; start++) {
      if (!dark[start] || seen[start]) {
        continue;
      }
      seen[start] = true;
      queue.add(start);
      int x0 = w;
      int y0 = h;
      int x1 = -1;
      int y1 = -1;
      while (!queue.isEmpty()) {
        int c = queue.poll();
        int cx = c % w;
        int cy = c / w;
        x0 = Math.min(x0, cx);
        x1 = Math.max(x1, cx);
        y0 = Math.min(y0, cy);
        y1 = Math.max(y1, cy);
        for (int[] s : STEPS) {
          int xx = cx + s[0];
          int yy = cy + s[1];
          if (xx >= 0 && yy >= 0 && xx < w && yy < h && dark[yy * w + xx] && !seen[yy * w + xx]) {
            seen[yy * w + xx] = true;
            queue.add(yy * w + xx);
          }
        }
      }
      if (x1 - x0 + 1 > maxSide || y1 - y0 + 1 > maxSide) {
        continue;
      }
      x0 = Math.max(0, x0 - 2);
      y0 = Math.max(0, y0 - 2);
      x1 = Math.min(w - 1, x1 + 2);
      y1 = Math.min(h - 1, y1 + 2);
      long[] sum = new long[3];
      long n = 0;
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          boolean border = y == y0 || y == y1 || x == x0 || x == x1;
          if (border && !dark[y * w + x]) {
            int i = 3 * (y * w + x);
            for (int ch = 0; ch < 3; ch++) {
              sum[ch] += in[i + ch] & 0xff;
            }
            n++;
          }
        }
      }
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          int i = 3 * (y * w + x);
          for (int ch = 0; ch < 3; ch++) {
            out[i + ch] = (byte) (n == 0 ? 128 : Math.round(sum[ch] / (double) n));
          }
        }
      }
    }
    return new VideoFrame(f.index(), f.timestampMicros(), w, h, out);
  }
}
