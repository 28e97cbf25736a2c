package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** The detector's box IoU term against boxes worked out by hand, in cell units. */
class GeneralisedIouTest {

  @Test
  void matchesHandComputedOverlappingDisjointAndEmptyCells() {
    // a 128x128 input at stride 8: 16x16 cells, so a size share of 0.125 is 2 cells
    try (DetectorGraph g = new DetectorGraph(128, 128, 4, 8, 0f, 1)) {
      float[][][][] size = {{{{0.125f, 0.125f}, {0.0625f, 0.0625f}, {0.125f, 0.125f}}}};
      float[][][][] offset = {{{{0.5f, 0.5f}, {0f, 0f}, {0.5f, 0.5f}}}};
      float[][][][] targetSize = {{{{0.125f, 0.0625f}, {0.0625f, 0.0625f}, {0f, 0f}}}};
      float[][][][] targetOffset = {{{{1f, 0.5f}, {2f, 0f}, {0f, 0f}}}};
      Operand<TFloat32> giou =
          g.generalisedIou(
              g.tf.constant(size),
              g.tf.constant(offset),
              g.tf.constant(targetSize),
              g.tf.constant(targetOffset));
      try (Session s = new Session(g.graph);
          Result r = s.runner().fetch(giou).run()) {
        TFloat32 v = (TFloat32) r.get(0);
        assertThat(v.shape().asArray()).containsExactly(1, 1, 3, 1);
        // predicted [-0.5, 1.5] x [-0.5, 1.5], target [0, 2] x [0, 1]: intersection 1.5,
        // union 4 + 2 - 1.5 = 4.5, enclosing 2.5 x 2 = 5: 1.5 / 4.5 - 0.5 / 5
        assertThat(v.getFloat(0, 0, 0, 0)).isCloseTo(1f / 3 - 0.1f, within(1e-6f));
        // predicted [-0.5, 0.5]^2, target [1.5, 2.5] x [-0.5, 0.5]: no overlap, union 2,
        // enclosing 3 x 1: 0 - 1 / 3
        assertThat(v.getFloat(0, 0, 1, 0)).isCloseTo(-1f / 3, within(1e-6f));
        // a cell without a box stays finite (its loss is masked out)
        assertThat(Float.isFinite(v.getFloat(0, 0, 2, 0))).isTrue();
      }
    }
  }
}
