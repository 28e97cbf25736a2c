package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
  void anAnimalWithTwoLooksKeepsTwoMeansAndIsNamedAfterTheNearer() {
    // a: two looks, (1,0) twice and (0,1) once; b: (-0.6,0.8) between them and beyond.
    List<String> labels = List.of("a", "a", "a", "b");
    List<float[]> e =
        List.of(
            new float[] {1, 0}, new float[] {1, 0}, new float[] {0, 1}, new float[] {-0.6f, 0.8f});
    float[] q = {-0.28f, 0.96f};
    // One mean: a's mean (2,1)/sqrt5 = (0.894, 0.447); b nearer: |q-b| = sqrt(0.128) = 0.3578
    // against 1.2810.
    NearestMean one = NearestMean.fit(labels, e);
    assertThat(one.size()).isEqualTo(2);
    assertThat(one.classify(q).label()).isEqualTo("b");
    // Two means: a = {(1,0)} and {(0,1)}; |q-(0,1)| = sqrt(0.08) = 0.2828 < 0.3578.
    NearestMean two = NearestMean.fit(labels, e, 2);
    assertThat(two.size()).isEqualTo(3);
    assertThat(two.labels()).containsExactly("a", "b");
    NearestMean.Match m = two.classify(q);
    assertThat(m.label()).isEqualTo("a");
    assertThat(m.distance()).isCloseTo(Math.sqrt(0.08), within(1e-6));
    // the margin is to the nearest mean of another animal, not to a's other mean
    assertThat(m.margin()).isCloseTo(Math.sqrt(0.128) - Math.sqrt(0.08), within(1e-6));
    // b has one crop: one mean whatever is asked
    assertThat(NearestMean.fit(List.of("b"), List.of(new float[] {0, 1}), 3).size()).isEqualTo(1);
  }

  @Test
  void clustersAreFoundFromTheVectorNearestTheMeanAndTheFarthestFromIt() {
    float[] x = {1, 0};
    float[] y = {0, 1};
    float[] xy = {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)};
    // mean of x, x, y, xy lies nearest xy; the farthest from xy is x (tie with y: first wins);
    // then x, x go to x and y, xy to xy's side: means (1,0) and normalise(y + xy).
    List<float[]> means = NearestMean.clusterMeans(List.of(x, x, y, xy), 2);
    assertThat(means).hasSize(2);
    double s = Math.sqrt(0.5);
    double n = Math.hypot(s, 1 + s);
    assertThat(means.get(0))
        .containsExactly(new float[] {(float) (s / n), (float) ((1 + s) / n)}, within(1e-6f));
    assertThat(means.get(1)).containsExactly(new float[] {1, 0}, within(1e-6f));
    // identical vectors: one cluster, however many are asked for
    assertThat(NearestMean.clusterMeans(List.of(x, x, x), 3)).hasSize(1);
  }

  @Test
  void meansMoveTowardTheCropsNamedAfterThem() {
    NearestMean nm =
        NearestMean.fit(
            List.of("a", "b", "c"),
            List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {-1, 0}));
    // (0.6, 0.8) and (0.28, 0.96) are nearer b, (0.8, 0.6) nearer a; nothing is near c.
    List<float[]> crops =
        List.of(new float[] {0.6f, 0.8f}, new float[] {0.8f, 0.6f}, new float[] {0.28f, 0.96f});
    float[] at50 = {(float) Math.cos(Math.toRadians(50)), (float) Math.sin(Math.toRadians(50))};
    assertThat(nm.classify(at50).label()).isEqualTo("b");

    // weight 1: a = (0.8, 0.6) (36.9 degrees), b = normalise(0.88, 1.76) (63.4 degrees), c stays
    NearestMean moved = nm.movedToward(crops, 1);
    assertThat(moved.classify(new float[] {0.8f, 0.6f}).distance()).isCloseTo(0, within(1e-6));
    double r5 = Math.sqrt(5);
    NearestMean.Match b = moved.classify(new float[] {(float) (1 / r5), (float) (2 / r5)});
    assertThat(b.label()).isEqualTo("b");
    assertThat(b.distance()).isCloseTo(0, within(1e-6));
    assertThat(moved.classify(new float[] {-1, 0}).distance()).isEqualTo(0);
    // 50 degrees now lies 13.1 degrees from a and 13.4 from b
    assertThat(moved.classify(at50).label()).isEqualTo("a");

    // weight 0.5: a = normalise(0.9, 0.3)
    double n = Math.hypot(0.9, 0.3);
    NearestMean.Match half =
        nm.movedToward(crops, 0.5).classify(new float[] {(float) (0.9 / n), (float) (0.3 / n)});
    assertThat(half.label()).isEqualTo("a");
    assertThat(half.distance()).isCloseTo(0, within(1e-6));
    assertThat(nm.movedToward(crops, 0).classify(at50).label()).isEqualTo("b");
    assertThatThrownBy(() -> nm.movedToward(crops, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 1, got 1.5");
  }

  @Test
  void normalizeGivesUnitLength() {
    float[] v = Embeddings.normalize(new float[] {3, 4});
    assertThat(v).containsExactly(0.6f, 0.8f);
    assertThat(Embeddings.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
  }
}
