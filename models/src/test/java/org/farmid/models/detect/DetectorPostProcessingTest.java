package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.farmid.models.detect.DetectorGraph.TestFlips;
import org.farmid.models.tf.TrainingSession;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The exported detector's post-processing on an untrained network (random weights, seeded): the
 * test-time flips mirror heatmap, sizes and offsets back correctly, and soft non-maximum
 * suppression re-scores boxes as its definition says.
 */
class DetectorPostProcessingTest {
  static final int W = 128;
  static final int H = 96;

  /** One decoded box, normalised (ymin, xmin, ymax, xmax), and its score. */
  record Found(float[] box, float score) {}

  @Test
  void flipTestMakesTheDetectorMirrorEquivariant() {
    byte[] frame = noise(7);
    byte[] mirroredX = mirror(frame, true, false);
    byte[] mirroredXy = mirror(frame, true, true);
    // With left-right flips averaged, the boxes of the mirrored frame are the mirrored boxes.
    assertEquivariant(detect(TestFlips.X, 0f, frame), detect(TestFlips.X, 0f, mirroredX), false);
    // With both axes averaged, also for a frame turned upside down as well.
    assertEquivariant(detect(TestFlips.XY, 0f, frame), detect(TestFlips.XY, 0f, mirroredX), false);
    assertEquivariant(detect(TestFlips.XY, 0f, frame), detect(TestFlips.XY, 0f, mirroredXy), true);
    // Without flips an untrained network is not: the check above can fail.
    List<Found> plain = top(detect(TestFlips.NONE, 0f, frame), 10);
    List<Found> plainMirrored = top(detect(TestFlips.NONE, 0f, mirroredX), 10);
    double largest = 0;
    for (int i = 0; i < plain.size(); i++) {
      largest = Math.max(largest, Math.abs(plain.get(i).score() - plainMirrored.get(i).score()));
    }
    assertThat(largest).isGreaterThan(1e-3);
  }

  @Test
  void softNmsScalesEachScoreByItsOverlapWithEveryBetterBox() {
    byte[] frame = noise(11);
    float sigma = 0.25f;
    List<Found> raw = detect(TestFlips.NONE, 0f, frame);
    List<Found> soft = detect(TestFlips.NONE, sigma, frame);
    // Worked out here: repeatedly take the best remaining box, scale the others by
    // exp(-IoU^2 / (2 sigma)) of their overlap with it.
    List<Found> left = new ArrayList<>(raw);
    List<Found> expected = new ArrayList<>();
    while (!left.isEmpty()) {
      Found best = left.stream().max(Comparator.comparingDouble(Found::score)).orElseThrow();
      left.remove(best);
      expected.add(best);
      for (int i = 0; i < left.size(); i++) {
        Found f = left.get(i);
        double iou = iou(best.box(), f.box());
        left.set(i, new Found(f.box(), (float) (f.score() * Math.exp(-iou * iou / (2 * sigma)))));
      }
    }
    // Cells that are no peak score 0; soft NMS drops those and pads with zeros.
    int peaks = (int) raw.stream().filter(f -> f.score() > 0).count();
    assertThat(peaks).isGreaterThan(30);
    int changed = 0;
    for (int i = 0; i < peaks; i++) {
      assertThat(soft.get(i).score())
          .as("score %d", i)
          .isCloseTo(expected.get(i).score(), within(1e-5f));
      assertThat(soft.get(i).box())
          .as("box %d", i)
          .containsExactly(expected.get(i).box(), within(1e-6f));
      if (Math.abs(expected.get(i).score() - raw.get(i).score()) > 1e-3) {
        changed++;
      }
    }
    // The peaks of an untrained heatmap overlap, so the re-scoring did change the ranking.
    assertThat(changed).isGreaterThan(0);
    for (int i = 1; i < soft.size(); i++) {
      assertThat(soft.get(i).score()).isLessThanOrEqualTo(soft.get(i - 1).score());
    }
  }

  private static void assertEquivariant(List<Found> a, List<Found> mirrored, boolean alsoY) {
    List<Found> x = top(a, 20);
    List<Found> y = top(mirrored, 20);
    for (int i = 0; i < x.size(); i++) {
      float[] b = x.get(i).box();
      float[] m = y.get(i).box();
      float[] back =
          alsoY
              ? new float[] {1 - m[2], 1 - m[3], 1 - m[0], 1 - m[1]}
              : new float[] {m[0], 1 - m[3], m[2], 1 - m[1]};
      assertThat(y.get(i).score()).as("score %d", i).isCloseTo(x.get(i).score(), within(1e-5f));
      assertThat(back).as("box %d", i).containsExactly(b, within(1e-5f));
    }
  }

  private static List<Found> top(List<Found> all, int n) {
    return all.subList(0, n);
  }

  private static List<Found> detect(TestFlips flips, float sigma, byte[] rgb) {
    try (DetectorGraph g = new DetectorGraph(W, H, 4, 4, 0f, 3, flips, sigma);
        Session s = new Session(g.graph);
        TUint8 in = TUint8.tensorOf(Shape.of(1, H, W, 3), DataBuffers.of(rgb, true, false))) {
      s.initialize();
      TrainingSession.assign(s, g, g.initialValues());
      try (Result r = s.runner().feed(g.input, in).fetch(g.boxes).fetch(g.scores).run()) {
        TFloat32 boxes = (TFloat32) r.get(0);
        TFloat32 scores = (TFloat32) r.get(1);
        List<Found> out = new ArrayList<>();
        for (int i = 0; i < DetectorGraph.MAX_DETECTIONS; i++) {
          float[] b = new float[4];
          for (int k = 0; k < 4; k++) {
            b[k] = boxes.getFloat(0, i, k);
          }
          out.add(new Found(b, scores.getFloat(0, i)));
        }
        out.sort(Comparator.comparingDouble((Found f) -> f.score()).reversed());
        return out;
      }
    }
  }

  private static byte[] noise(long seed) {
    byte[] rgb = new byte[W * H * 3];
    new Random(seed).nextBytes(rgb);
    return rgb;
  }

  private static byte[] mirror(byte[] rgb, boolean acrossWidth, boolean acrossHeight) {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int sx = acrossWidth ? W - 1 - x : x;
        int sy = acrossHeight ? H - 1 - y : y;
        System.arraycopy(rgb, (sy * W + sx) * 3, out, (y * W + x) * 3, 3);
      }
    }
    return out;
  }

  /** IoU of two normalised (ymin, xmin, ymax, xmax) boxes, corners in either order. */
  private static double iou(float[] a, float[] b) {
    double ay0 = Math.min(a[0], a[2]);
    double ay1 = Math.max(a[0], a[2]);
    double ax0 = Math.min(a[1], a[3]);
    double ax1 = Math.max(a[1], a[3]);
    double by0 = Math.min(b[0], b[2]);
    double by1 = Math.max(b[0], b[2]);
    double bx0 = Math.min(b[1], b[3]);
    double bx1 = Math.max(b[1], b[3]);
    double ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
    double iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
    double inter = ih * iw;
    double union = (ay1 - ay0) * (ax1 - ax0) + (by1 - by0) * (bx1 - bx0) - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
