package org.farmid.common.embed;

import java.util.List;
import org.farmid.common.image.CropPreprocessor;

/**
 * How an infrared night camera shows a colour scene: one grey level per pixel, its luminance {@code
 * (77 R + 150 G + 29 B) / 256} mapped to {@code offset + contrast * luminance}. Paint marks lose
 * their colour and come out as greys close to the skin's; a night camera's picture is also flatter
 * and brighter in the dark than the day's ({@code synth} draws night footage with contrast 0.547
 * and offset 55). Turning a day enrolment crop into this look gives an animal a night view to be
 * compared with night crops.
 */
public record InfraredLook(double contrast, double offset) {
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

  /** A packed RGB (or BGR: each pixel's three channels) picture in this look, as a new array. */
  public byte[] apply(byte[] rgb) {
    byte[] out = new byte[rgb.length];
    for (int i = 0; i + 2 < rgb.length; i += 3) {
      int grey = (77 * (rgb[i] & 0xff) + 150 * (rgb[i + 1] & 0xff) + 29 * (rgb[i + 2] & 0xff)) >> 8;
      int v = (int) Math.max(0, Math.min(255, Math.round(offset + contrast * grey)));
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
