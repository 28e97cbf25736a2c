package org.farmid.common.synth;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A pig seen from above, in its own frame: metres, nose towards +x, origin at mid-body. The outline
 * is one flattened polygon so bounding boxes computed from its vertices are exact and the mask and
 * the picture are filled from the very same shape.
 */
public final class AnimalShape {
  final Shape body;
  final Shape head;
  final Shape snout;
  final Shape ears;

  /** The whole outline as a polygon: body, head, snout, ears and tail. */
  final Path2D.Double outline;

  final double[] outlinePoints;
  final double localArea;

  public AnimalShape(AnimalLook look) {
    double l = look.length();
    double w = look.width();
    body = new Ellipse2D.Double(-0.45 * l, -w / 2, 0.76 * l, w);
    head = new Ellipse2D.Double(0.20 * l, -0.31 * w, 0.30 * l, 0.62 * w);
    snout = new Ellipse2D.Double(0.44 * l, -0.17 * w, 0.11 * l, 0.34 * w);
    Path2D.Double earPath = new Path2D.Double();
    for (int side = -1; side <= 1; side += 2) {
      earPath.moveTo(0.34 * l, side * 0.16 * w);
      earPath.lineTo(0.25 * l, side * 0.44 * w);
      earPath.lineTo(0.21 * l, side * 0.20 * w);
      earPath.closePath();
    }
    ears = earPath;
    Shape tail = new Ellipse2D.Double(-0.49 * l, -0.03 * l, 0.06 * l, 0.06 * l);

    Area union = new Area(body);
    union.add(new Area(head));
    union.add(new Area(snout));
    union.add(new Area(ears));
    union.add(new Area(tail));
    outline = new Path2D.Double();
    List<Double> points = new ArrayList<>();
    double area = 0;
    double[] seg = new double[6];
    double startX = 0;
    double startY = 0;
    double lastX = 0;
    double lastY = 0;
    for (PathIterator it = union.getPathIterator(null, 0.002 * l); !it.isDone(); it.next()) {
      int type = it.currentSegment(seg);
      switch (type) {
        case PathIterator.SEG_MOVETO -> {
          outline.moveTo(seg[0], seg[1]);
          startX = lastX = seg[0];
          startY = lastY = seg[1];
          points.add(seg[0]);
          points.add(seg[1]);
        }
        case PathIterator.SEG_LINETO -> {
          outline.lineTo(seg[0], seg[1]);
          area += lastX * seg[1] - seg[0] * lastY;
          lastX = seg[0];
          lastY = seg[1];
          points.add(seg[0]);
          points.add(seg[1]);
        }
        case PathIterator.SEG_CLOSE -> {
          outline.closePath();
          area += lastX * startY - startX * lastY;
          lastX = startX;
          lastY = startY;
        }
        default -> throw new IllegalStateException("flattened path has curve segment " + type);
      }
    }
    outlinePoints = points.stream().mapToDouble(Double::doubleValue).toArray();
    localArea = Math.abs(area) / 2;
  }

  /** The outline's vertices under {@code toImage}, as x0,y0,x1,y1,... */
  public double[] transformedPoints(AffineTransform toImage) {
    double[] out = new double[outlinePoints.length];
    toImage.transform(outlinePoints, 0, out, 0, outlinePoints.length / 2);
    return out;
  }

  /** Exact bounds of the outline under {@code toImage}. */
  public Rectangle2D bounds(AffineTransform toImage) {
    double[] p = transformedPoints(toImage);
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p.length; i += 2) {
      minX = Math.min(minX, p[i]);
      maxX = Math.max(maxX, p[i]);
      minY = Math.min(minY, p[i + 1]);
      maxY = Math.max(maxY, p[i + 1]);
    }
    return new Rectangle2D.Double(minX, minY, maxX - minX, maxY - minY);
  }

  /** Area of the outline in square metres. */
  public double area() {
    return localArea;
  }
}
