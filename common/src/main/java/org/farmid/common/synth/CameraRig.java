package org.farmid.common.synth;

import java.awt.geom.AffineTransform;
import java.util.SplittableRandom;

/**
 * One ceiling camera over one pen: the pen's size in metres, how the pen maps onto the image
 * (scale, a small tilt, an offset that may push one end of the pen out of view), the floor and the
 * sensor noise.
 */
public final class CameraRig {
  final int camera;
  final int width;
  final int height;
  final long seed;

  /** Pen size, metres. */
  final double penWidth;

  final double penHeight;
  final double pixelsPerMetre;
  final double tiltRadians;
  final boolean slattedFloor;
  final double noiseSigma;
  final double[] channelGain;
  private final AffineTransform worldToImage;

  CameraRig(int camera, int width, int height, long seed) {
    this.camera = camera;
    this.width = width;
    this.height = height;
    this.seed = seed;
    SplittableRandom rnd = new SplittableRandom(seed);
    penHeight = 3.6 + rnd.nextDouble() * 0.8;
    pixelsPerMetre = 0.88 * height / penHeight * (0.95 + rnd.nextDouble() * 0.1);
    // The pen is sometimes longer than the view: animals then walk out of the picture at one end.
    penWidth = width / pixelsPerMetre * (0.9 + rnd.nextDouble() * 0.25);
    tiltRadians = Math.toRadians(-4 + rnd.nextDouble() * 8);
    slattedFloor = camera % 2 == 0 ? rnd.nextDouble() < 0.8 : rnd.nextDouble() < 0.2;
    noiseSigma = 2 + rnd.nextDouble() * 3;
    channelGain =
        new double[] {
          0.95 + rnd.nextDouble() * 0.1,
          0.95 + rnd.nextDouble() * 0.1,
          0.95 + rnd.nextDouble() * 0.1
        };
    double offsetX = 0.04 * width + rnd.nextDouble() * 0.03 * width;
    double offsetY = (height - penHeight * pixelsPerMetre) / 2;
    worldToImage = new AffineTransform();
    worldToImage.rotate(tiltRadians, width / 2.0, height / 2.0);
    worldToImage.translate(offsetX, offsetY);
    worldToImage.scale(pixelsPerMetre, pixelsPerMetre);
  }

  /** Pen metres to image pixels. */
  public AffineTransform worldToImage() {
    return new AffineTransform(worldToImage);
  }

  public double penWidth() {
    return penWidth;
  }

  public double penHeight() {
    return penHeight;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }
}
