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

  /**
   * The same, but each region is first turned to its animal's body axis ({@link BodyAxis}): the
   * rectangle along the animal is what is stretched to the input, its length along x. Pixels
   * outside the region are never read (its edges repeat), so a crop cut from a frame and the same
   * crop saved as a picture give one input.
   */
  public static final String ALIGNED_ID = ID + "/body-axis";

  private final int width;
  private final int height;
  private final boolean aligned;

  /** Square model inputs of {@code size x size} pixels. */
  public CropPreprocessor(int size) {
    this(size, size);
  }

  public CropPreprocessor(int width, int height) {
    this(width, height, false);
  }

  /** Inputs of {@code width x height}; {@code aligned}: each region turned to its body axis. */
  public CropPreprocessor(int width, int height, boolean aligned) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "model input size must be positive, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.aligned = aligned;
  }

  /**
   * The preprocessing a model card names ({@link #ID} or {@link #ALIGNED_ID}), or null for one this
   * code does not know.
   */
  public static CropPreprocessor byId(String id, int width, int height) {
    return knows(id) ? new CropPreprocessor(width, height, ALIGNED_ID.equals(id)) : null;
  }

  /**
   * Whether {@code id} names a preprocessing this code has ({@link #ID} or {@link #ALIGNED_ID}).
   */
  public static boolean knows(String id) {
    return ID.equals(id) || ALIGNED_ID.equals(id);
  }

  /** What model cards call this preprocessing. */
  public String id() {
    return aligned ? ALIGNED_ID : ID;
  }

  /** Whether regions are turned to their animal's body axis. */
  public boolean aligned() {
    return aligned;
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
    if (aligned) {
      requireBytes(bgr, width, height, true);
      return sampleAligned(
          bgr, width, height, region, BodyAxis.of(bgr, width, height, region), jitter);
    }
    return sample(bgr, width, height, region, jitter, this.width, this.height, true);
  }

  /**
   * The turned rectangle {@code body} sampled through {@code jitter}, reading only pixels of {@code
   * region} (clamped to it); BGR in, RGB out.
   */
  private byte[] sampleAligned(
      byte[] bgr, int width, int height, Box region, BodyAxis.Oriented body, Jitter jitter) {
    double ux = Math.cos(body.angle());
    double uy = Math.sin(body.angle());
    double[] within = within(region, width, height);
    return through(
        jitter,
        this.width,
        this.height,
        (su, sv, out, o) -> {
          double along = su * body.length();
          double across = sv * body.breadth();
          double x = body.centerX() + along * ux - across * uy - 0.5;
          double y = body.centerY() + along * uy + across * ux - 0.5;
          x = Math.max(within[0], Math.min(within[1], x));
          y = Math.max(within[2], Math.min(within[3], y));
          sampleRgb(bgr, width, height, x, y, out, o, true);
        });
  }

  /** Where one output pixel samples its source, given its jittered place (su, sv). */
  private interface Place {
    void sample(double su, double sv, byte[] out, int offset);
  }

  /**
   * An {@code outW x outH} RGB output, each pixel's centre put in [-0.5, 0.5] around the crop's
   * centre, then through the jitter's inverse, then sampled by {@code place}.
   */
  private static byte[] through(Jitter jitter, int outW, int outH, Place place) {
    byte[] out = new byte[outW * outH * 3];
    double cos = Math.cos(jitter.angleRadians()) / jitter.scale();
    double sin = Math.sin(jitter.angleRadians()) / jitter.scale();
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
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
        place.sample(su, sv, out, (oy * outW + ox) * 3);
      }
    }
    return out;
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

  /** The pixel-index bounds {minX, maxX, minY, maxY} of the pixels a region covers. */
  private static double[] within(Box region, int width, int height) {
    double minX = Math.min(width - 1, Math.max(0, Math.floor(region.left())));
    double minY = Math.min(height - 1, Math.max(0, Math.floor(region.top())));
    double maxX = Math.max(minX, Math.min(width - 1, Math.ceil(region.right()) - 1));
    double maxY = Math.max(minY, Math.min(height - 1, Math.ceil(region.bottom()) - 1));
    return new double[] {minX, maxX, minY, maxY};
  }

  /**
   * A region of packed BGR bytes stretched to {@code outWidth x outHeight} RGB bytes by bilinear
   * sampling that reads only the pixels the region covers (its edges repeat): the same bytes
   * whether the region is cut from a frame or is a whole picture of those pixels.
   */
  static byte[] resizeWithin(
      byte[] bgr, int width, int height, Box region, int outWidth, int outHeight) {
    double[] within = within(region, width, height);
    byte[] out = new byte[outWidth * outHeight * 3];
    for (int oy = 0; oy < outHeight; oy++) {
      for (int ox = 0; ox < outWidth; ox++) {
        double x = region.left() + (ox + 0.5) / outWidth * region.width() - 0.5;
        double y = region.top() + (oy + 0.5) / outHeight * region.height() - 0.5;
        x = Math.max(within[0], Math.min(within[1], x));
        y = Math.max(within[2], Math.min(within[3], y));
        sampleRgb(bgr, width, height, x, y, out, (oy * outWidth + ox) * 3, true);
      }
    }
    return out;
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
    requireBytes(pixels, width, height, swap);
    return through(
        jitter,
        outW,
        outH,
        (su, sv, out, o) -> {
          double x = region.left() + (su + 0.5) * region.width() - 0.5;
          double y = region.top() + (sv + 0.5) * region.height() - 0.5;
          sampleRgb(pixels, width, height, x, y, out, o, swap);
        });
  }

  /** Refuses a byte array that is not {@code width x height} packed 3-byte pixels. */
  private static void requireBytes(byte[] pixels, int width, int height, boolean bgr) {
    if (pixels.length != width * height * 3) {
      throw new IllegalArgumentException(
          "picture of "
              + width
              + "x"
              + height
              + " needs "
              + width * height * 3
              + (bgr ? " BGR bytes" : " bytes, 3 per pixel"));
    }
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
