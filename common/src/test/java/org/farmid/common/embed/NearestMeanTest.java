package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestMeanTest {

  @Test
  void meansAreRenormalisedAndTheNearestWinsWithItsMargin() {
    NearestMean nm =
        NearestMean.fit(
            List.of("a", "a", "b"),
            List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {-1, 0}));
    // mean of a = (0.5, 0.5) re-normalised = (0.7071, 0.7071)
    NearestMean.Match m = nm.classify(new float[] {1, 0});
    assertThat(m.label()).isEqualTo("a");
    double toA = Math.sqrt(Math.pow(1 - Math.sqrt(0.5), 2) + 0.5);
    assertThat(m.distance()).isCloseTo(toA, within(1e-6));
    assertThat(m.margin()).isCloseTo(2 - toA, within(1e-6));
    assertThat(nm.classify(new float[] {-0.8f, -0.6f}).label()).isEqualTo("b");
  }

  @Test
  void normalizeGivesUnitLength() {
    float[] v = Embeddings.normalize(new float[] {3, 4});
    assertThat(v).containsExactly(0.6f, 0.8f);
    assertThat(Embeddings.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
  }
}
