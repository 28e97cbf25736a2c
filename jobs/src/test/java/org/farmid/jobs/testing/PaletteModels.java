package org.farmid.jobs.testing;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.farmid.common.detect.Detection;
import org.farmid.common.detect.Detector;
import org.farmid.common.embed.Embedder;
import org.farmid.common.geom.Box;
import org.farmid.common.video.VideoFrame;
import org.farmid.jobs.pipeline.runtime.ModelProvider;

/**
 * Fake models for the {@link PenFixture}: the detector finds the red, green, blue and yellow
 * squares (never magenta) and returns their exact boxes; the embedder maps a crop to the one-hot
 * vector of its nearest palette colour. Both refuse input they were not built for, so a wrong call
 * fails the test instead of producing a made-up value.
 */
public final class PaletteModels implements ModelProvider {
  private static final long serialVersionUID = 1L;
  public static final int INPUT = 16;
  public static final int DIM = 64;

  /** Colours the detector sees (magenta is its blind spot). */
  private static final List<Color> DETECTED =
      List.of(Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW);

  @Override
  public Detector detector() {
    return new Detector() {
      @Override
      public String modelId() {
        return "palette-detector";
      }

      @Override
      public List<List<Detection>> detect(List<VideoFrame> frames) {
        List<List<Detection>> out = new ArrayList<>();
        for (VideoFrame f : frames) {
          List<Detection> found = new ArrayList<>();
          for (PenFixture.Square s : PenFixture.SQUARES) {
            if (!DETECTED.contains(s.color())) {
              continue;
            }
            int cx = s.left() + s.size() / 2;
            int cy = s.top() + s.size() / 2;
            if (cx >= f.width() || cy >= f.height()) {
              continue; // a frame of another size (bad-input tests): the square is not there
            }
            if (nearest(pixel(f, cx, cy)) == PenFixture.PALETTE.indexOf(s.color())) {
              found.add(new Detection(new Box(s.left(), s.top(), s.size(), s.size()), 0.9f, 1));
            }
          }
          out.add(found);
        }
        return out;
      }
    };
  }

  @Override
  public Embedder embedder() {
    return new Embedder() {
      @Override
      public int inputWidth() {
        return INPUT;
      }

      @Override
      public int inputHeight() {
        return INPUT;
      }

      @Override
      public int embeddingSize() {
        return DIM;
      }

      @Override
      public String modelId() {
        return "palette-embedder";
      }

      @Override
      public float[][] embed(List<byte[]> inputs) {
        float[][] out = new float[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
          byte[] rgb = inputs.get(i);
          if (rgb.length != INPUT * INPUT * 3) {
            throw new AssertionError("palette embedder got " + rgb.length + " bytes");
          }
          long[] sum = new long[3];
          for (int p = 0; p < rgb.length; p += 3) {
            for (int c = 0; c < 3; c++) {
              sum[c] += rgb[p + c] & 0xff;
            }
          }
          int n = rgb.length / 3;
          int[] mean = {(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
          int k = nearest(mean);
          if (k < 0) {
            throw new AssertionError(
                "crop of no palette colour: mean RGB " + List.of(mean[0], mean[1], mean[2]));
          }
          float[] e = new float[DIM];
          e[k] = 1f;
          out[i] = e;
        }
        return out;
      }
    };
  }

  @Override
  public String detectorId() {
    return "palette-detector";
  }

  @Override
  public String embedderId() {
    return "palette-embedder";
  }

  /** RGB of one pixel of a BGR frame. */
  static int[] pixel(VideoFrame f, int x, int y) {
    int o = (y * f.width() + x) * 3;
    return new int[] {f.bgr()[o + 2] & 0xff, f.bgr()[o + 1] & 0xff, f.bgr()[o] & 0xff};
  }

  /** Index of the nearest palette colour, or -1 for grey and anything far from all. */
  static int nearest(int[] rgb) {
    int best = -1;
    double bestD = 120;
    for (int k = 0; k < PenFixture.PALETTE.size(); k++) {
      Color c = PenFixture.PALETTE.get(k);
      double d =
          Math.sqrt(
              Math.pow(rgb[0] - c.getRed(), 2)
                  + Math.pow(rgb[1] - c.getGreen(), 2)
                  + Math.pow(rgb[2] - c.getBlue(), 2));
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best;
  }
}
