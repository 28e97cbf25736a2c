package org.farmid.common.image;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.farmid.common.geom.Box;

/**
 * The one function that turns a picture region into a model's input, used by training and inference
 * alike: the region is stretched to {@code width x height} with bilinear sampling (edges repeated),
 * and written as packed <b>RGB</b> bytes ({@code uint8}, row by row). Sources are packed <b>BGR</b>
 * bytes, as FFmpeg and Java2D give them. Scaling to [-1, 1] happens inside the model's graph
 * ({@code x / 127.5 - 1}), so no caller can scale differently.
 */
public final class CropPreprocessor {
  /** Identifies this preprocessing in model cards; a model trained with another is refused. */
  public static final String ID = "rgb-uint8-bilinear-stretch/graph-scales-to-[-1,1]";

  private final int width;
  private final int height;

  /** Square model inputs of {@code size x size} pixels. */
  public CropPreprocessor(int size) {
    this(size, size);
  }

  public CropPreprocessor(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "model input size must be positive, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The model input of a region of a packed BGR picture. */
  public byte[] apply(byte[] bgr, int width, int height, Box region) {
    return apply(bgr, width, height, region, Jitter.NONE);
  }

  /** The model input of a whole picture of any type. */
  public byte[] apply(BufferedImage image) {
    byte[] bgr = packedBgr(image);
    return apply(bgr, image.getWidth(), image.getHeight(), wholeOf(image), Jitter.NONE);
  }

  /** The model input of a region, sampled through a jitter (training augmentation). */
  public byte[] apply(byte[] bgr, int width, int height, Box region, Jitter jitter) {
    return sample(bgr, width, height, region, jitter, this.width, this.height, true);
  }

  /** A region stretched to {@code outWidth x outHeight} RGB bytes by the same sampling. */
  public static byte[] resize(
      byte[] bgr, int width, int height, Box region, int outWidth, int outHeight) {
    return sample(bgr, width, height, region, Jitter.NONE, outWidth, outHeight, true);
  }

  /**
   * A region stretched to {@code outWidth x outHeight} by the same sampling, the channels kept in
   * their order (RGB in, RGB out).
   */
  public static byte[] stretch(
      byte[] pixels, int width, int height, Box region, int outWidth, int outHeight) {
    return sample(pixels, width, height, region, Jitter.NONE, outWidth, outHeight, false);
  }

  /**
   * Bilinear sampling of {@code region} of packed 3-byte {@code pixels} through {@code jitter}; BGR
   * in, RGB out when {@code swap}, else the order kept.
   */
  private static byte[] sample(
      byte[] pixels,
      int width,
      int height,
      Box region,
      Jitter jitter,
      int outW,
      int outH,
      boolean swap) {
    if (pixels.length != width * height * 3) {
      throw new IllegalArgumentException(
          "picture of "
              + width
              + "x"
              + height
              + " needs "
              + width * height * 3
              + (swap ? " BGR bytes" : " bytes, 3 per pixel"));
    }
    byte[] out = new byte[outW * outH * 3];
    double cos = Math.cos(jitter.angleRadians()) / jitter.scale();
    double sin = Math.sin(jitter.angleRadians()) / jitter.scale();
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        // Output pixel centre in [-0.5, 0.5] around the crop centre, then the jitter's inverse.
        double u = (ox + 0.5) / outW - 0.5;
        double v = (oy + 0.5) / outH - 0.5;
        if (jitter.flipX()) {
          u = -u;
        }
        if (jitter.flipY()) {
          v = -v;
        }
        double su = cos * u - sin * v + jitter.shiftX();
        double sv = sin * u + cos * v + jitter.shiftY();
        double x = region.left() + (su + 0.5) * region.width() - 0.5;
        double y = region.top() + (sv + 0.5) * region.height() - 0.5;
        sampleRgb(pixels, width, height, x, y, out, (oy * outW + ox) * 3, swap);
      }
    }
    return out;
  }

  private static void sampleRgb(
      byte[] pixels, int w, int h, double x, double y, byte[] out, int o, boolean swap) {
    x = Math.max(0, Math.min(w - 1, x));
    y = Math.max(0, Math.min(h - 1, y));
    int x0 = (int) x;
    int y0 = (int) y;
    int x1 = Math.min(w - 1, x0 + 1);
    int y1 = Math.min(h - 1, y0 + 1);
    double fx = x - x0;
    double fy = y - y0;
    int i00 = (y0 * w + x0) * 3;
    int i01 = (y0 * w + x1) * 3;
    int i10 = (y1 * w + x0) * 3;
    int i11 = (y1 * w + x1) * 3;
    for (int c = 0; c < 3; c++) {
      double top = (pixels[i00 + c] & 0xff) * (1 - fx) + (pixels[i01 + c] & 0xff) * fx;
      double bottom = (pixels[i10 + c] & 0xff) * (1 - fx) + (pixels[i11 + c] & 0xff) * fx;
      // BGR in, RGB out: channel c goes to 2 - c (unless the order is kept).
      out[o + (swap ? 2 - c : c)] = (byte) Math.round(top * (1 - fy) + bottom * fy);
    }
  }

  /** The region covering a whole picture. */
  public static Box wholeOf(BufferedImage image) {
    return new Box(0, 0, image.getWidth(), image.getHeight());
  }

  /** Packed BGR bytes of any picture (converted when it is not {@code TYPE_3BYTE_BGR}). */
  public static byte[] packedBgr(BufferedImage image) {
    BufferedImage bgr = image;
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = bgr.createGraphics();
      g.drawImage(image, 0, 0, null);
      g.dispose();
    }
    byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    return bgr == image ? data.clone() : data;
  }
}
