package org.farmid.common.train;

import java.util.SplittableRandom;
import org.farmid.common.image.Jitter;

/**
 * Random changes to training crops: flips, small rotations, zoom and shift (crop jitter) through
 * {@link Jitter}, then brightness and contrast, and sometimes grey with noise to imitate night
 * infrared footage.
 */
public final class Augmentation {
  private Augmentation() {}

  /** A random geometric change. */
  public static Jitter jitter(SplittableRandom rnd) {
    return new Jitter(
        Math.toRadians(rnd.nextDouble(-12, 12)),
        rnd.nextDouble(0.9, 1.1),
        rnd.nextDouble(-0.06, 0.06),
        rnd.nextDouble(-0.06, 0.06),
        rnd.nextBoolean(),
        rnd.nextBoolean());
  }

  /** Brightness, contrast and (one time in four) infrared-like grey and noise, in place on RGB. */
  public static void photometric(byte[] rgb, SplittableRandom rnd) {
    double contrast = rnd.nextDouble(0.75, 1.25);
    double brightness = rnd.nextDouble(-25, 25);
    boolean infrared = rnd.nextInt(4) == 0;
    double noise = infrared ? 8 : 0;
    for (int i = 0; i < rgb.length; i += 3) {
      if (infrared) {
        int grey =
            (77 * (rgb[i] & 0xff) + 150 * (rgb[i + 1] & 0xff) + 29 * (rgb[i + 2] & 0xff)) >> 8;
        double n = rnd.nextGaussian() * noise;
        int v = clamp((grey - 128) * contrast + 128 + brightness + n);
        rgb[i] = (byte) v;
        rgb[i + 1] = (byte) v;
        rgb[i + 2] = (byte) v;
      } else {
        for (int c = 0; c < 3; c++) {
          rgb[i + c] = (byte) clamp(((rgb[i + c] & 0xff) - 128) * contrast + 128 + brightness);
        }
      }
    }
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
