package org.farmid.models.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.farmid.common.config.FarmIdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbedderSettingsTest {
  private static EmbedderArchitecture architecture(String... set) {
    return EmbedderSettings.from(FarmIdConfig.load(List.of(), List.of(set)))
        .training()
        .architecture();
  }

  @Test
  void theDefaultInputIsSquare() {
    EmbedderArchitecture a = architecture();
    assertThat(a.inputWidth()).isEqualTo(96);
    assertThat(a.inputHeight()).isEqualTo(96);
  }

  @ParameterizedTest
  @CsvSource({"128, 128, 128", "72x128, 72, 128", "128X64, 128, 64", "'\"64 x 96\"', 64, 96"})
  void anInputIsOneSideOrWidthByHeight(String value, int width, int height) {
    EmbedderArchitecture a = architecture("embedder.input-size=" + value);
    assertThat(a.inputWidth()).isEqualTo(width);
    assertThat(a.inputHeight()).isEqualTo(height);
  }

  @ParameterizedTest
  @CsvSource({
    "72x, must be a side in pixels (96) or width x height (72x128), got '72x'",
    "axb, must be a side in pixels (96) or width x height (72x128), got 'axb'",
    "72x128x3, must be a side in pixels (96) or width x height (72x128), got '72x128x3'",
    "16x128, must have sides of at least 32, got 16x128",
    "20, must have sides of at least 32, got 20"
  })
  void aBadInputIsRefusedNamingTheKey(String value, String message) {
    assertThatThrownBy(() -> architecture("embedder.input-size=" + value))
        .hasMessageContaining("key 'farmid.embedder.input-size' " + message);
  }
}
