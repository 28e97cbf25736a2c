package org.farmid.common.image;

import java.util.Arrays;
import org.farmid.common.geom.Box;

/**
 * The long axis of the animal a top-view crop is centred on, so that every crop of one animal can
 * be turned to lie the same way (nose and tail along the model input's x axis, up to which end is
 * which). A detection box is axis-aligned: an animal lying diagonally fills it with floor and
 * neighbours, and one lying across the picture shows its markings turned a quarter from one lying
 * along it. Markings (painted stripes, coat patches) are read along the body; turned to the body's
 * axis, they stand in the same place in every crop.
 *
 * <p>The rule: the region is sampled on a {@value #GRID} x {@value #GRID} grid (so the result does
 * not depend on the picture's resolution), split into two classes by Otsu's threshold on luminance,
 * and the class that holds most of the region's central part is the animal (bright pigs on a dark
 * floor and dark animals on a bright one alike). Its second moments, each cell weighted by a
 * Gaussian around the region's centre (a neighbour at the box's edge weighs little), give the axis;
 * the animal's cells near the centre, projected on the axis and across it (2nd to 98th percentile),
 * give its length and breadth. Where too few cells are the animal, the region itself is the answer,
 * turned so its longer side lies along x.
 */
public final class BodyAxis {
  /** Sampling grid, cells per side of the region. */
  static final int GRID = 48;

  /** Extra room around the animal's extent, a share of length and breadth. */
  static final double MARGIN = 0.08;

  private BodyAxis() {}

  /**
   * A rectangle turned by {@code angle} radians (from the picture's x axis towards its y axis, in
   * (-pi/2, pi/2]), centred on ({@code centerX}, {@code centerY}) in continuous pixel coordinates
   * (pixel i spans [i, i+1)), {@code length} along the axis and {@code breadth} across it.
   */
  public record Oriented(
      double centerX, double centerY, double angle, double length, double breadth) {}

  /** The region itself, its longer side taken as the axis. */
  public static Oriented ofRegion(Box region) {
    if (region.width() >= region.height()) {
      return new Oriented(region.centerX(), region.centerY(), 0, region.width(), region.height());
    }
    return new Oriented(
        region.centerX(), region.centerY(), Math.PI / 2, region.height(), region.width());
  }

