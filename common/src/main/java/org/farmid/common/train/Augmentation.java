package org.farmid.common.train;

import java.util.SplittableRandom;
import org.farmid.common.geom.Box;
import org.farmid.common.image.FrameLight;
import org.farmid.common.image.Jitter;

/**
 * Random changes to training crops: flips, small rotations, zoom and shift (crop jitter) through
 * {@link Jitter}, then brightness and contrast, and sometimes grey with noise to imitate night
 * infrared footage. Two more imitate what detection crops in a pen look like and enrolment crops do
 * not: an animal partly out of the picture (a {@link #partialView part} of the crop, stretched like
 * a box clipped at the frame's edge) and a neighbour lying against it (a band of another animal's
 * crop {@link #occlude pasted} over one side).
 */
public final class Augmentation {
  private Augmentation() {}

  /**
   * Which mirror images training may show. Animals seen from above may face any way, so both flips
   * keep a crop a plausible view of the same animal; an upright face or flank seen from the side
   * does not stay one upside down, and a mirrored coat pattern is another animal's.
   */
  public enum Flips {
    /** Left-right and upside-down (top-view footage). */
    BOTH("both"),
    /**
     * Both mirrors and quarter turns: all eight symmetries of a square (top-view footage on square
     * inputs, where an animal walking up the picture is the same animal walking across it).
     */
    DIHEDRAL("dihedral"),
    /** Left-right only. */
    LEFT_RIGHT("left-right"),
    /** Never (upright views whose markings are not symmetric, such as faces). */
    NONE("none");

    private final String key;

    Flips(String key) {
      this.key = key;
    }

    /** The setting's value, as written in configuration and model cards. */
    public String key() {
      return key;
    }

    /** The flips named {@code key}, or null when none is. */
    public static Flips byKey(String key) {
      return org.farmid.common.config.SettingsReader.byKey(values(), Flips::key, key);
    }
  }

  /** A random geometric change, flipping either way. */
  public static Jitter jitter(SplittableRandom rnd) {
    return jitter(rnd, Flips.BOTH);
  }

  /**
   * A random geometric change: rotation within 12 degrees, zoom 0.9 to 1.1, shift up to 6% of the
   * crop, and the flips {@code flips} allows, each one time in two. The same random numbers are
   * drawn whatever {@code flips} is, so the other changes do not depend on it; {@link
   * Flips#DIHEDRAL} then draws 0 to 3 quarter turns, added to the rotation.
   */
  public static Jitter jitter(SplittableRandom rnd, Flips flips) {
    double angle = Math.toRadians(rnd.nextDouble(-12, 12));
    double scale = rnd.nextDouble(0.9, 1.1);
    double shiftX = rnd.nextDouble(-0.06, 0.06);
    double shiftY = rnd.nextDouble(-0.06, 0.06);
    boolean flipX = rnd.nextBoolean() && flips != Flips.NONE;
    boolean flipY = rnd.nextBoolean() && (flips == Flips.BOTH || flips == Flips.DIHEDRAL);
    if (flips == Flips.DIHEDRAL) {
      angle += rnd.nextInt(4) * (Math.PI / 2);
    }
    return new Jitter(angle, scale, shiftX, shiftY, flipX, flipY);
  }

  /**
   * The region of a {@code width x height} crop that the model sees: with probability {@code
   * share}, one side is cut so that 45% to 90% of the crop remains along that axis (as when the
   * detector's box is clipped at the frame's edge); otherwise the whole crop.
   */
  public static Box partialView(int width, int height, double share, SplittableRandom rnd) {
    if (share <= 0 || rnd.nextDouble() >= share) {
      return new Box(0, 0, width, height);
    }
    double keep = rnd.nextDouble(0.45, 0.9);
    return switch (rnd.nextInt(4)) {
      case 0 -> new Box(0, 0, width * keep, height); // right side cut
      case 1 -> new Box(width * (1 - keep), 0, width * keep, height); // left side cut
      case 2 -> new Box(0, 0, width, height * keep); // bottom cut
      default -> new Box(0, height * (1 - keep), width, height * keep); // top cut
    };
  }

  /**
   * Copies a band along one side of {@code other} (another animal's crop, same {@code width x
   * height} RGB layout) over {@code rgb}, in place: 15% to 40% of the crop deep and 50% to 100% of
   * the side long. Returns the band (left, top, width, height in pixels).
   */
  public static int[] occlude(
      byte[] rgb, byte[] other, int width, int height, SplittableRandom rnd) {
    if (rgb.length != width * height * 3 || other.length != rgb.length) {
      throw new IllegalArgumentException(
          "occlude needs two "
              + width
              + "x"
              + height
              + " RGB crops, got "
              + rgb.length
              + " and "
              + other.length
              + " bytes");
    }
    double depthShare = rnd.nextDouble(0.15, 0.4);
    double lengthShare = rnd.nextDouble(0.5, 1.0);
    // Square crops draw the offset before the side, as they always have (their training is
    // unchanged); other shapes draw the side first, since the offset runs along it.
    boolean square = width == height;
    int squareOffset = square ? rnd.nextInt(width - (int) Math.round(width * lengthShare) + 1) : 0;
    int side = rnd.nextInt(4);
    int along = side < 2 ? height : width;
    int depth = (int) Math.round((side < 2 ? width : height) * depthShare);
    int length = (int) Math.round(along * lengthShare);
    int offset = square ? squareOffset : rnd.nextInt(along - length + 1);
    int[] band =
        switch (side) {
          case 0 -> new int[] {0, offset, depth, length}; // left
          case 1 -> new int[] {width - depth, offset, depth, length}; // right
          case 2 -> new int[] {offset, 0, length, depth}; // top
          default -> new int[] {offset, height - depth, length, depth}; // bottom
        };
    for (int y = band[1]; y < band[1] + band[3]; y++) {
      int from = (y * width + band[0]) * 3;
      System.arraycopy(other, from, rgb, from, band[2] * 3);
    }
    return band;
  }

  /**
   * How often training crops are turned into infrared-like grey, and how flat that grey is: an
   * infrared camera shows paint marks as greys close to the skin's, so {@code contrast} below 1
   * scales the grey picture's contrast down on top of the usual draw (synthetic night footage has
   * about 0.55 of the day's; 1 keeps the day's range).
   */
  public record Infrared(double share, double contrast) implements java.io.Serializable {
    /** One crop in four, the day's contrast range: what training always did. */
    public static final Infrared DEFAULT = new Infrared(0.25, 1.0);

    public Infrared {
      if (!(share >= 0 && share <= 1) || !(contrast > 0 && contrast <= 1)) {
        throw new IllegalArgumentException(
            "infrared share must be in [0, 1] and contrast in (0, 1], got share="
                + share
                + " contrast="
                + contrast);
      }
    }
  }

  /**
   * Brightness, contrast and (a share {@code infrared.share()} of the time) infrared-like grey and
   * noise, its contrast scaled by {@code infrared.contrast()}, in place on RGB.
   */
  public static void photometric(byte[] rgb, SplittableRandom rnd, Infrared infrared) {
    double contrast = rnd.nextDouble(0.75, 1.25);
    double brightness = rnd.nextDouble(-25, 25);
    boolean grey = rnd.nextDouble() < infrared.share();
    double noise = grey ? 8 : 0;
    double greyContrast = contrast * infrared.contrast();
    for (int i = 0; i < rgb.length; i += 3) {
      if (grey) {
        int g = FrameLight.luminance(rgb, i);
        double n = rnd.nextGaussian() * noise;
        int v = clamp((g - 128) * greyContrast + 128 + brightness + n);
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
