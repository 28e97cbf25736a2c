package org.farmid.common.embed;

import java.util.ArrayList;
import java.util.List;
import org.farmid.common.image.CropPreprocessor;

/**
 * An embedder whose embedding of a crop is the re-normalised mean of its embeddings of the crop's
 * mirror images and quarter turns (test-time averaging). Animals seen from above face any way: a
 * pig walking up the picture and the same pig walking across it are one animal, and averaging over
 * the turns makes the embedding the same for both. Works with any model, without retraining; the
 * cost is one embedding per transform.
 *
 * <p>Inputs are packed RGB crops of {@code inputWidth() x inputHeight()} pixels, as for any {@link
 * Embedder}. Quarter turns need square inputs.
 */
public final class TransformAverage implements Embedder, AutoCloseable {
  /** Which transforms are averaged. */
  public enum Mode {
    /** The crop alone (no averaging). */
    NONE("none", 1),
    /** The crop, its left-right and upside-down mirrors, and both (a half turn): four. */
    FLIPS("flips", 4),
    /** The eight symmetries of a square: the four of {@link #FLIPS} and each transposed. */
    DIHEDRAL("dihedral", 8);

    private final String key;
    private final int transforms;

    Mode(String key, int transforms) {
      this.key = key;
      this.transforms = transforms;
    }

    /** The setting's value. */
    public String key() {
      return key;
    }

    /** How many embeddings each crop costs. */
    public int transforms() {
      return transforms;
    }

    /** The setting's allowed values, for messages: "none, flips or dihedral". */
    public static String choices() {
      return org.farmid.common.config.SettingsReader.alternatives(values(), Mode::key);
    }

    /**
     * Why this mode cannot average the inputs of {@code what} ({@code width x height}), or null
     * when it can: quarter turns need a square input.
     */
    public String refusal(String what, int width, int height) {
      if (this != DIHEDRAL || width == height) {
        return null;
      }
      return "embedding average 'dihedral' turns crops a quarter, which needs a square input; "
          + what
          + " takes "
          + width
          + "x"
          + height
          + " (use 'flips')";
    }

    /** A model id with this averaging named after it ({@code id} itself for {@link #NONE}). */
    public String modelId(String id) {
      return this == NONE ? id : id + "+" + key;
    }

    /** The mode named {@code key}, or null when none is. */
    public static Mode byKey(String key) {
      return org.farmid.common.config.SettingsReader.byKey(values(), Mode::key, key);
    }
  }

  private final Embedder inner;
  private final Mode mode;

  private TransformAverage(Embedder inner, Mode mode) {
    this.inner = inner;
    this.mode = mode;
  }

  /**
   * {@code inner} itself for {@link Mode#NONE}, else the averaging embedder. Quarter turns of a
   * non-square input are refused here, naming the input size.
   */
  public static Embedder of(Embedder inner, Mode mode) {
    if (mode == Mode.NONE) {
      return inner;
    }
    String refusal =
        mode.refusal("model " + inner.modelId(), inner.inputWidth(), inner.inputHeight());
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    return new TransformAverage(inner, mode);
  }

  @Override
  public int inputWidth() {
    return inner.inputWidth();
  }

  @Override
  public int inputHeight() {
    return inner.inputHeight();
  }

  @Override
  public int embeddingSize() {
    return inner.embeddingSize();
  }

  @Override
  public CropPreprocessor preprocessor() {
    return inner.preprocessor();
  }

  /** The inner model's id and the averaging, so tables and fingerprints tell the two apart. */
  @Override
  public String modelId() {
    return mode.modelId(inner.modelId());
  }

  @Override
  public float[][] embed(List<byte[]> inputs) {
    int n = mode.transforms();
    List<byte[]> all = new ArrayList<>(inputs.size() * n);
    for (byte[] in : inputs) {
      for (int t = 0; t < n; t++) {
        all.add(transform(in, inner.inputWidth(), inner.inputHeight(), t));
      }
    }
    float[][] each = inner.embed(all);
    float[][] out = new float[inputs.size()][];
    for (int i = 0; i < inputs.size(); i++) {
      out[i] = Embeddings.normalizedMean(java.util.Arrays.asList(each).subList(i * n, (i + 1) * n));
    }
    return out;
  }

  /** Closes the inner embedder when it holds anything. */
  @Override
  public void close() throws Exception {
    if (inner instanceof AutoCloseable c) {
      c.close();
    }
  }

  /**
   * Transform {@code t} (0 to 7) of a packed RGB picture: bit 2 transposes it (square pictures
   * only), then bit 0 mirrors it left-right and bit 1 upside-down. 0 is the picture itself, 3 a
   * half turn, 5 and 6 the two quarter turns.
   */
  public static byte[] transform(byte[] rgb, int width, int height, int t) {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          width + "x" + height + " RGB picture needs " + width * height * 3 + " bytes");
    }
    if (t == 0) {
      return rgb;
    }
    boolean transpose = (t & 4) != 0;
    if (transpose && width != height) {
      throw new IllegalArgumentException(
          "transposing needs a square picture, got " + width + "x" + height);
    }
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int sx = (t & 1) != 0 ? width - 1 - x : x;
        int sy = (t & 2) != 0 ? height - 1 - y : y;
        int src = transpose ? (sx * width + sy) * 3 : (sy * width + sx) * 3;
        int dst = (y * width + x) * 3;
        out[dst] = rgb[src];
        out[dst + 1] = rgb[src + 1];
        out[dst + 2] = rgb[src + 2];
      }
    }
    return out;
  }
}
