package org.farmid.common.embed;

import java.util.List;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.image.FrameLight;

/**
 * How an infrared night camera shows a colour scene: one grey level per pixel, its luminance {@code
 * (77 R + 150 G + 29 B) / 256} mapped to {@code offset + contrast * luminance}. Paint marks lose
 * their colour and come out as greys close to the skin's; a night camera's picture is also flatter
 * and brighter in the dark than the day's ({@code synth} draws night footage with contrast 0.547
 * and offset 55). Turning a day enrolment crop into this look gives an animal a night view to be
 * compared with night crops.
 */
public record InfraredLook(double contrast, double offset) implements java.io.Serializable {
  public InfraredLook {
    if (!(contrast > 0 && contrast <= 4) || !(offset >= 0 && offset <= 255)) {
      throw new IllegalArgumentException(
          "an infrared look needs 0 < contrast <= 4 and 0 <= offset <= 255, got contrast="
              + contrast
              + " offset="
              + offset);
    }
  }

  /** Plain luminance: contrast 1, offset 0. */
  public static final InfraredLook LUMINANCE = new InfraredLook(1, 0);

  /** The look {@code synth} gives its night footage. */
  public static final InfraredLook SYNTH = new InfraredLook(140 / 256.0, 55);

  /** "CONTRAST,OFFSET", as {@link #parse} reads it. */
  public String key() {
    return contrast + "," + offset;
  }

  /** Reads "CONTRAST,OFFSET" (e.g. "0.547,55"); the error says what was expected. */
  public static InfraredLook parse(String text) {
    String[] parts = text.split(",", -1);
    try {
      if (parts.length == 2) {
        return new InfraredLook(
            Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "an infrared look is CONTRAST,OFFSET (such as 0.547,55), got '" + text + "'");
  }

  /** A fitted look and how well the line fits: the pixels used and the residual's spread. */
  public record Fit(InfraredLook look, int pixels, double residualSd) {}

  /**
   * A camera's night look from its own footage: the pen's floor and walls stay where they are, so
   * each pixel's median over the day frames (its luminance) and over the night frames (its grey)
   * are the same spot seen both ways; animals, which move, drop out of the medians. A least-squares
   * line through those pairs, night grey against day luminance, is the look. Frames are packed
   * three-channel pictures of one size; every {@code step}-th pixel each way is used.
   */
  public static Fit fit(List<byte[]> day, List<byte[]> night, int width, int height, int step) {
    if (day.isEmpty() || night.isEmpty()) {
      throw new IllegalArgumentException(
          "fitting a night look needs day and night frames, got "
              + day.size()
              + " day and "
              + night.size()
              + " night");
    }
    int expected = 3 * width * height;
    for (byte[] f : day) {
      requireSize(f, expected, width, height);
    }
    for (byte[] f : night) {
      requireSize(f, expected, width, height);
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    int n = 0;
    List<double[]> pairs = new java.util.ArrayList<>();
    int[] dayValues = new int[day.size()];
    int[] nightValues = new int[night.size()];
    for (int y = 0; y < height; y += step) {
      for (int x = 0; x < width; x += step) {
        int i = 3 * (y * width + x);
        for (int k = 0; k < day.size(); k++) {
          dayValues[k] = FrameLight.luminance(day.get(k), i);
        }
        for (int k = 0; k < night.size(); k++) {
          nightValues[k] = FrameLight.luminance(night.get(k), i);
        }
        double d = median(dayValues);
        double v = median(nightValues);
        pairs.add(new double[] {d, v});
        sx += d;
        sy += v;
        sxx += d * d;
        sxy += d * v;
        n++;
      }
    }
    double var = sxx - sx * sx / n;
    if (n < 2 || var <= 0) {
      throw new IllegalArgumentException(
          "the day frames' pixels are all alike; no line can be fitted through them");
    }
    double contrast = (sxy - sx * sy / n) / var;
    double offset = (sy - contrast * sx) / n;
    double ss = 0;
    for (double[] p : pairs) {
      double r = p[1] - (offset + contrast * p[0]);
      ss += r * r;
    }
    InfraredLook look =
        new InfraredLook(Math.max(1e-3, Math.min(4, contrast)), Math.max(0, Math.min(255, offset)));
    return new Fit(look, n, Math.sqrt(ss / n));
  }

  private static void requireSize(byte[] frame, int expected, int width, int height) {
    if (frame.length != expected) {
      throw new IllegalArgumentException(
          "frames must all be "
              + width
              + "x"
              + height
              + " ("
              + expected
              + " bytes), got one of "
              + frame.length);
    }
  }

  private static double median(int[] values) {
    int[] v = values.clone();
    java.util.Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2.0;
  }

  /** A packed RGB (or BGR: each pixel's three channels) picture in this look, as a new array. */
  public byte[] apply(byte[] rgb) {
    byte[] out = new byte[rgb.length];
    for (int i = 0; i + 2 < rgb.length; i += 3) {
      int v =
          (int)
              Math.max(
                  0, Math.min(255, Math.round(offset + contrast * FrameLight.luminance(rgb, i))));
      out[i] = (byte) v;
      out[i + 1] = (byte) v;
      out[i + 2] = (byte) v;
    }
    return out;
  }

  /** {@code base}, embedding each input in this look; its model id says so. */
  public Embedder embedder(Embedder base) {
    InfraredLook look = this;
    return new Embedder() {
      @Override
      public int inputWidth() {
        return base.inputWidth();
      }

      @Override
      public int inputHeight() {
        return base.inputHeight();
      }

      @Override
      public CropPreprocessor preprocessor() {
        return base.preprocessor();
      }

      @Override
      public int embeddingSize() {
        return base.embeddingSize();
      }

      @Override
      public String modelId() {
        return base.modelId() + "+infrared(" + look.contrast + "," + look.offset + ")";
      }

      @Override
      public float[][] embed(List<byte[]> inputs) {
        return base.embed(inputs.stream().map(look::apply).toList());
      }
    };
  }
}
