package org.farmid.common.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.farmid.common.embed.LabelPropagation;
import org.junit.jupiter.api.Test;

class PseudoLabelsTest {
  private static final LabelPropagation.Settings ONE_NEIGHBOUR =
      new LabelPropagation.Settings(1, 0.35, 0.1);

  private static List<float[]> at(double... degrees) {
    return Arrays.stream(degrees)
        .mapToObj(
            d ->
                new float[] {
                  (float) Math.cos(Math.toRadians(d)), (float) Math.sin(Math.toRadians(d))
                })
        .toList();
  }

  private static List<LabelledCrops.Crop> crops(String identity, String split, String... names) {
    return Arrays.stream(names)
        .map(n -> new LabelledCrops.Crop(Path.of(n + ".png"), identity, split))
        .toList();
  }

  private static List<String> named(List<LabelledCrops.Crop> crops) {
    return crops.stream().map(c -> c.path() + " " + c.identity() + " " + c.split()).toList();
  }

  @Test
  void theSurestShareOfTheUnlabelledCropsIsKeptUnderItsPropagatedNames() {
    // a at 0 degrees, b at 90, the unlabelled crops at 10, 22, 35 and 49 joined as a chain (one
    // neighbour each, alpha 0.35, sigma 0.1; LabelPropagationTest). By the closed form (1 - alpha)
    // (I - alpha S)^-1 Y their scores (a, b) are q10 (0.2096, 0.0005), q22 (0.0305, 0.0034), q35
    // (0.0057, 0.0188), q49 (0.0013, 0.0787): confidences 0.9975, 0.9006, 0.7690, 0.9834.
    List<LabelledCrops.Crop> labelled =
        List.of(crops("a", "train", "a").get(0), crops("b", "train", "b").get(0));
    // their own identity column says "?": it is never read
    List<LabelledCrops.Crop> unlabelled = crops("?", "val", "q10", "q22", "q35", "q49");
    List<float[]> ue = at(10, 22, 35, 49);
    assertThat(LabelPropagation.scores(List.of("a", "b"), at(0, 90), ue, ONE_NEIGHBOUR))
        .extracting(LabelPropagation.Named::confidence)
        .satisfiesExactly(
            c -> assertThat(c).isCloseTo(0.9975, within(1e-4)),
            c -> assertThat(c).isCloseTo(0.9006, within(1e-4)),
            c -> assertThat(c).isCloseTo(0.7690, within(1e-4)),
            c -> assertThat(c).isCloseTo(0.9834, within(1e-4)));
    assertThat(named(PseudoLabels.surest(labelled, at(0, 90), unlabelled, ue, 0.5, ONE_NEIGHBOUR)))
        .containsExactly("q10.png a train", "q49.png b train");
    assertThat(named(PseudoLabels.surest(labelled, at(0, 90), unlabelled, ue, 0.75, ONE_NEIGHBOUR)))
        .containsExactly("q10.png a train", "q49.png b train", "q22.png a train");
    assertThat(named(PseudoLabels.surest(labelled, at(0, 90), unlabelled, ue, 1, ONE_NEIGHBOUR)))
        .containsExactly(
            "q10.png a train", "q49.png b train", "q22.png a train", "q35.png b train");
  }

  @Test
  void cropsNoPathJoinsToTheLabelledOnesAreNeverKept() {
    // a at 0 and b at 10 are each other's one neighbour; the unlabelled crops pair up far away
    // (LabelPropagationTest): named after the nearest mean, confidence 0, none kept.
    List<LabelledCrops.Crop> labelled =
        List.of(crops("a", "train", "a").get(0), crops("b", "train", "b").get(0));
    List<float[]> ue = at(150, 155, 200, 205);
    assertThat(LabelPropagation.scores(List.of("a", "b"), at(0, 10), ue, ONE_NEIGHBOUR))
        .extracting(LabelPropagation.Named::label, LabelPropagation.Named::confidence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", 0.0),
            org.assertj.core.groups.Tuple.tuple("b", 0.0),
            org.assertj.core.groups.Tuple.tuple("a", 0.0),
            org.assertj.core.groups.Tuple.tuple("a", 0.0));
    assertThat(
            PseudoLabels.surest(
                labelled, at(0, 10), crops("?", "val", "p", "q", "r", "s"), ue, 1, ONE_NEIGHBOUR))
        .isEmpty();
  }

  @Test
  void aShareOutsideItsRangeIsRefused() {
    assertThatThrownBy(
            () ->
                PseudoLabels.surest(
                    List.of(), List.of(), List.of(), List.of(), 0, LabelPropagation.DEFAULTS))
        .hasMessage("share must be above 0 and at most 1, got 0.0");
    assertThatThrownBy(
            () ->
                PseudoLabels.surest(
                    List.of(), List.of(), List.of(), List.of(), 1.5, LabelPropagation.DEFAULTS))
        .hasMessage("share must be above 0 and at most 1, got 1.5");
  }
}
