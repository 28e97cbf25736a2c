package org.farmid.common.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelPropagationTest {

  private static float[] at(double degrees) {
    double r = Math.toRadians(degrees);
    return new float[] {(float) Math.cos(r), (float) Math.sin(r)};
  }

  private static List<float[]> at(double... degrees) {
    return java.util.Arrays.stream(degrees).mapToObj(LabelPropagationTest::at).toList();
  }

  @Test
  void aChainOfQueriesCarriesTheLabelPastTheNearestMean() {
    // a at 0 degrees, b at 90; queries at 10, 22, 35, 49. One neighbour each: a - q10 - q22 -
    // q35 - q49 - b (each query's nearest is the one before it, b's nearest is q49). The nearest
    // mean names q49 b (41 degrees against 49). Scores by hand, the closed form (1 - alpha)(I -
    // alpha S)^-1 Y with sigma 0.1: at alpha 0.99 the chain's far end still holds more of a
    // (q49: a 0.135, b 0.037); at alpha 0.35 the weak edge b - q49 is the only one of b's degree,
    // so b's normalised pull wins q49 (b 0.079 against 0.001) and q35 (0.019 against 0.006).
    List<String> labels = List.of("a", "b");
    List<float[]> gallery = at(0, 90);
    List<float[]> queries = at(10, 22, 35, 49);
    NearestMean nm = NearestMean.fit(labels, gallery);
    assertThat(queries.stream().map(q -> nm.classify(q).label()))
        .containsExactly("a", "a", "a", "b");
    assertThat(
            LabelPropagation.name(
                labels, gallery, queries, new LabelPropagation.Settings(1, 0.99, 0.1)))
        .containsExactly("a", "a", "a", "a");
    assertThat(
            LabelPropagation.name(
                labels, gallery, queries, new LabelPropagation.Settings(1, 0.35, 0.1)))
        .containsExactly("a", "a", "b", "b");
  }

  @Test
  void queriesThatNoPathJoinsToTheGalleryAreNamedAfterTheNearestMean() {
    // a at 0 and b at 10 are each other's one neighbour; the queries pair up at 150/155 and at
    // 200/205, far from both: no label reaches them. 150 and 155 lie nearer b (140 and 145
    // degrees against 150 and 155), 200 and 205 nearer a (160 and 155 against 170 and 165).
    assertThat(
            LabelPropagation.name(
                List.of("a", "b"),
                at(0, 10),
                at(150, 155, 200, 205),
                new LabelPropagation.Settings(1, 0.5, 0.1)))
        .containsExactly("b", "b", "a", "a");
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(() -> new LabelPropagation.Settings(0, 0.5, 0.1))
        .hasMessage("neighbours must be at least 1, got 0");
    assertThatThrownBy(() -> new LabelPropagation.Settings(5, 1.0, 0.1))
        .hasMessage("alpha must lie strictly between 0 and 1, got 1.0");
    assertThatThrownBy(() -> new LabelPropagation.Settings(5, 0.5, 0))
        .hasMessage("sigma must be positive, got 0.0");
    assertThatThrownBy(
            () ->
                LabelPropagation.name(
                    List.of("a"),
                    at(0, 10),
                    List.of(at(5)),
                    new LabelPropagation.Settings(1, 0.5, 0.1)))
        .hasMessage("1 gallery labels for 2 embeddings");
  }
}
