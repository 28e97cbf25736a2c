package org.farmid.common.geom;

import java.util.List;

/**
 * An axis-aligned box in pixel coordinates: left, top, width, height (the MOTChallenge convention).
 * Width and height are never negative.
 */
public record Box(double left, double top, double width, double height)
    implements java.io.Serializable {

  public Box {
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException("box with negative size: " + width + "x" + height);
    }
  }

  /** A box from its corners; corners may come in any order. */
  public static Box ofCorners(double x1, double y1, double x2, double y2) {
    return new Box(Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1));
  }

  public double right() {
    return left + width;
  }

  public double bottom() {
    return top + height;
  }

  public double area() {
    return width * height;
  }

  public double centerX() {
    return left + width / 2;
  }

  public double centerY() {
    return top + height / 2;
  }

  /** Area shared with another box (0 when they do not overlap). */
  public double intersection(Box other) {
    double w = Math.min(right(), other.right()) - Math.max(left, other.left);
    double h = Math.min(bottom(), other.bottom()) - Math.max(top, other.top);
    return w <= 0 || h <= 0 ? 0 : w * h;
  }

  /**
   * The largest share of {@code boxes.get(k)} that one other box of the list covers: 0 when none
   * overlaps it or it is empty, 1 when one holds it whole.
   */
  public static double largestCover(List<Box> boxes, int k) {
    Box b = boxes.get(k);
    double area = b.area();
    if (area <= 0) {
      return 0;
    }
    double most = 0;
    for (int j = 0; j < boxes.size(); j++) {
      if (j != k) {
        most = Math.max(most, Math.min(1, boxes.get(j).intersection(b) / area));
      }
    }
    return most;
  }

  /** Intersection over union; 0 for two empty boxes. */
  public double iou(Box other) {
    double inter = intersection(other);
    double union = area() + other.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** This box clipped to [0,width) x [0,height); empty (zero-size) when fully outside. */
  public Box clip(double frameWidth, double frameHeight) {
    double l = Math.max(0, Math.min(frameWidth, left));
    double t = Math.max(0, Math.min(frameHeight, top));
    double r = Math.max(l, Math.min(frameWidth, right()));
    double b = Math.max(t, Math.min(frameHeight, bottom()));
    return new Box(l, t, r - l, b - t);
  }
}
