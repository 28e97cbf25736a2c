package org.farmid.common.synth;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.farmid.common.geom.Box;

/**
 * Draws one camera's pen as the ceiling camera sees it, the same animals as an id mask, and the
 * ground truth of each frame. Pictures are {@code TYPE_3BYTE_BGR} (BGR bytes, the order FFmpeg
 * uses). Not thread-safe: use one renderer per thread.
 */
public final class SceneRenderer {
  private static final int NOISE_TABLE_SIZE = 1 << 20;

  private final CameraRig rig;
  private final byte[] background;
  private final byte[] noise;
  private final Map<Integer, AnimalShape> shapes = new HashMap<>();

  public SceneRenderer(CameraRig rig) {
    this.rig = rig;
    this.background = renderBackground(rig);
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(rig.seed, 11));
    noise = new byte[NOISE_TABLE_SIZE];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (byte) Math.max(-127, Math.min(127, Math.round(rnd.nextGaussian() * 16)));
    }
  }

  public CameraRig rig() {
    return rig;
  }

  /** The outline of an animal, built once per animal. */
  public AnimalShape shapeOf(HerdMember member) {
    return shapes.computeIfAbsent(member.id(), id -> new AnimalShape(member.look()));
  }

  /** A new picture of the right size and type for {@link #render}. */
  public BufferedImage newFrame() {
    return new BufferedImage(rig.width, rig.height, BufferedImage.TYPE_3BYTE_BGR);
  }

  /**
   * Draws the animals over the pen, then applies the lighting and the sensor noise of frame {@code
   * frameSeed}.
   */
  public void render(List<Pose> poses, Lighting lighting, long frameSeed, BufferedImage target) {
    byte[] pixels = ((DataBufferByte) target.getRaster().getDataBuffer()).getData();
    System.arraycopy(background, 0, pixels, 0, background.length);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      for (Pose pose : poses) {
        drawAnimal(g, pose);
      }
    } finally {
      g.dispose();
    }
    applyLight(pixels, lighting, frameSeed);
  }

  private void drawAnimal(Graphics2D g, Pose pose) {
    AnimalLook look = pose.member().look();
    AnimalShape shape = shapeOf(pose.member());
    double l = look.length();
    double w = look.width();

    AffineTransform shadow = rig.worldToImage();
    shadow.translate(pose.x() + 0.04, pose.y() + 0.05);
    shadow.rotate(pose.heading());
    g.setTransform(shadow);
    g.setComposite(AlphaComposite.SrcOver);
    g.setColor(new Color(0, 0, 0, 70));
    g.fill(shape.outline);

    g.setTransform(pose.toImage(rig.worldToImage()));
    int[] t = look.tone();
    Color spine = shade(t, 1.06);
    Color flank = shade(t, 0.84);
    g.setPaint(new GradientPaint(0f, (float) (-w / 2), flank, 0f, 0f, spine, true));
    g.fill(shape.outline);
    g.setColor(shade(t, 0.93));
    g.fill(shape.head);
    g.setColor(new Color(clamp(t[0] + 8), clamp(t[1] - 25), clamp(t[2] - 20)));
    g.fill(shape.snout);
    g.setColor(shade(t, 0.8));
    g.fill(shape.ears);

    Shape oldClip = g.getClip();
    g.clip(shape.body);
    double[] spots = look.spots();
    g.setColor(new Color(60, 45, 40, 210));
    for (int i = 0; i < spots.length; i += 3) {
      double r = spots[i + 2] * l;
      g.fill(new Ellipse2D.Double(spots[i] * l - r, spots[i + 1] * w - r, 2 * r, 2 * r * 0.8));
    }
    int[] m = look.markingRgb();
    g.setColor(new Color(m[0], m[1], m[2], 235));
    drawMarking(g, look, l, w);
    g.setClip(oldClip);

    g.setColor(shade(t, 0.7));
    g.setStroke(new BasicStroke((float) (0.012 * l)));
    g.draw(shape.outline);
  }

  private static void drawMarking(Graphics2D g, AnimalLook look, double l, double w) {
    double off = look.markingOffset() * l * 0.5;
    int p = look.markingParam();
    switch (look.marking()) {
      case STRIPES -> {
        int count = 1 + p % 3;
        for (int i = 0; i < count; i++) {
          double x = -0.3 * l + off + i * 0.14 * l;
          g.fill(new Rectangle2D.Double(x, -w, 0.055 * l, 2 * w));
        }
      }
      case SPINE_LINE ->
          g.fill(new Rectangle2D.Double(-0.36 * l, -0.07 * w + off * 0.2, 0.6 * l, 0.14 * w));
      case SPOTS -> {
        int count = 3 + p % 3;
        double r = 0.045 * l;
        for (int i = 0; i < count; i++) {
          double x = -0.3 * l + i * (0.5 * l / count) + off * 0.3;
          double y = (i % 2 == 0 ? -0.18 : 0.18) * w;
          g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        }
      }
      case NUMBER -> drawDigit(g, p % 10, -0.1 * l + off * 0.3, 0, 0.3 * l, 0.5 * w, 0.06 * l);
      case HIP_PATCH -> {
        double side = p % 2 == 0 ? -1 : 1;
        g.fill(new Ellipse2D.Double(-0.42 * l, side * 0.3 * w - 0.27 * w, 0.26 * l, 0.54 * w));
      }
      case SHOULDER_BAND ->
          g.fill(new Rectangle2D.Double(0.04 * l + off * 0.3, -w, 0.12 * l, 2 * w));
      case CROSS -> {
        double cx = -0.1 * l + off;
        double s = 0.13 * l;
        g.setStroke(
            new BasicStroke((float) (0.05 * l), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g.draw(new Line2D.Double(cx - s, -0.4 * w, cx + s, 0.4 * w));
        g.draw(new Line2D.Double(cx - s, 0.4 * w, cx + s, -0.4 * w));
      }
    }
  }

  /** Seven-segment digit: drawn with strokes, so no font is involved and every JVM draws alike. */
  private static void drawDigit(
      Graphics2D g, int digit, double cx, double cy, double height, double width, double stroke) {
    // Segments a..g as (x1,y1,x2,y2) in a unit box; the digit's "up" points to the animal's nose.
    double[][] seg = {
      {0, 0, 1, 0},
      {1, 0, 1, 0.5},
      {1, 0.5, 1, 1},
      {0, 1, 1, 1},
      {0, 0.5, 0, 1},
      {0, 0, 0, 0.5},
      {0, 0.5, 1, 0.5}
    };
    String[] on = {
      "abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"
    };
    g.setStroke(new BasicStroke((float) stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (char c : on[digit].toCharArray()) {
      double[] s = seg[c - 'a'];
      // unit y runs from the nose side (x high) to the tail side (x low)
      double x1 = cx + height / 2 - s[1] * height;
      double x2 = cx + height / 2 - s[3] * height;
      double y1 = cy - width / 2 + s[0] * width;
      double y2 = cy - width / 2 + s[2] * width;
      g.draw(new Line2D.Double(x1, y1, x2, y2));
    }
  }

  private void applyLight(byte[] px, Lighting lighting, long frameSeed) {
    SplittableRandom rnd = new SplittableRandom(frameSeed);
    int offset = rnd.nextInt(NOISE_TABLE_SIZE);
    int n = px.length / 3;
    int mask = NOISE_TABLE_SIZE - 1;
    if (lighting == Lighting.NIGHT_IR) {
      int sigma = (int) Math.round(rig.noiseSigma * 2.5 * 16);
      for (int i = 0, j = 0; i < n; i++, j += 3) {
        int b = px[j] & 0xff;
        int gr = px[j + 1] & 0xff;
        int r = px[j + 2] & 0xff;
        int grey = (29 * b + 150 * gr + 77 * r) >> 8;
        int v = 55 + ((grey * 140) >> 8) + ((noise[(offset + i) & mask] * sigma) >> 8);
        byte out = (byte) clamp(v);
        px[j] = out;
        px[j + 1] = out;
        px[j + 2] = out;
      }
      return;
    }
    double brightness = lighting == Lighting.DUSK ? 0.58 : 1.0;
    double[] tint =
        lighting == Lighting.DUSK ? new double[] {0.8, 0.95, 1.1} : new double[] {1, 1, 1};
    int[][] lut = new int[3][256];
    for (int c = 0; c < 3; c++) {
      double gain = brightness * tint[c] * rig.channelGain[2 - c];
      for (int v = 0; v < 256; v++) {
        lut[c][v] = (int) Math.round(v * gain);
      }
    }
    int sigma = (int) Math.round(rig.noiseSigma * 16);
    for (int j = 0; j < px.length; j++) {
      int v = lut[j % 3][px[j] & 0xff] + ((noise[(offset + j) & mask] * sigma) >> 8);
      px[j] = (byte) clamp(v);
    }
  }

  /**
   * The animals alone, each filled with {@code index + 1} of its pose, at {@code scale} of the
   * picture size, without anti-aliasing: pixel (x, y) belongs to the last animal drawn over it.
   */
  public int[] renderMask(List<Pose> poses, double scale) {
    int w = (int) Math.round(rig.width * scale);
    int h = (int) Math.round(rig.height * scale);
    BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = mask.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      for (int i = 0; i < poses.size(); i++) {
        AffineTransform t = AffineTransform.getScaleInstance(scale, scale);
        t.concatenate(poses.get(i).toImage(rig.worldToImage()));
        g.setTransform(t);
        g.setColor(new Color(i + 1));
        g.fill(shapeOf(poses.get(i).member()).outline);
      }
    } finally {
      g.dispose();
    }
    return ((DataBufferInt) mask.getRaster().getDataBuffer()).getData();
  }

  /**
   * The ground truth of one frame: one row per animal with any part in the picture, in drawing
   * order.
   */
  public List<GroundTruthRow> groundTruth(int frameNumber, List<Pose> poses) {
    int count = poses.size();
    Shape[] outlines = new Shape[count];
    Rectangle2D[] bounds = new Rectangle2D[count];
    double[] areas = new double[count];
    for (int i = 0; i < count; i++) {
      AffineTransform t = poses.get(i).toImage(rig.worldToImage());
      AnimalShape shape = shapeOf(poses.get(i).member());
      outlines[i] = t.createTransformedShape(shape.outline);
      bounds[i] = shape.bounds(t);
      areas[i] = shape.area() * Math.abs(t.getDeterminant());
    }
    int[] visibleCounts = null;
    double maskScale = 0.5;
    List<GroundTruthRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Rectangle2D b = bounds[i];
      Box box =
          Box.ofCorners(
                  Math.floor(b.getMinX()),
                  Math.floor(b.getMinY()),
                  Math.ceil(b.getMaxX()),
                  Math.ceil(b.getMaxY()))
              .clip(rig.width, rig.height);
      if (box.area() == 0) {
        continue;
      }
      boolean inside =
          b.getMinX() >= 0
              && b.getMinY() >= 0
              && b.getMaxX() <= rig.width
              && b.getMaxY() <= rig.height;
      boolean covered = false;
      for (int j = i + 1; j < count && inside && !covered; j++) {
        if (bounds[j].intersects(b)) {
          Area a = new Area(outlines[i]);
          a.intersect(new Area(outlines[j]));
          covered = !a.isEmpty();
        }
      }
      double visibility;
      if (inside && !covered) {
        visibility = 1.0;
      } else {
        if (visibleCounts == null) {
          visibleCounts = new int[count + 1];
          for (int v : renderMask(poses, maskScale)) {
            visibleCounts[v & 0xffffff]++;
          }
        }
        double seen = visibleCounts[i + 1] / (maskScale * maskScale);
        if (seen == 0) {
          continue;
        }
        visibility = Math.min(0.99, Math.round(100 * seen / areas[i]) / 100.0);
        visibility = Math.max(0.01, visibility);
      }
      rows.add(new GroundTruthRow(frameNumber, poses.get(i).member().id(), box, visibility));
    }
    return rows;
  }

  /**
   * A labelled crop of {@code member} for enrolment, from a scene of its own (never an archive
   * frame): random place, heading and lighting, sometimes with pen-mates beside it.
   */
  public BufferedImage enrolmentCrop(
      HerdMember member, List<HerdMember> penMates, SplittableRandom rnd) {
    AnimalShape shape = shapeOf(member);
    Pose pose = null;
    for (int attempt = 0; attempt < 100 && pose == null; attempt++) {
      Pose candidate =
          new Pose(
              member,
              0.6 + rnd.nextDouble() * (rig.penWidth - 1.2),
              0.6 + rnd.nextDouble() * (rig.penHeight - 1.2),
              rnd.nextDouble() * 2 * Math.PI,
              false);
      Rectangle2D b = shape.bounds(candidate.toImage(rig.worldToImage()));
      if (b.getMinX() >= 2
          && b.getMinY() >= 2
          && b.getMaxX() <= rig.width - 2
          && b.getMaxY() <= rig.height - 2) {
        pose = candidate;
      }
    }
    if (pose == null) {
      throw new IllegalStateException("no place in view for animal " + member.id());
    }
    List<Pose> poses = new ArrayList<>();
    int mates = penMates.isEmpty() ? 0 : rnd.nextInt(3);
    for (int k = 0; k < mates; k++) {
      HerdMember mate = penMates.get(rnd.nextInt(penMates.size()));
      if (mate.id() == member.id()) {
        continue;
      }
      double angle = rnd.nextDouble() * 2 * Math.PI;
      double distance = 0.5 + rnd.nextDouble() * 0.6;
      poses.add(
          new Pose(
              mate,
              pose.x() + Math.cos(angle) * distance,
              pose.y() + Math.sin(angle) * distance,
              rnd.nextDouble() * 2 * Math.PI,
              true));
    }
    poses.add(pose);
    double r = rnd.nextDouble();
    Lighting lighting = r < 0.6 ? Lighting.DAY : r < 0.75 ? Lighting.DUSK : Lighting.NIGHT_IR;
    BufferedImage frame = newFrame();
    render(poses, lighting, rnd.nextLong(), frame);
    Rectangle2D b = shape.bounds(pose.toImage(rig.worldToImage()));
    double margin = 0.08;
    Box crop =
        Box.ofCorners(
                Math.floor(b.getMinX() - margin * b.getWidth()),
                Math.floor(b.getMinY() - margin * b.getHeight()),
                Math.ceil(b.getMaxX() + margin * b.getWidth()),
                Math.ceil(b.getMaxY() + margin * b.getHeight()))
            .clip(rig.width, rig.height);
    BufferedImage out =
        new BufferedImage((int) crop.width(), (int) crop.height(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(
        frame.getSubimage(
            (int) crop.left(), (int) crop.top(), (int) crop.width(), (int) crop.height()),
        0,
        0,
        null);
    g.dispose();
    return out;
  }

  private static byte[] renderBackground(CameraRig rig) {
    BufferedImage img = new BufferedImage(rig.width, rig.height, BufferedImage.TYPE_3BYTE_BGR);
    SplittableRandom rnd = new SplittableRandom(Seeds.mix(rig.seed, 10));
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(104, 102, 98));
      g.fillRect(0, 0, rig.width, rig.height);
      g.setTransform(rig.worldToImage());
      double pw = rig.penWidth;
      double ph = rig.penHeight;
      Rectangle2D pen = new Rectangle2D.Double(0, 0, pw, ph);
      g.setColor(rig.slattedFloor ? new Color(148, 142, 131) : new Color(162, 156, 144));
      g.fill(pen);
      for (int i = 0; i < 400; i++) {
        int grey = 130 + rnd.nextInt(50);
        g.setColor(new Color(grey, grey - 4, grey - 10, 45));
        double r = 0.03 + rnd.nextDouble() * 0.15;
        g.fill(new Ellipse2D.Double(rnd.nextDouble() * pw, rnd.nextDouble() * ph, r * 2, r));
      }
      if (rig.slattedFloor) {
        // The dunging third of the pen is slatted: dark gaps across the floor.
        g.setColor(new Color(52, 50, 46));
        for (double x = pw * 0.62; x < pw; x += 0.13) {
          g.fill(new Rectangle2D.Double(x, 0, 0.028, ph));
        }
      }
      for (int i = 0; i < 14; i++) {
        g.setColor(new Color(95 + rnd.nextInt(30), 80 + rnd.nextInt(20), 55, 55));
        double rw = 0.2 + rnd.nextDouble() * 0.6;
        g.fill(
            new Ellipse2D.Double(
                rnd.nextDouble() * pw, rnd.nextDouble() * ph, rw, rw * (0.4 + rnd.nextDouble())));
      }
      double fx = pw * (0.25 + rnd.nextDouble() * 0.2);
      g.setColor(new Color(172, 176, 182));
      g.fill(new Rectangle2D.Double(fx, 0.05, 1.3, 0.34));
      g.setColor(new Color(70, 70, 74));
      g.fill(new Rectangle2D.Double(fx + 0.06, 0.1, 1.18, 0.22));
      g.setColor(new Color(150, 155, 160));
      g.fill(new Ellipse2D.Double(pw - 0.5, ph - 0.5, 0.22, 0.22));
      g.setStroke(new BasicStroke(0.12f));
      g.setColor(new Color(188, 188, 182));
      g.draw(pen);
      g.setStroke(new BasicStroke(0.03f));
      g.setColor(new Color(120, 120, 116));
      Path2D.Double inner =
          new Path2D.Double(new Rectangle2D.Double(0.07, 0.07, pw - 0.14, ph - 0.14));
      g.draw(inner);
    } finally {
      g.dispose();
    }
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < px.length; i += 3) {
      int d = rnd.nextInt(-6, 7);
      for (int c = 0; c < 3; c++) {
        px[i + c] = (byte) clamp((px[i + c] & 0xff) + d);
      }
    }
    return px.clone();
  }

  private static Color shade(int[] rgb, double f) {
    return new Color(
        clamp((int) (rgb[0] * f)), clamp((int) (rgb[1] * f)), clamp((int) (rgb[2] * f)));
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(255, v);
  }
}
