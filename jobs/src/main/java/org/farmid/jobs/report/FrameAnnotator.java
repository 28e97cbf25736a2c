package org.farmid.jobs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.List;
import org.farmid.common.gallery.OpenSetClassifier;

/**
 * Draws boxes and labels onto a packed BGR frame, in place: named animals in a colour of their own,
 * {@code unknown} in red. Java2D paints straight into the frame's bytes (no copy).
 */
public final class FrameAnnotator {
  /** The colour of {@code unknown} boxes. */
  public static final Color UNKNOWN = new Color(230, 30, 30);

  /** One box to draw, in pixels, with its label. */
  public record Mark(
      double left, double top, double width, double height, String label, String animal) {
    public boolean unknown() {
      return OpenSetClassifier.UNKNOWN.equals(animal);
    }
  }

  private FrameAnnotator() {}

  /** Draws {@code marks} and a caption line (top left) onto the frame's BGR bytes. */
  public static void draw(byte[] bgr, int width, int height, List<Mark> marks, String caption) {
    if (bgr.length != width * height * 3) {
      throw new IllegalArgumentException(
          "frame of " + width + "x" + height + " needs " + width * height * 3 + " bytes");
    }
    BufferedImage image = wrap(bgr, width, height);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      int fontSize = Math.max(10, height / 40);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
      FontMetrics fm = g.getFontMetrics();
      float stroke = Math.max(2f, height / 300f);
      g.setStroke(new BasicStroke(stroke));
      for (Mark m : marks) {
        Color c = m.unknown() ? UNKNOWN : colourOf(m.animal());
        int x = (int) Math.round(m.left());
        int y = (int) Math.round(m.top());
        int w = (int) Math.round(m.width());
        int h = (int) Math.round(m.height());
        g.setColor(c);
        g.drawRect(x, y, w, h);
        int tw = fm.stringWidth(m.label()) + 6;
        int th = fm.getHeight();
        int ty = y - th >= 0 ? y - th : y;
        // keep the label inside the frame when the box touches its right edge
        int tx = Math.max(0, Math.min(x, width - tw));
        g.fillRect(tx, ty, tw, th);
        g.setColor(Color.WHITE);
        g.drawString(m.label(), tx + 3, ty + fm.getAscent());
      }
      if (caption != null && !caption.isEmpty()) {
        int tw = fm.stringWidth(caption) + 8;
        g.setColor(new Color(0, 0, 0, 160));
        g.fillRect(0, 0, tw, fm.getHeight() + 4);
        g.setColor(Color.WHITE);
        g.drawString(caption, 4, 2 + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
  }

  /** A stable colour per animal id, never close to the red of {@code unknown}. */
  public static Color colourOf(String animal) {
    int h = animal == null ? 0 : animal.hashCode();
    float hue = 0.08f + 0.8f * (Math.floorMod(h * 0x9E3779B9, 1000) / 1000f);
    return Color.getHSBColor(hue, 0.85f, 0.9f);
  }

  /** A BufferedImage whose pixels are the given BGR bytes. */
  static BufferedImage wrap(byte[] bgr, int width, int height) {
    DataBufferByte buffer = new DataBufferByte(bgr, bgr.length);
    WritableRaster raster =
        Raster.createInterleavedRaster(
            buffer, width, height, width * 3, 3, new int[] {2, 1, 0}, null);
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            new int[] {8, 8, 8},
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    return new BufferedImage(model, raster, false, null);
  }
}
