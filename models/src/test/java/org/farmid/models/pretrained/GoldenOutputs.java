package org.farmid.models.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The golden files {@code scripts/pretrained/golden.js} writes: the fixed input, and how far a Java
 * output lies from the summary TensorFlow.js wrote of the same output.
 */
final class GoldenOutputs {
  private GoldenOutputs() {}

  static JsonNode read(String resource) throws IOException {
    try (InputStream in = GoldenOutputs.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no test resource " + resource);
      }
      return new ObjectMapper().readTree(in);
    }
  }

  /** Pixel (y, x, c) = ((7x + 13y + 29c) mod 256) / 255 * scale, as golden.js builds it. */
  static TFloat32 fixedInput(int h, int w, float scale) {
    float[] pixels = new float[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          pixels[(y * w + x) * 3 + c] = ((x * 7 + y * 13 + c * 29) % 256) / 255f * scale;
        }
      }
    }
    return TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(pixels, true, false));
  }

  /** Each imported weight as a constant: the network as the package runs it, for inference. */
  static Function<TfjsWeights.Weight, Operand<TFloat32>> constants(Ops tf) {
    return w -> tf.constant(Shape.of(w.shape()), DataBuffers.of(w.values(), true, false));
  }

  /**
   * The largest absolute difference between {@code t} and its golden summary: every channel mean
   * and every value kept at three places for a 4-D output, every value otherwise. A shape that
   * differs is reported as infinitely far.
   */
  static double worstDifference(JsonNode expected, TFloat32 t) {
    long[] shape = t.shape().asArray();
    if (shape.length != expected.path("shape").size()) {
      return Double.POSITIVE_INFINITY;
    }
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] != expected.path("shape").get(d).asLong()) {
        return Double.POSITIVE_INFINITY;
      }
    }
    float[] v = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(v, false, false));
    double worst = 0;
    if (shape.length == 4) {
      int hh = (int) shape[1];
      int ww = (int) shape[2];
      int cc = (int) shape[3];
      for (int k = 0; k < cc; k++) {
        double mean = 0;
        for (int p = 0; p < hh * ww; p++) {
          mean += v[p * cc + k];
        }
        mean /= hh * ww;
        worst = Math.max(worst, Math.abs(mean - expected.path("channel_means").get(k).asDouble()));
      }
      for (Map.Entry<String, JsonNode> e : expected.path("at").properties()) {
        String[] yx = e.getKey().split(",");
        int p = Integer.parseInt(yx[0]) * ww + Integer.parseInt(yx[1]);
        for (int k = 0; k < cc; k++) {
          worst = Math.max(worst, Math.abs(v[p * cc + k] - e.getValue().get(k).asDouble()));
        }
      }
    } else {
      for (int k = 0; k < v.length; k++) {
        worst = Math.max(worst, Math.abs(v[k] - expected.path("values").get(k).asDouble()));
      }
    }
    return worst;
  }
}
