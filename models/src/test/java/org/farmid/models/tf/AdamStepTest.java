package org.farmid.models.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/** The Adam step of {@link NetworkGraph} against Adam worked out by hand. */
class AdamStepTest {

  /** loss = 1*w0 - 3*w1 + 0.5*w2: constant gradients (1, -3, 0.5). */
  private static final class Linear extends NetworkGraph {
    final Op step;

    Linear() {
      super(1);
      Operand<TFloat32> w = weight("w", new long[] {3}, () -> 0);
      Operand<TFloat32> loss =
          tf.reduceSum(tf.math.mul(w, tf.constant(new float[] {1, -3, 0.5f})), tf.constant(0));
      step = adam(loss);
    }

    @Override
    public Operand<?> images() {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void eachStepMovesByTheFedStepSizeAgainstTheGradientsSign() {
    // With a constant gradient g, Adam's bias-corrected m / sqrt(v) is g / |g| at every step t:
    // m_t = (1 - 0.9^t) g, v_t = (1 - 0.999^t) g^2, so the update is lr * sign(g) (to epsilon).
    try (Linear g = new Linear();
        Session s = new Session(g.graph)) {
      s.initialize();
      TrainingSession.assign(s, g, Map.of("w", new float[] {5, 5, 5}));
      float[] lrs = {0.1f, 0.05f, 0.2f};
      for (int t = 1; t <= lrs.length; t++) {
        try (AdamFeed feed = new AdamFeed(lrs[t - 1], t)) {
          feed.feed(s.runner(), g).addTarget(g.step).run();
        }
      }
      float[] w = TrainingSession.read(s, g).get("w");
      assertThat((double) w[0]).isCloseTo(5 - 0.35, within(1e-5));
      assertThat((double) w[1]).isCloseTo(5 + 0.35, within(1e-5));
      assertThat((double) w[2]).isCloseTo(5 - 0.35, within(1e-5));
    }
  }

  @Test
  void stepsCountFromOneAndSchedulesAreNamed() {
    assertThatThrownBy(() -> new AdamFeed(0.1f, 0)).hasMessageContaining("from 1");
    assertThatThrownBy(() -> AdamFeed.learningRate("step", 0.1f, 0.5))
        .hasMessageContaining("constant, cosine")
        .hasMessageContaining("'step'");
  }
}