  /** The body axis of the animal in {@code region} of a packed BGR picture. */
  public static Oriented of(byte[] bgr, int width, int height, Box region) {
    if (region.width() < 2 || region.height() < 2) {
      return ofRegion(region);
    }
    byte[] rgb = CropPreprocessor.resizeWithin(bgr, width, height, region, GRID, GRID);
    int n = GRID * GRID;
    int[] luma = new int[n];
    int[] histogram = new int[256];
    for (int i = 0; i < n; i++) {
      int r = rgb[3 * i] & 0xff;
      int g = rgb[3 * i + 1] & 0xff;
      int b = rgb[3 * i + 2] & 0xff;
      luma[i] = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      histogram[luma[i]]++;
    }
    int threshold = otsu(histogram, n);
    if (threshold < 0) {
      return ofRegion(region);
    }
    boolean[] animal = new boolean[n];
    int central = 0;
    int centralBright = 0;
    for (int y = 0; y < GRID; y++) {
      for (int x = 0; x < GRID; x++) {
        int i = y * GRID + x;
        animal[i] = luma[i] > threshold;
        if (isCentral(x) && isCentral(y)) {
          central++;
          centralBright += animal[i] ? 1 : 0;
        }
      }
    }
    if (2 * centralBright < central) {
      for (int i = 0; i < n; i++) {
        animal[i] = !animal[i];
      }
    }
    // Weighted moments in pixel units (the region's own aspect kept).
    double cell = region.width() / GRID;
    double row = region.height() / GRID;
    double[] weight = new double[n];
    double sw = 0;
    double sx = 0;
    double sy = 0;
    for (int y = 0; y < GRID; y++) {
      for (int x = 0; x < GRID; x++) {
        int i = y * GRID + x;
        if (!animal[i]) {
          continue;
        }
        double dx = (x + 0.5) / GRID * 2 - 1;
        double dy = (y + 0.5) / GRID * 2 - 1;
        weight[i] = Math.exp(-(dx * dx + dy * dy));
        sw += weight[i];
        sx += weight[i] * (x + 0.5) * cell;
        sy += weight[i] * (y + 0.5) * row;
      }
    }
    if (sw < 0.02 * n) {
      return ofRegion(region);
    }
    double mx = sx / sw;
    double my = sy / sw;
    double mu20 = 0;
    double mu02 = 0;
    double mu11 = 0;
    for (int y = 0; y < GRID; y++) {
      for (int x = 0; x < GRID; x++) {
        int i = y * GRID + x;
        if (weight[i] == 0) {
          continue;
        }
        double ddx = (x + 0.5) * cell - mx;
        double ddy = (y + 0.5) * row - my;
        mu20 += weight[i] * ddx * ddx;
        mu02 += weight[i] * ddy * ddy;
        mu11 += weight[i] * ddx * ddy;
      }
    }
    double angle = 0.5 * Math.atan2(2 * mu11, mu20 - mu02);
    double ux = Math.cos(angle);
    double uy = Math.sin(angle);
    // Extent of the animal's cells that weigh at least a third of the centre's.
    double[] along = new double[n];
    double[] across = new double[n];
    int k = 0;
    for (int y = 0; y < GRID; y++) {
      for (int x = 0; x < GRID; x++) {
        int i = y * GRID + x;
        if (weight[i] < 0.3) {
          continue;
        }
        double ddx = (x + 0.5) * cell - mx;
        double ddy = (y + 0.5) * row - my;
        along[k] = ddx * ux + ddy * uy;
        across[k] = -ddx * uy + ddy * ux;
        k++;
      }
    }
    if (k < 0.02 * n) {
      return ofRegion(region);
    }
    double[] a = Arrays.copyOf(along, k);
    double[] b = Arrays.copyOf(across, k);
    Arrays.sort(a);
    Arrays.sort(b);
    double a0 = percentile(a, 0.02);
    double a1 = percentile(a, 0.98);
    double b0 = percentile(b, 0.02);
    double b1 = percentile(b, 0.98);
    double step = Math.max(cell, row);
    double length = (a1 - a0 + step) * (1 + MARGIN);
    double breadth = (b1 - b0 + step) * (1 + MARGIN);
    double ca = (a0 + a1) / 2;
    double cb = (b0 + b1) / 2;
    double cx = region.left() + mx + ca * ux - cb * uy;
    double cy = region.top() + my + ca * uy + cb * ux;
    if (breadth > length) {
      // The moments' major axis is the longer one; the percentiles can disagree on a round blob.
      double t = length;
      length = breadth;
      breadth = t;
      angle = angle > 0 ? angle - Math.PI / 2 : angle + Math.PI / 2;
    }
    if (angle <= -Math.PI / 2) {
      angle += Math.PI;
    }
    return new Oriented(cx, cy, angle, length, breadth);
  }

  private static boolean isCentral(int cell) {
    return cell >= GRID * 35 / 100 && cell < GRID * 65 / 100;
  }

  private static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  /**
   * Otsu's threshold: pixels above it are one class, the rest the other; -1 when every pixel has
   * one value.
   */
  static int otsu(int[] histogram, int total) {
    double sum = 0;
    for (int i = 0; i < 256; i++) {
      sum += (double) i * histogram[i];
    }
    double sumBelow = 0;
    int below = 0;
    double best = -1;
    int threshold = -1;
    for (int t = 0; t < 256; t++) {
      below += histogram[t];
      if (below == 0) {
        continue;
      }
      int above = total - below;
      if (above == 0) {
        break;
      }
      sumBelow += (double) t * histogram[t];
      double meanBelow = sumBelow / below;
      double meanAbove = (sum - sumBelow) / above;
      double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
      if (between > best) {
        best = between;
        threshold = t;
      }
    }
    return threshold;
  }
}
