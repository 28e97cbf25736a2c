package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import org.junit.jupiter.api.Test;

class DetectorSettingsTest {
  private static DetectorSettings settings(String... set) {
    return DetectorSettings.from(FarmIdConfig.load(List.of(), List.of(set)));
  }

  @Test
  void theShippedDefaultsAreTheRecipeTrainDetectorAlwaysHad() {
    assertThat(settings().options(null))
        .isEqualTo(
            new DetectorTrainer.Options(
                320, 176, 16, 4, 5f, 30, 8, 0.002f, "constant", 1, 3, "none", 0f, null));
    assertThat(settings().zoom()).isEqualTo(new DetectorTrainer.Zoom(0, 1.5));
    assertThat(settings("detector.zoom-share=0.5", "detector.zoom-max=2").zoom())
        .isEqualTo(new DetectorTrainer.Zoom(0.5, 2));
  }

  @Test
  void eachBadKeyIsNamedWithItsFlag() {
    assertThatThrownBy(
            () ->
                settings(
                    "detector.stride=8",
                    "detector.input-size=\"324x176\"",
                    "detector.test-flips=y",
                    "detector.giou-weight=-1",
                    "detector.zoom-share=1.5",
                    "detector.zoom-max=0.5"))
        .hasMessageContaining(
            "key 'farmid.detector.input-size' (--input-size): both sides must be multiples of 8"
                + " at --stride 8, got 324x176")
        .hasMessageContaining("key 'farmid.detector.test-flips' (--test-flips): ")
        .hasMessageContaining("key 'farmid.detector.giou-weight' (--giou-weight) must be 0 or more")
        .hasMessageContaining(
            "key 'farmid.detector.zoom-share' (--zoom-share) must be from 0 to 1, got 1.5")
        .hasMessageContaining(
            "key 'farmid.detector.zoom-max' (--zoom-max) must be 1 or more, got 0.5");
  }
}
