package org.farmid.models.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.train.Augmentation;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  private static EmbedderTrainer.Options options(String schedule) {
    EmbedderArchitecture arch =
        new EmbedderArchitecture(32, 32, 0.35, 2, 8, 16, 0.0, 0.5, "semi-hard", false, "flatten");
    return new EmbedderTrainer.Options(
        arch,
        10,
        4,
        2,
        0.002f,
        1,
        0.2,
        5,
        1.0,
        0.0,
        true,
        schedule,
        0.3,
        0.3,
        Augmentation.Flips.BOTH,
        null,
        Augmentation.Infrared.DEFAULT,
        1.0,
        false);
  }

  @Test
  void cosineFallsFromTheLearningRateToOnePercentOfIt() {
    EmbedderTrainer.Options o = options("cosine");
    assertThat((double) o.learningRateAt(0)).isCloseTo(0.002, within(1e-9));
    // halfway: midway between 0.002 and 0.00002
    assertThat((double) o.learningRateAt(0.5)).isCloseTo(0.00101, within(1e-8));
    // a quarter: floor + (lr - floor) * (1 + cos(pi/4)) / 2
    assertThat((double) o.learningRateAt(0.25))
        .isCloseTo(0.00002 + 0.00198 * (1 + Math.sqrt(0.5)) / 2, within(1e-8));
    assertThat((double) o.learningRateAt(1)).isCloseTo(0.00002, within(1e-9));
    assertThat((double) o.learningRateAt(1.7)).isCloseTo(0.00002, within(1e-9));
  }

  @Test
  void constantStaysPut() {
    EmbedderTrainer.Options o = options("constant");
    assertThat(o.learningRateAt(0)).isEqualTo(0.002f);
    assertThat(o.learningRateAt(0.9)).isEqualTo(0.002f);
  }

  @Test
  void anUnknownScheduleOrShareIsNamedInTheSettings() {
    assertThatThrownBy(
            () ->
                EmbedderSettings.from(
                    FarmIdConfig.load(
                        List.of(),
                        List.of(
                            "embedder.learning-rate-schedule=step",
                            "embedder.occlusion-share=2",
                            "embedder.infrared-contrast=0"))))
        .hasMessageContaining("farmid.embedder.learning-rate-schedule")
        .hasMessageContaining("constant, cosine")
        .hasMessageContaining("farmid.embedder.occlusion-share")
        .hasMessageContaining("farmid.embedder.infrared-contrast");
  }
}
