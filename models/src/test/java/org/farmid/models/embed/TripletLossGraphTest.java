package org.farmid.models.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.farmid.common.embed.Embeddings;
import org.farmid.common.embed.TripletLoss;
import org.farmid.models.tf.TensorFlowNatives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The graph's losses give the reference values, on the hand-computed batch and random ones. */
class TripletLossGraphTest {

  @BeforeAll
  static void natives() {
    TensorFlowNatives.ensureLoaded();
  }

  static double graphLoss(boolean semiHard, float[][] e, int[] labels, float margin) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, e[0].length)));
      Placeholder<TInt32> l = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> loss =
          semiHard
              ? EmbedderGraph.semiHardLoss(tf, x, l, margin)
              : EmbedderGraph.batchHardLoss(tf, x, l, margin);
      float[] flat = new float[e.length * e[0].length];
      for (int i = 0; i < e.length; i++) {
        System.arraycopy(e[i], 0, flat, i * e[0].length, e[0].length);
      }
      try (Session s = new Session(g);
          TFloat32 xt =
              TFloat32.tensorOf(
                  Shape.of(e.length, e[0].length), DataBuffers.of(flat, true, false));
          TInt32 lt = TInt32.vectorOf(labels);
          Result r = s.runner().feed(x, xt).feed(l, lt).fetch(loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  @Test
  void handComputedBatch() {
    float[][] four = {{1f, 0f}, {0.8f, 0.6f}, {0f, 1f}, {-0.6f, 0.8f}};
    int[] labels = {0, 0, 1, 1};
    assertThat(graphLoss(true, four, labels, 1f)).isCloseTo(0.4781355, within(1e-5));
    float[][] three = {{1f, 0f}, {-1f, 0f}, {0f, 1f}};
    assertThat(graphLoss(true, three, new int[] {0, 0, 1}, 0.2f))
        .isCloseTo(2.2 - Math.sqrt(2), within(1e-5));
    assertThat(graphLoss(false, three, new int[] {0, 0, 1}, 0.2f))
        .isCloseTo(2.2 - Math.sqrt(2), within(1e-5));
  }

  static double cosineSoftmax(float[][] e, float[][] w, int[] labels, float scale, float margin) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> loss =
          EmbedderGraph.cosineSoftmaxLoss(
              tf, tf.constant(e), tf.constant(w), tf.constant(labels), w[0].length, scale, margin);
      try (Session s = new Session(g);
          Result r = s.runner().fetch(loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  @Test
  void cosineSoftmaxWithMarginByHand() {
    // Columns (2,0) and (0,3) are scaled to unit length; cosines are (1, 0) and (0.6, 0.8).
    float[][] e = {{1f, 0f}, {0.6f, 0.8f}};
    float[][] w = {{2f, 0f}, {0f, 3f}};
    int[] labels = {0, 1};
    // margin 0.25, scale 2: logits (1.5, 0) and (1.2, 1.1); losses log(1 + e^-1.5), log(1 + e^0.1)
    assertThat(cosineSoftmax(e, w, labels, 2f, 0.25f))
        .isCloseTo((Math.log1p(Math.exp(-1.5)) + Math.log1p(Math.exp(0.1))) / 2, within(1e-5));
    // no margin: logits (2, 0) and (1.2, 1.6)
    assertThat(cosineSoftmax(e, w, labels, 2f, 0f))
        .isCloseTo((Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-0.4))) / 2, within(1e-5));
  }

  @Test
  void randomBatchesMatchTheJavaReference() {
    SplittableRandom rnd = new SplittableRandom(9);
    for (int trial = 0; trial < 5; trial++) {
      int n = 24;
      float[][] e = new float[n][];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        float[] v = new float[8];
        for (int d = 0; d < 8; d++) {
          v[d] = (float) rnd.nextGaussian();
        }
        e[i] = Embeddings.normalize(v);
        labels[i] = rnd.nextInt(5);
      }
      assertThat(graphLoss(true, e, labels, 0.5f))
          .isCloseTo(TripletLoss.semiHard(e, labels, 0.5), within(1e-4));
      assertThat(graphLoss(false, e, labels, 0.5f))
          .isCloseTo(TripletLoss.batchHard(e, labels, 0.5), within(1e-4));
    }
  }
}
